"""The email outbox: stored with the change, delivered after commit, failures recorded and retried,
resent from the admin. A refusing mail server never loses a registration or a message."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import mail as outbox
from core.models import OutboxMessage
from core.tests.factories import make_message
from regiosessies import services
from regiosessies.models import Aanmelding


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SwitchableHandler:
    """An SMTP server that refuses every message until told to accept."""

    def __init__(self):
        self.accept = False
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if not self.accept:
            return "451 4.3.0 Tijdelijk niet beschikbaar"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    handler = SwitchableHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


@pytest.mark.django_db
def test_refusing_mail_server_keeps_the_registration_and_the_retry_command_delivers_later(
    session_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.register(
            session=session_a, name="Anna", email="anna@example.nl", organisation_type="gemeente"
        )

    assert Aanmelding.objects.filter(pk=result.aanmelding.pk, status="confirmed").exists()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "451" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert smtp_server.received == []

    # Before the back-off has passed the periodic job leaves it alone...
    call_command("send_outbox")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED

    # ...and once the server accepts again, the job delivers it.
    smtp_server.accept = True
    call_command("send_outbox", "--all")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.sent_at is not None
    (envelope,) = smtp_server.received
    assert envelope.rcpt_tos == ["anna@example.nl"]
    raw = envelope.content.decode()
    assert "text/calendar" in raw and "text/html" in raw


@pytest.mark.django_db
def test_mail_server_that_is_down_is_recorded_and_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens here
    message = make_message()
    assert outbox.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "ConnectionRefusedError" in message.last_error


@pytest.mark.django_db
def test_a_message_is_sent_once_even_when_delivered_twice():
    message = make_message()
    assert outbox.deliver(message.pk) is True
    assert outbox.deliver(message.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_delivery_interrupted_midway_is_picked_up_again_after_ten_minutes():
    now = timezone.now()
    stuck = make_message(status=OutboxMessage.Status.SENDING, claimed_at=now - timedelta(minutes=11))
    busy = make_message(status=OutboxMessage.Status.SENDING, claimed_at=now - timedelta(minutes=1))
    assert list(OutboxMessage.objects.due(now)) == [stuck]
    assert outbox.deliver_due(now=now) == (1, 0)
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == OutboxMessage.Status.SENT
    assert busy.status == OutboxMessage.Status.SENDING


@pytest.mark.django_db
def test_resending_a_sent_message_sends_a_fresh_copy(django_capture_on_commit_callbacks):
    message = make_message()
    outbox.deliver(message.pk)
    with django_capture_on_commit_callbacks(execute=True):
        copy = outbox.resend(OutboxMessage.objects.get(pk=message.pk))
    assert copy.pk != message.pk
    assert OutboxMessage.objects.get(pk=copy.pk).status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_attachments_and_reply_to_reach_the_mail():
    message = make_message(
        reply_to="vrager@example.nl",
        attachments=[{"filename": "a.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}],
    )
    outbox.deliver(message.pk)
    (sent,) = mail.outbox
    assert sent.reply_to == ["vrager@example.nl"]
    assert sent.attachments == [("a.ics", "BEGIN:VCALENDAR", "text/calendar")]


@pytest.mark.django_db
class TestOutboxAdmin:
    def test_programme_staff_can_resend_a_failed_message(
        self, client, programmateam, django_capture_on_commit_callbacks
    ):
        failed = make_message(
            status=OutboxMessage.Status.FAILED, attempts=3, next_attempt_at=timezone.now() + timedelta(hours=1)
        )
        client.force_login(programmateam)
        changelist = reverse("admin:core_outboxmessage_changelist")
        assert client.get(changelist).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(changelist, {"action": "resend", "_selected_action": [failed.pk]}, follow=True)
        assert response.status_code == 200
        failed.refresh_from_db()
        assert failed.status == OutboxMessage.Status.SENT
        assert failed.attempts == 4
        assert "opnieuw in de wachtrij gezet" in response.content.decode()

    def test_facilitator_cannot_see_the_outbox(self, client, facilitator_a):
        make_message()
        client.force_login(facilitator_a)
        assert client.get(reverse("admin:core_outboxmessage_changelist")).status_code == 403
        assert client.get(reverse("admin:core_contactbericht_changelist")).status_code == 403
