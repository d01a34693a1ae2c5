"""Retry the email outbox: run every few minutes as a periodic job (cron / systemd timer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.mail import deliver_due
from core.models import OutboxMessage


class Command(BaseCommand):
    help = (
        "Sends every outbox message that is waiting, failed (after its back-off) or stuck in 'sending' for "
        "more than ten minutes. Touches only core.OutboxMessage rows. Safe to run next to the task "
        "worker: each message is claimed before it is sent. Run it every few minutes as a periodic job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Ignore the back-off: also retry failed messages whose next attempt is not yet due.",
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many messages.")

    def handle(self, *args, all: bool = False, limit: int | None = None, **options):
        if all:
            OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).update(next_attempt_at=None)
        sent, failed = deliver_due(now=timezone.now(), limit=limit)
        left = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
        self.stdout.write(f"Sent {sent} message(s), {failed} failed; {left} not yet delivered.")
