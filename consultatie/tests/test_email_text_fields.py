"""Issue 17, finding 8: no line breaks or other control characters in the text that goes into an email.

Before: a name typed as "Evil\r\nBcc: injected@…" was stored and came out in the confirmation email as
separate lines ("Beste Evil" / "Bcc: injected@…"). Now every free-text field that appears in an email
refuses control characters with a Dutch message (single-line fields also refuse CR, LF and tab).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core.models import ContactBericht
from core.validators import validate_multi_line, validate_single_line
from regiosessies.models import Aanmelding
from regiosessies.tests.test_views import form_data, form_url

pytestmark = pytest.mark.django_db

HOSTILE = [
    "Evil\r\nBcc: injected@example.org",
    "Evil\nBcc: x",
    "Evil\rX",
    "Evil\tX",
    "Evil\x00",
    "Evil\x85X",
    "Evil\u2028X",
    "Evil\x1bX",
]
SINGLE_LINE_MESSAGE = "Dit veld mag geen regelovergang, tab of onzichtbaar stuurteken bevatten."


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.REGISTRATION_RATE_LIMIT = 1000


@pytest.mark.parametrize("field", ["name", "organisation", "role"])
@pytest.mark.parametrize("value", HOSTILE)
def test_registration_refuses_control_characters_in_single_line_fields(client, session_a, field, value):
    response = client.post(form_url(session_a), form_data(**{field: value}))
    assert response.status_code == 200
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert not Aanmelding.objects.exists()
    assert mail.outbox == []


def test_registration_keeps_line_breaks_in_needs_and_remarks_but_not_other_controls(client, session_a):
    refused = client.post(form_url(session_a), form_data(remarks="Regel 1\x07"))
    assert "Dit veld bevat een onzichtbaar stuurteken." in refused.content.decode()
    assert not Aanmelding.objects.exists()
    client.post(form_url(session_a), form_data(needs="Rolstoel\r\nVegetarisch", remarks="Regel 1\nRegel 2\tmet tab"))
    assert Aanmelding.objects.get().remarks == "Regel 1\nRegel 2\tmet tab"


def test_confirmation_email_of_an_ordinary_registration_has_the_name_on_one_line(
    client, session_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(session_a), form_data(name="Anna de Vries"))
    [message] = mail.outbox
    assert any(line.strip().startswith("Beste Anna de Vries") for line in message.body.splitlines())
    assert "Bcc" not in message.body


def test_personal_page_correction_refuses_control_characters(client, session_a):
    client.post(form_url(session_a), form_data())
    aanmelding = Aanmelding.objects.get()
    response = client.post(
        reverse("regiosessies:wijzigen", args=[aanmelding.token]),
        {
            "name": "Anna\r\nBcc: x@example.org",
            "organisation_type": "gemeente",
            "organisation": "",
            "role": "",
            "needs": "",
        },
    )
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    aanmelding.refresh_from_db()
    assert aanmelding.name == "Anna de Vries"


@pytest.mark.parametrize("field", ["name", "subject"])
def test_contact_form_refuses_control_characters_in_name_and_subject(client, field):
    values = {
        "name": "Piet",
        "email": "piet@example.nl",
        "subject": "Vraag",
        "message": "Hallo\nRegel 2",
        "website": "",
    }
    values[field] = "Piet\r\nBcc: injected@example.org"
    response = client.post("/contact/", values)
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert not ContactBericht.objects.exists()
    assert mail.outbox == []


def test_contact_message_keeps_line_breaks():
    validate_multi_line("Hallo\r\nRegel 2\tmet tab")
    with pytest.raises(Exception, match="stuurteken"):
        validate_multi_line("Hallo\x00")
    with pytest.raises(Exception, match="regelovergang"):
        validate_single_line("a\nb")
