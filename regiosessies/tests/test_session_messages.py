"""Staff write to the participants of a session from the admin: per role, preview before sending, one
outbox email per recipient with the frame in their language, control characters refused, and a page of
what was sent and failed with resend."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core.models import OutboxMessage
from regiosessies.models import Aanmelding

pytestmark = pytest.mark.django_db


def bericht_url(session):
    return reverse("admin:regiosessies_regiosessie_bericht", args=[session.pk])


def berichten_url(session):
    return reverse("admin:regiosessies_regiosessie_berichten", args=[session.pk])


MESSAGE = {"audience": "confirmed", "subject": "Andere zaal", "body": "We zitten in zaal 3.\nKoffie staat klaar."}


@pytest.fixture
def full_session(session_a, register_person):
    """Session A with two seats taken (one registered in English) and one person waiting."""
    session_a.capacity = 2
    session_a.save()
    register_person(session_a, "anna@example.nl", "Anna")
    register_person(session_a, "ben@example.nl", "Ben")
    register_person(session_a, "cor@example.nl", "Cor")
    Aanmelding.objects.filter(email="ben@example.nl").update(language="en")
    mail.outbox.clear()
    return session_a


def staff_message_recipients():
    return sorted(OutboxMessage.objects.filter(template="sessiebericht").values_list("recipient", flat=True))


def test_preview_shows_the_email_and_sends_nothing(client, facilitator_a, full_session):
    client.force_login(facilitator_a)
    response = client.post(bericht_url(full_session), MESSAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit bericht gaat naar 2 personen" in page
    assert "We zitten in zaal 3." in page and "Beste Anna," in page
    assert 'name="confirm"' in page
    assert staff_message_recipients() == []


def test_facilitator_sends_one_email_per_confirmed_participant(
    client, facilitator_a, full_session, django_capture_on_commit_callbacks
):
    client.force_login(facilitator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bericht_url(full_session), {**MESSAGE, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == berichten_url(full_session)
    assert staff_message_recipients() == ["anna@example.nl", "ben@example.nl"]
    anna = next(m for m in mail.outbox if m.to == ["anna@example.nl"])
    assert anna.subject == "Andere zaal"
    assert "We zitten in zaal 3.\nKoffie staat klaar." in anna.body
    assert "Beste Anna," in anna.body
    html = anna.alternatives[0][0]
    assert "<p>We zitten in zaal 3.<br>Koffie staat klaar.</p>" in html


def test_the_frame_is_in_the_recipients_language_and_the_text_as_written(client, facilitator_a, full_session):
    client.force_login(facilitator_a)
    client.post(bericht_url(full_session), {**MESSAGE, "confirm": "1"})
    ben = OutboxMessage.objects.get(template="sessiebericht", recipient="ben@example.nl")
    anna = OutboxMessage.objects.get(template="sessiebericht", recipient="anna@example.nl")
    assert '<html lang="en">' in ben.body_html and '<html lang="nl">' in anna.body_html
    # The staff text is kept in the language it was written in, marked as such.
    assert '<div lang="nl"' in ben.body_html and "We zitten in zaal 3." in ben.body_text


@pytest.mark.parametrize(
    ("audience", "expected"),
    [("waitlisted", ["cor@example.nl"]), ("both", ["anna@example.nl", "ben@example.nl", "cor@example.nl"])],
)
def test_staff_choose_who_gets_the_message(client, programmateam, full_session, audience, expected):
    client.force_login(programmateam)
    client.post(bericht_url(full_session), {**MESSAGE, "audience": audience, "confirm": "1"})
    assert staff_message_recipients() == expected


def test_cancelled_registrations_get_no_message(client, programmateam, full_session):
    Aanmelding.objects.filter(email="anna@example.nl").update(status=Aanmelding.Status.CANCELLED)
    client.force_login(programmateam)
    client.post(bericht_url(full_session), {**MESSAGE, "audience": "both", "confirm": "1"})
    assert "anna@example.nl" not in staff_message_recipients()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Andere zaal\nBcc: iedereen@example.nl"),
        ("subject", "Zaal\x00 3"),
        ("body", "Zaal 3\x07"),
        ("body", "Zaal\u2028 3"),
    ],
)
def test_control_characters_are_refused_with_a_dutch_message_and_the_text_kept(
    client, facilitator_a, full_session, field, value
):
    client.force_login(facilitator_a)
    response = client.post(bericht_url(full_session), {**MESSAGE, field: value, "confirm": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verbeter de fouten hieronder." in page
    assert "Koffie staat klaar." in page or field == "body"
    assert staff_message_recipients() == []


def test_an_empty_group_is_said_and_nothing_is_sent(client, facilitator_a, session_a):
    client.force_login(facilitator_a)
    response = client.post(bericht_url(session_a), {**MESSAGE, "confirm": "1"})
    assert "Er is niemand in deze groep" in response.content.decode()
    assert staff_message_recipients() == []


def test_facilitator_cannot_write_to_or_see_the_emails_of_another_session(client, facilitator_b, full_session):
    client.force_login(facilitator_b)
    assert client.get(bericht_url(full_session)).status_code == 404
    assert client.post(bericht_url(full_session), {**MESSAGE, "confirm": "1"}).status_code == 404
    assert client.get(berichten_url(full_session)).status_code == 404
    assert staff_message_recipients() == []


def test_sent_page_lists_this_sessions_emails_and_resends_failed_ones(
    client, facilitator_a, full_session, session_b, register_person, django_capture_on_commit_callbacks
):
    register_person(session_b, "zuid@example.nl", "Zuid")
    failed = OutboxMessage.objects.filter(recipient="anna@example.nl").first()
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxMessage.Status.FAILED, last_error="SMTP 451")
    client.force_login(facilitator_a)
    page = client.get(berichten_url(full_session)).content.decode()
    assert "anna@example.nl" in page and "SMTP 451" in page
    assert "zuid@example.nl" not in page
    assert f'name="bericht" value="{failed.pk}"' in page
    assert "Mislukt: 1" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(berichten_url(full_session), {"bericht": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.SENT


def test_resend_ignores_emails_of_other_sessions(client, facilitator_a, full_session, session_b, register_person):
    register_person(session_b, "zuid@example.nl", "Zuid")
    other = OutboxMessage.objects.get(recipient="zuid@example.nl")
    OutboxMessage.objects.filter(pk=other.pk).update(status=OutboxMessage.Status.FAILED)
    client.force_login(facilitator_a)
    client.post(berichten_url(full_session), {"bericht": [other.pk]})
    other.refresh_from_db()
    assert other.status == OutboxMessage.Status.FAILED


def test_session_page_links_writing_and_the_sent_emails(client, facilitator_a, session_a):
    client.force_login(facilitator_a)
    page = client.get(reverse("admin:regiosessies_regiosessie_change", args=[session_a.pk])).content.decode()
    assert bericht_url(session_a) in page and berichten_url(session_a) in page


def test_line_breaks_from_the_browser_become_plain_line_breaks(client, facilitator_a, full_session):
    client.force_login(facilitator_a)
    client.post(bericht_url(full_session), {**MESSAGE, "body": "Zaal 3.\r\nKoffie staat klaar.", "confirm": "1"})
    message = OutboxMessage.objects.filter(template="sessiebericht").first()
    assert "Zaal 3.\nKoffie staat klaar." in message.body_text and "\r" not in message.body_text
