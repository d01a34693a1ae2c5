"""The bulk-mail engine: idempotent mailings, one message per address, the rate per minute (with an
injected clock, no sleeping), failures recorded and retried, rows left by a dead worker taken over,
and the admin's progress and retry. The real-worker kill test is in test_mailing_worker.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import mailing as bulk
from core.models import ContactBericht, Mailing, MailingRecipient

Status = MailingRecipient.Status


def render_for_test(mailing, row):
    """`render_with` target for these tests: the contact message's template triple, and one header."""
    bericht = ContactBericht(name=row.context.get("name", "x"), email=row.email, subject=mailing.key, message="m")
    return {"bericht": bericht, "site_url": "http://testserver"}, {"List-Id": "<test.example.nl>"}


def make_mailing(addresses, key="k1"):
    return bulk.create_mailing(
        kind="test",
        key=key,
        template="contactbericht",
        render_with="core.tests.test_mailing.render_for_test",
        recipients=[bulk.Recipient(email=a, language="nl") for a in addresses],
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


@pytest.mark.django_db
def test_creating_a_mailing_twice_adds_no_mailing_and_no_row():
    first = make_mailing(["a@example.nl", "b@example.nl"])
    again = make_mailing(["A@example.nl ", "b@example.nl", "c@example.nl"])
    assert first.pk == again.pk
    assert Mailing.objects.count() == 1
    assert sorted(first.recipients.values_list("email", flat=True)) == ["a@example.nl", "b@example.nl", "c@example.nl"]


@pytest.mark.django_db
def test_one_row_per_address_even_when_given_twice():
    m = make_mailing(["a@example.nl", "A@Example.nl", "a@example.nl"])
    assert m.recipients.count() == 1


@pytest.mark.django_db
def test_a_batch_sends_each_row_once_with_its_headers_and_fixed_message_id(settings):
    settings.MAILING_BATCH_SIZE = 10
    m = make_mailing(["a@example.nl", "b@example.nl"])
    result = bulk.send_batch(m.pk)
    assert (result.sent, result.failed, result.next_run_at) == (2, 0, None)
    assert sorted(e.to[0] for e in mail.outbox) == ["a@example.nl", "b@example.nl"]
    first = mail.outbox[0]
    assert first.extra_headers["List-Id"] == "<test.example.nl>"
    row = MailingRecipient.objects.get(email=first.to[0])
    assert first.extra_headers["Message-ID"] == f"<mailing-{m.pk}-{row.pk}@consultatie.example.nl>"
    assert bulk.send_batch(m.pk).sent == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_rate_per_minute_holds_across_batches(settings):
    settings.MAILING_RATE_PER_MINUTE = 3
    settings.MAILING_BATCH_SIZE = 2
    clock = Clock()
    m = make_mailing([f"p{i}@example.nl" for i in range(7)])
    assert bulk.send_batch(m.pk, clock=clock).sent == 2  # batch size
    clock.advance(seconds=10)
    assert bulk.send_batch(m.pk, clock=clock).sent == 1  # the minute's third
    clock.advance(seconds=40)
    assert bulk.send_batch(m.pk, clock=clock).sent == 0  # still within the same minute
    clock.advance(seconds=11)  # the first two are more than a minute old
    assert bulk.send_batch(m.pk, clock=clock).sent == 2
    clock.advance(seconds=10)
    assert bulk.send_batch(m.pk, clock=clock).sent == 1
    assert len(mail.outbox) == 6
    sent_times = sorted(MailingRecipient.objects.filter(status=Status.SENT).values_list("sent_at", flat=True))
    for i, moment in enumerate(sent_times):
        in_window = [t for t in sent_times if moment - timedelta(minutes=1) < t <= moment]
        assert len(in_window) <= 3, f"message {i}: {len(in_window)} in one minute"


@pytest.mark.django_db
def test_a_refused_message_is_recorded_and_retried_after_the_back_off(settings, monkeypatch):
    clock = Clock()
    m = make_mailing(["a@example.nl", "b@example.nl"])

    original = bulk.build_email

    def refuse_a(row, **kwargs):
        if row.email == "a@example.nl":
            raise ConnectionRefusedError("451 try later")
        return original(row, **kwargs)

    monkeypatch.setattr(bulk, "build_email", refuse_a)
    result = bulk.send_batch(m.pk, clock=clock)
    assert (result.sent, result.failed) == (1, 1)
    failed = MailingRecipient.objects.get(email="a@example.nl")
    assert failed.status == Status.FAILED and "451" in failed.last_error and failed.attempts == 1
    assert result.next_run_at == failed.next_attempt_at == clock.now + timedelta(minutes=1)

    monkeypatch.setattr(bulk, "build_email", original)
    assert bulk.send_batch(m.pk, clock=clock).sent == 0  # back-off not over
    clock.advance(minutes=2)
    assert bulk.send_batch(m.pk, clock=clock).sent == 1
    assert sorted(e.to[0] for e in mail.outbox) == ["a@example.nl", "b@example.nl"]


@pytest.mark.django_db
def test_a_row_left_sending_by_a_dead_worker_is_taken_over_after_the_claim_timeout(settings):
    settings.MAILING_CLAIM_TIMEOUT_SECONDS = 600
    clock = Clock()
    m = make_mailing(["a@example.nl"])
    assert bulk.claim_next(m.pk, now=clock()) is not None  # a worker claims it, then dies
    assert bulk.claim_next(m.pk, now=clock()) is None  # nobody else takes a live claim
    assert bulk.send_batch(m.pk, clock=clock).sent == 0
    clock.advance(seconds=601)
    assert bulk.send_batch(m.pk, clock=clock).sent == 1
    assert MailingRecipient.objects.get().attempts == 2


@pytest.mark.django_db
def test_the_periodic_command_sends_what_is_due(settings):
    settings.MAILING_BATCH_SIZE = 2
    make_mailing(["a@example.nl", "b@example.nl", "c@example.nl"])
    call_command("send_mailings", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 3


@pytest.mark.django_db
class TestAdmin:
    def test_programme_staff_see_progress_and_retry_failures(
        self, client, programmateam, django_capture_on_commit_callbacks
    ):
        m = make_mailing(["a@example.nl", "b@example.nl", "c@example.nl"])
        MailingRecipient.objects.filter(email="a@example.nl").update(status=Status.SENT, sent_at=timezone.now())
        MailingRecipient.objects.filter(email="b@example.nl").update(status=Status.FAILED, attempts=5, last_error="550")
        client.force_login(programmateam)
        response = client.get(reverse("admin:core_mailing_changelist"))
        assert response.status_code == 200
        row = response.content.decode().split('class="field-key"')[1].split("</tr>")[0]
        assert [cell.split(">")[1].split("<")[0] for cell in row.split("<td")[1:]] == ["1", "1", "1"]

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:core_mailing_changelist"),
                {"action": "retry_failed", "_selected_action": [m.pk]},
                follow=True,
            )
        assert "1 bericht opnieuw in de wachtrij gezet" in response.content.decode()
        assert MailingRecipient.objects.get(email="b@example.nl").status == Status.SENT
        assert sorted(e.to[0] for e in mail.outbox) == ["b@example.nl", "c@example.nl"]

    def test_facilitator_cannot_see_mailings(self, client, facilitator_a):
        client.force_login(facilitator_a)
        assert client.get(reverse("admin:core_mailing_changelist")).status_code == 403


@pytest.mark.django_db
def test_a_mail_server_that_drops_the_connection_costs_one_row_not_the_batch(settings):
    """A real SMTP server that hangs up during the first message (before accepting it): that row fails
    and is retried after its back-off; the rest of the batch goes out over a new connection."""
    import socket as socketlib

    from aiosmtpd.controller import Controller

    class HangUpOnce:
        def __init__(self):
            self.hung_up = False
            self.received = []

        async def handle_DATA(self, server, session, envelope):
            if not self.hung_up:
                self.hung_up = True
                server.transport.close()  # gone before answering: the message is not accepted
                return "421 4.3.0 Closing"
            self.received.extend(envelope.rcpt_tos)
            return "250 OK"

    with socketlib.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = HangUpOnce()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    clock = Clock()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        settings.MAILING_BATCH_SIZE = 10
        m = make_mailing([f"p{i}@example.nl" for i in range(4)])
        result = bulk.send_batch(m.pk, clock=clock)
        assert (result.sent, result.failed) == (3, 1)
        assert sorted(handler.received) == ["p1@example.nl", "p2@example.nl", "p3@example.nl"]
        assert MailingRecipient.objects.get(status=Status.FAILED).email == "p0@example.nl"
        clock.advance(minutes=2)
        assert bulk.send_batch(m.pk, clock=clock).sent == 1
    finally:
        controller.stop()
    assert sorted(handler.received) == [f"p{i}@example.nl" for i in range(4)]


@pytest.mark.django_db
def test_a_message_accepted_but_never_confirmed_is_sent_again_with_the_same_message_id(settings):
    """The window the module doc describes: the server keeps the message but the connection dies
    before its "250" reaches us. We send it again (never skip); the copy has the same Message-ID, so
    mail programs that collapse duplicates show it once. This test pins that choice."""
    import email as emaillib
    import socket as socketlib

    from aiosmtpd.controller import Controller

    class KeepsThenHangsUp:
        def __init__(self):
            self.message_ids = []

        async def handle_DATA(self, server, session, envelope):
            self.message_ids.append(emaillib.message_from_bytes(envelope.content)["Message-ID"])
            if len(self.message_ids) == 1:
                server.transport.close()  # kept, but the sender never hears "250"
            return "250 OK"

    with socketlib.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = KeepsThenHangsUp()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    clock = Clock()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        m = make_mailing(["a@example.nl"])
        assert bulk.send_batch(m.pk, clock=clock).failed == 1
        clock.advance(minutes=2)
        assert bulk.send_batch(m.pk, clock=clock).sent == 1
    finally:
        controller.stop()
    assert len(handler.message_ids) == 2
    assert handler.message_ids[0] == handler.message_ids[1]
