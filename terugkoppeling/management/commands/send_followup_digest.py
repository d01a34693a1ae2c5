"""The weekly follow-up digest: run daily as a periodic job (cron / systemd timer)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from terugkoppeling.services import send_followup_digest


class Command(BaseCommand):
    help = (
        "Emails each participant who asked for the results the knelpunten of their region(s) whose follow-up "
        "status changed since their last email, and a results version published since then, at most once per "
        "RESULTS_DIGEST_INTERVAL_DAYS; nobody gets an empty digest. Also sends the results email (once per "
        "address) to anyone who consented after it went out. "
        "Creates core.Mailing / MailingRecipient rows (sent by the task worker); changes nothing else. "
        "Does nothing before the first publication. Run it daily; running it twice a day sends nothing twice."
    )

    def handle(self, *args, **options):
        mailing = send_followup_digest()
        if mailing is None:
            self.stdout.write("No digest: nothing changed for anyone who is due one.")
            return
        self.stdout.write(
            f"Digest {mailing.key}: {mailing.recipients.count()} recipient(s) "
            f"(at most one per {settings.RESULTS_DIGEST_INTERVAL_DAYS} day(s) each)."
        )
