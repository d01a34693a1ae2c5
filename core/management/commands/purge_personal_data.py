"""Anonymise registrations after the retention period and delete old contact messages and emails."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.privacy import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymises registrations (Aanmelding) whose session ended more than --days days ago "
        "(default PERSONAL_DATA_RETENTION_DAYS): blanks name, email, organisation, role, needs and "
        "remarks, replaces the personal link and sets anonymised_at; keeps organisation type, attended, "
        "status and session for the report. Deletes contact messages handled, and emails sent, more than "
        "--days days ago, and every email to a registration it anonymises. Registrations that asked for the "
        "results email keep only address, language and session (and their link) until RESULTS_FOLLOWUP_UNTIL, "
        "then are anonymised too; bulk-mail rows of anonymised addresses are deleted. Run daily."
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
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {result.registrations_anonymised} registration(s).")
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {result.contact_messages_deleted} contact message(s).")
        self.stdout.write(f"{verb} {result.emails_deleted} email(s).")
        verb = "Would reduce" if dry_run else "Reduced"
        self.stdout.write(
            f"{verb} {result.registrations_reduced} registration(s) to the address kept for the results email."
        )
        if not dry_run:
            self.stdout.write(f"Deleted {result.bulk_emails_deleted} bulk-mail row(s).")
