"""Queue the reminder email two days before each session: run it as a periodic job (hourly is plenty)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from regiosessies.services import REMINDER_BEFORE, send_due_reminders


class Command(BaseCommand):
    help = (
        "Queues a reminder (address, route link and calendar file) in the email outbox for every confirmed "
        "registration whose session starts within the next two days and that has had no reminder yet; marks "
        "each with reminder_sent_at. Touches regiosessies.Aanmelding.reminder_sent_at and core.OutboxMessage "
        "only. Safe to run as often as you like, also twice at once: nobody gets a second reminder."
    )

    def handle(self, *args, **options):
        queued = send_due_reminders()
        hours = int(REMINDER_BEFORE.total_seconds() // 3600)
        self.stdout.write(f"Queued {queued} reminder(s) for sessions starting within {hours} hours.")
