"""`manage.py send_outbox`: the periodic job that delivers whatever the task queue did not."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.models import OutboxMessage
from core.tests.factories import make_message


@pytest.mark.django_db
def test_it_sends_waiting_messages_whose_task_was_lost_and_prints_counts():
    waiting = make_message()
    already_sent = make_message(status=OutboxMessage.Status.SENT, sent_at=timezone.now())
    out = StringIO()
    call_command("send_outbox", stdout=out)
    waiting.refresh_from_db()
    assert waiting.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [["iemand@example.nl"]]
    assert OutboxMessage.objects.get(pk=already_sent.pk).attempts == 0
    assert "Sent 1 message(s), 0 failed; 0 not yet delivered." in out.getvalue()


@pytest.mark.django_db
def test_it_respects_the_back_off_unless_told_otherwise():
    later = make_message(
        status=OutboxMessage.Status.FAILED, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    call_command("send_outbox", stdout=StringIO())
    assert OutboxMessage.objects.get(pk=later.pk).status == OutboxMessage.Status.FAILED
    call_command("send_outbox", "--all", stdout=StringIO())
    assert OutboxMessage.objects.get(pk=later.pk).status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_it_keeps_failing_messages_for_the_next_run(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing accepts SMTP here
    settings.EMAIL_TIMEOUT = 2
    message = make_message()
    out = StringIO()
    call_command("send_outbox", stdout=out)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "0 message(s), 1 failed; 1 not yet delivered" in out.getvalue()
