"""The contact form at /contact/: stored, emailed to the programme address, protected like registration."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import ContactBericht, OutboxMessage

URL = "/contact/"


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.REGISTRATION_RATE_LIMIT = 1000


def data(**overrides) -> dict:
    values = {
        "name": "Piet Jansen",
        "email": "Piet@Example.nl",
        "subject": "Parkeren bij de sessie",
        "message": "Is er parkeergelegenheid & een laadpaal?",
        "website": "",
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_form_is_shown_with_labels_and_a_hidden_honeypot(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_subject"' in html and 'for="id_message"' in html
    assert 'class="cp-hp"' in html


@pytest.mark.django_db
def test_question_is_stored_and_emailed_to_the_programme_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data())
    assert response.status_code == 302
    assert response["Location"] == reverse("contact_verzonden")
    bericht = ContactBericht.objects.get()
    assert bericht.email == "piet@example.nl"
    assert bericht.handled_at is None
    sent, acknowledgement = mail.outbox
    assert acknowledgement.to == ["piet@example.nl"]  # the sender hears it arrived
    assert sent.to == [django_settings.CONTACT_EMAIL]
    assert sent.reply_to == ["piet@example.nl"]
    assert sent.subject == "Contactformulier: Parkeren bij de sessie"
    assert "Is er parkeergelegenheid & een laadpaal?" in sent.body
    assert "parkeergelegenheid &amp; een laadpaal" in sent.alternatives[0][0]
    assert "Bedankt voor uw bericht" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_question_is_kept_when_the_mail_server_is_down(client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data())
    assert response.status_code == 302
    assert ContactBericht.objects.count() == 1
    assert OutboxMessage.objects.get(recipient=django_settings.CONTACT_EMAIL).status == OutboxMessage.Status.FAILED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [{"name": ""}, {"email": "geen-adres"}, {"message": "x" * 5001}, {"subject": "   "}, {"subject": "x" * 201}],
    ids=["no-name", "bad-email", "long-message", "blank-subject", "long-subject"],
)
def test_bad_input_gets_errors_next_to_fields_and_a_summary(client, overrides):
    response = client.post(URL, data(**overrides))
    assert response.status_code == 200
    assert 'id="foutoverzicht"' in response.content.decode()
    assert ContactBericht.objects.count() == 0


@pytest.mark.django_db
def test_filled_honeypot_stores_nothing(client):
    response = client.post(URL, data(website="http://spam.example"))
    assert response.status_code == 302
    assert ContactBericht.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused():
    assert Client(enforce_csrf_checks=True).post(URL, data()).status_code == 403
    assert ContactBericht.objects.count() == 0


@pytest.mark.django_db
def test_too_many_questions_from_one_address_get_429(client, settings):
    settings.REGISTRATION_RATE_LIMIT = 1
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"  # fresh per run: Redis counts outlive the transaction
    assert client.post(URL, data(), REMOTE_ADDR=address).status_code == 302
    blocked = client.post(URL, data(), REMOTE_ADDR=address)
    assert blocked.status_code == 429
    assert "Te veel verzoeken" in blocked.content.decode()
    assert ContactBericht.objects.count() == 1


@pytest.mark.django_db
def test_programme_staff_can_mark_a_question_handled(client, programmateam):
    bericht = ContactBericht.objects.create(name="P", email="p@example.nl", subject="Vraag", message="?")
    client.force_login(programmateam)
    changelist = reverse("admin:core_contactbericht_changelist")
    client.post(changelist, {"action": "mark_handled", "_selected_action": [bericht.pk]})
    bericht.refresh_from_db()
    assert bericht.handled_at is not None
