"""The retention purge: every registered source of personal data anonymises what is past its retention period;
old contact messages and emails are deleted."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.privacy import purge_personal_data


class Command(BaseCommand):
    help = (
        "Asks every registered source of personal data (core.privacy.PersonalData; registrations: "
        "regiosessies/privacy.py) to anonymise its records whose retention of --days days (default "
        "PERSONAL_DATA_RETENTION_DAYS) is over, keeping what the report counts; a source may keep a record "
        "reduced a while longer for one purpose (registrations that asked for the results email keep only "
        "address, language and session until RESULTS_FOLLOWUP_UNTIL). Deletes contact messages handled, and "
        "emails sent, more than --days days ago, every email about a record it anonymises or reduces, and the "
        "bulk-mail rows of addresses no record holds any more. Prints one line per count, in each source's own "
        "words. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Retention in days after the session ended (default {settings.PERSONAL_DATA_RETENTION_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be anonymised or deleted.")

    def handle(self, *args, days: int | None = None, dry_run: bool = False, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        result = purge_personal_data(days=days, dry_run=dry_run)
        # The sources describe their counts in translated words; the log reads in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            if dry_run:
                self.stdout.write(_("Proefdraai, er is niets gewijzigd. Zonder --dry-run zou dit gebeuren:"))
            for line in result.describe():
                self.stdout.write(f"{line}.")
