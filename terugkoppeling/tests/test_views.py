"""Unsubscribing without logging in: by the link in the email (a page with a button, then POST) and by
the RFC 8058 one-click POST a mail program sends to the List-Unsubscribe URL (no CSRF token)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.mailing import Recipient, create_mailing
from core.models import MailingRecipient
from terugkoppeling.emails import unsubscribe_token

pytestmark = pytest.mark.django_db


def url(aanmelding) -> str:
    return reverse("terugkoppeling:afmelden", kwargs={"token": unsubscribe_token(aanmelding.pk)})


def consents(*aanmeldingen) -> list[bool]:
    return [type(a).objects.get(pk=a.pk).results_consent for a in aanmeldingen]


def test_opening_the_link_changes_nothing_and_shows_a_button(client, people):
    response = client.get(url(people["anna"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ja, meld mij af" in html and 'method="post"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert consents(people["anna"]) == [True]


def test_the_button_unsubscribes_every_registration_of_the_address(people):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url(people["dirk_noord"]))
    token = page.context["csrf_token"]
    response = browser.post(url(people["dirk_noord"]), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200
    assert "U bent afgemeld" in response.content.decode()
    assert consents(people["dirk_noord"], people["dirk_zuid"], people["anna"]) == [False, False, True]


def test_rfc_8058_one_click_post_unsubscribes_without_a_csrf_token(people):
    mail_provider = Client(enforce_csrf_checks=True)
    response = mail_provider.post(
        url(people["ben"]), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert consents(people["ben"]) == [False]


def test_unsubscribing_drops_what_was_still_waiting(people):
    create_mailing(
        kind="opvolging",
        key="w1",
        template="opvolging",
        render_with="terugkoppeling.emails.render_digest",
        recipients=[Recipient("ben@example.nl"), Recipient("anna@example.nl")],
    )
    Client().post(url(people["ben"]))
    assert list(MailingRecipient.objects.values_list("email", flat=True)) == ["anna@example.nl"]


def test_the_english_page_is_english(client, people):
    html = client.get("/en" + url(people["ben"])).content.decode()
    assert "Yes, unsubscribe me" in html


def test_a_forged_or_damaged_link_changes_nothing(client, people):
    forged = reverse("terugkoppeling:afmelden", kwargs={"token": f"{people['anna'].pk}:vals"})
    assert client.get(forged).status_code == 404
    response = client.post(forged)
    assert response.status_code == 404
    assert "Deze afmeldlink werkt niet" in response.content.decode()
    assert consents(people["anna"]) == [True]


def test_a_link_to_anonymised_data_is_404(client, people):
    from django.utils import timezone

    from regiosessies.privacy import anonymise

    anna = people["anna"]
    anonymise(type(anna).objects.filter(pk=anna.pk), now=timezone.now())
    assert client.post(url(anna)).status_code == 404
