"""The emails a registrant receives: after commit, Dutch, text and HTML, with the .ics and personal link."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar

from core import pagecache
from core.models import OutboxMessage
from regiosessies import services
from regiosessies.tests.factories import make_session


@pytest.fixture
def deliver_on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (the outbox delivery) as the real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.django_db
def test_nothing_is_sent_before_the_registration_commits(
    session_a, register_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register_person(session_a)
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    # One delivery waits for the commit; the other after-commit hook marks the cached public pages stale.
    deliveries = [callback for callback in callbacks if callback is not pagecache.bump_version]
    assert len(deliveries) == 1


@pytest.mark.django_db
def test_message_is_stored_with_the_registration_and_rendered_outside_the_lock(
    session_a, register_person, django_capture_on_commit_callbacks
):
    # Inside the transaction (which holds the session lock) only the row is written...
    with django_capture_on_commit_callbacks(execute=False):
        aanmelding = register_person(session_a).aanmelding
    row = OutboxMessage.objects.get()
    assert (row.template, row.recipient, row.aanmelding_id) == (
        "aanmelding_bevestigd",
        "anna@example.nl",
        aanmelding.pk,
    )
    assert row.body_text == "" and row.render_with == "regiosessies.emails.render"


@pytest.mark.django_db
def test_message_never_rendered_after_commit_is_rendered_and_sent_by_the_retry_job(
    session_a, register_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the process died right after commit
        aanmelding = register_person(session_a).aanmelding
    call_command("send_outbox", stdout=StringIO())
    (message,) = mail.outbox
    assert message.subject == f"Bevestiging van uw aanmelding: {session_a.title}"
    assert aanmelding.token in message.body
    assert message.attachments[0][2] == "text/calendar"
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_confirmation_email(session_a, register_person, deliver_on_commit):
    with deliver_on_commit():
        aanmelding = register_person(session_a, "Anna@Example.nl").aanmelding

    (message,) = mail.outbox
    assert message.to == ["anna@example.nl"]
    assert message.subject == f"Bevestiging van uw aanmelding: {session_a.title}"
    personal = f"{settings.SITE_URL}/aanmelding/{aanmelding.token}/"
    assert "Beste Anna de Vries," in message.body
    assert "U heeft een plaats" in message.body
    assert personal in message.body
    assert "&amp;" not in message.body  # text part is not HTML-escaped
    html = html_of(message)
    assert '<html lang="nl">' in html
    assert f'href="{personal}"' in html
    assert session_a.venue_name in html

    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == session_a.start.replace(microsecond=0)  # iCalendar has whole seconds
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Amsterdam"

    outbox_row = OutboxMessage.objects.get()
    assert outbox_row.status == OutboxMessage.Status.SENT
    assert outbox_row.aanmelding == aanmelding
    assert outbox_row.attempts == 1


@pytest.mark.django_db
def test_waitlist_email_tells_the_position(register_person, deliver_on_commit):
    session = make_session("vol", capacity=1)
    with deliver_on_commit():
        register_person(session, "eerste@example.nl")
    with deliver_on_commit():
        register_person(session, "tweede@example.nl")
    message = mail.outbox[-1]
    assert message.to == ["tweede@example.nl"]
    assert message.subject.startswith("U staat op de wachtlijst")
    assert "Uw plaats op de wachtlijst: 1." in message.body
    assert "Uw plaats op de wachtlijst: 1." in html_of(message)
    assert message.attachments == []


@pytest.mark.django_db
def test_promoted_person_gets_an_email_with_calendar(register_person, deliver_on_commit):
    session = make_session("wissel", capacity=1)
    seated = register_person(session, "zit@example.nl").aanmelding
    register_person(session, "wacht@example.nl")
    with deliver_on_commit():
        services.cancel_registration(aanmelding=seated)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient["wacht@example.nl"].subject.startswith("Er is een plaats voor u vrijgekomen")
    assert len(by_recipient["wacht@example.nl"].attachments) == 1
    assert by_recipient["zit@example.nl"].subject.startswith("Uw aanmelding is geannuleerd")


@pytest.mark.django_db
def test_cancelled_session_emails_everyone_registered(register_person, deliver_on_commit):
    session = make_session("afgelast", capacity=1)
    register_person(session, "zit@example.nl")
    register_person(session, "wacht@example.nl")
    with deliver_on_commit():
        services.cancel_session(session=session)
    assert sorted(m.to[0] for m in mail.outbox) == ["wacht@example.nl", "zit@example.nl"]
    for message in mail.outbox:
        assert message.subject == f"Regiosessie geannuleerd: {session.title}"
        assert "gaat deze regiosessie niet door" in message.body
        assert "STATUS:CANCELLED" in message.attachments[0][1]


@pytest.mark.django_db
def test_duplicate_registration_resends_the_confirmation(session_a, register_person, deliver_on_commit):
    with deliver_on_commit():
        first = register_person(session_a).aanmelding
    with deliver_on_commit():
        register_person(session_a, " ANNA@example.nl")
    assert [m.subject for m in mail.outbox] == [f"Bevestiging van uw aanmelding: {session_a.title}"] * 2
    assert first.token in mail.outbox[1].body
