"""Addresses people guess or follow: the English accessibility URL, the contact form in the footer,
the acknowledgement a sender gets, and the links in emails pointing at the port `make run` uses."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from core.models import OutboxMessage


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "target"), [("/en/accessibility/", "/en/toegankelijkheid/"), ("/accessibility/", "/toegankelijkheid/")]
)
def test_accessibility_address_leads_to_the_statement(client, path, target):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == target


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_links_the_contact_form(client, prefix):
    html = client.get(f"{prefix}/").content.decode()
    assert f'href="{prefix}/contact/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "subject"), [("", "We hebben uw vraag ontvangen"), ("/en", "We have received your question")]
)
def test_contact_sender_gets_an_acknowledgement_in_their_language(client, settings, prefix, subject):
    settings.REGISTRATION_RATE_LIMIT = 1000
    text = "Kom je ook naar http://spam.example?"
    response = client.post(
        f"{prefix}/contact/",
        {"name": "Sam", "email": "Sam@Example.nl", "subject": "Parkeren", "message": text, "website": ""},
    )
    assert response.status_code == 302
    ack = OutboxMessage.objects.get(recipient="sam@example.nl")
    assert ack.subject == subject
    # Anyone can type any address: the acknowledgement repeats nothing the sender wrote.
    assert text not in ack.body_text and "spam.example" not in ack.body_html
    assert OutboxMessage.objects.filter(recipient=django_settings.CONTACT_EMAIL).count() == 1


def test_make_run_gives_the_server_its_own_address_for_email_links():
    makefile = (Path(django_settings.BASE_DIR) / "Makefile").read_text()
    run = re.search(r"^run:.*?(?=^\S)", makefile, re.S | re.M).group(0)
    demo = re.search(r"^demo:.*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert "SITE_URL=http://$(HOST):$(PORT)" in run and "runserver $(HOST):$(PORT)" in run
    assert "SITE_URL=http://$(HOST):$(PORT)" in demo


@pytest.mark.django_db
def test_seed_demo_prints_the_admin_address_of_this_server(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    settings.DEBUG = True  # seed_demo refuses otherwise (known passwords)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "http://127.0.0.1:8123/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()
