"""Import a spreadsheet of obstacles into one regional session (the same import as the admin's)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from belemmeringen.services import import_belemmeringen
from belemmeringen.spreadsheets import SpreadsheetError, check_size
from regiosessies.models import Regiosessie


class Command(BaseCommand):
    help = (
        "Reads obstacles from an XLSX or CSV file (columns as in the admin's blank template) into the "
        "regional session given with --sessie: rows without ID become new obstacles, rows with an ID "
        "update that session's obstacle; needs named in the Behoeften column are linked (and created "
        "when new). Within the import limits (10 MB, IMPORT_MAX_ROWS rows, IMPORT_MAX_SHEET_BYTES per "
        "unpacked sheet, IMPORT_TIME_LIMIT seconds). All or nothing: any error imports nothing and exits with status 1. --dry-run "
        "checks the file and reports what would happen without saving."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to an .xlsx or .csv file.")
        parser.add_argument(
            "--sessie",
            dest="session_slug",
            metavar="SESSIE",
            required=True,
            help="Slug of the regional session to import into.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args, file: str, session_slug: str, dry_run: bool = False, **options):
        try:
            session = Regiosessie.objects.get(slug=session_slug)
        except Regiosessie.DoesNotExist:
            raise CommandError(f"Regiosessie '{session_slug}' bestaat niet.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand '{file}' bestaat niet.")

        try:
            # Before reading: the size limit holds here as in the admin, whatever the file.
            check_size(path.stat().st_size)
        except SpreadsheetError as e:
            raise CommandError(str(e)) from None

        report = import_belemmeringen(data=path.read_bytes(), file_name=path.name, session=session, dry_run=dry_run)

        for message in report.errors:
            self.stderr.write(message)
        counts = f"{report.new} nieuw, {report.updated} bijgewerkt, {report.unchanged} ongewijzigd"
        if report.new_behoeften:
            counts += f", {len(report.new_behoeften)} nieuwe behoefte(n)"
        if not report.ok:
            raise CommandError(f"Niets ingelezen: {len(report.errors)} fout(en) in {path.name}.")
        if dry_run:
            self.stdout.write(f"Proefdraai, niets opgeslagen: {counts}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Ingelezen in {session.title}: {counts}."))
