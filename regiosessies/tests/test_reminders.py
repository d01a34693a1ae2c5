"""The reminder two days before a session: confirmed registrants only, with address, route and .ics,
through the outbox, and never twice (send_reminders command)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core.models import OutboxMessage
from regiosessies import services
from regiosessies.models import Aanmelding


def reminders():
    return OutboxMessage.objects.filter(template="aanmelding_herinnering")


@pytest.mark.django_db
def test_reminder_goes_out_two_days_before_and_only_once(
    session_a, register_person, django_capture_on_commit_callbacks
):
    seated = register_person(session_a, "zit@example.nl").aanmelding
    mail.outbox.clear()

    with time_machine.travel(session_a.start - timedelta(days=3), tick=False):
        call_command("send_reminders", stdout=StringIO())
    assert reminders().count() == 0

    with time_machine.travel(session_a.start - timedelta(days=2) + timedelta(minutes=30), tick=False):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=out)
        assert "Queued 1 reminder(s)" in out.getvalue()
        call_command("send_reminders", stdout=StringIO())  # the next hourly run

    assert reminders().count() == 1
    seated.refresh_from_db()
    assert seated.reminder_sent_at is not None
    [message] = mail.outbox
    assert message.to == ["zit@example.nl"]
    assert "Markt 1" in message.body and "https://www.openstreetmap.org/search?query=" in message.body
    assert seated.get_absolute_url() in message.body
    assert [name for name, *_ in message.attachments] == ["regiosessie.ics"]


@pytest.mark.django_db
def test_waiting_cancelled_and_cancelled_sessions_get_no_reminder(session_a, session_b, register_person):
    session_a.capacity = 1
    session_a.save()
    register_person(session_a, "zit@example.nl")
    waiting = register_person(session_a, "wacht@example.nl").aanmelding
    gone = register_person(session_b, "weg@example.nl").aanmelding
    services.cancel_registration(aanmelding=gone)
    assert waiting.status == Aanmelding.Status.WAITLISTED

    with time_machine.travel(session_a.start - timedelta(days=1), tick=False):
        assert services.send_due_reminders() == 1
    assert list(reminders().values_list("recipient", flat=True)) == ["zit@example.nl"]

    register_person(session_b, "ook@example.nl")  # confirmed, but the session is called off
    services.cancel_session(session=session_b)
    with time_machine.travel(session_b.start - timedelta(days=1), tick=False):
        assert services.send_due_reminders() == 0


@pytest.mark.django_db
def test_a_session_that_started_gets_no_late_reminder(session_a, register_person):
    register_person(session_a)
    with time_machine.travel(session_a.start + timedelta(minutes=1), tick=False):
        assert services.send_due_reminders() == 0


@pytest.mark.django_db
def test_reminder_is_in_the_registrants_language(session_a, register_person, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"):
        register_person(session_a, "en@example.nl")
    mail.outbox.clear()
    with time_machine.travel(session_a.start - timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.send_due_reminders()
    [message] = mail.outbox
    assert message.subject.startswith("Reminder:")
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_someone_who_registers_within_the_two_days_gets_no_extra_reminder(session_a, register_person):
    early = register_person(session_a, "vroeg@example.nl").aanmelding
    with time_machine.travel(session_a.start - timedelta(days=1), tick=False):
        late = register_person(session_a, "laat@example.nl").aanmelding  # the confirmation is enough
        assert services.send_due_reminders() == 1
    assert list(reminders().values_list("recipient", flat=True)) == [early.email]
    late.refresh_from_db()
    assert late.reminder_sent_at is None
