"""Send what is due in every bulk mailing: run every minute as a periodic job (cron / systemd timer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.mailing import send_due
from core.models import MailingRecipient


class Command(BaseCommand):
    help = (
        "Sends the due rows of every bulk mailing (core.Mailing / MailingRecipient): waiting ones, "
        "failed ones past their back-off, and ones a killed worker left in 'sending' past "
        "MAILING_CLAIM_TIMEOUT_SECONDS, within MAILING_RATE_PER_MINUTE. Touches only MailingRecipient rows. "
        "Safe next to the task worker: each row is claimed before it is sent. Run it every minute."
    )

    def handle(self, *args, **options):
        result = send_due()
        left = MailingRecipient.objects.exclude(status=MailingRecipient.Status.SENT).count()
        self.stdout.write(f"Sent {result.sent} message(s), {result.failed} failed; {left} not yet delivered.")
