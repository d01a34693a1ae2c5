"""Export obstacles to a spreadsheet that the import accepts again."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from belemmeringen.models import Belemmering
from belemmeringen.spreadsheets import export_belemmeringen
from regiosessies.models import Regiosessie


class Command(BaseCommand):
    help = (
        "Writes obstacles to FILE: XLSX (sheets 'Belemmeringen' and 'Behoeften') or CSV (obstacles only), "
        "chosen by the file's extension. Without --sessie all sessions are exported. Only reads the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to write, ending in .xlsx or .csv.")
        parser.add_argument(
            "--sessie", dest="session_slug", metavar="SESSIE", help="Slug of one regional session to export."
        )

    def handle(self, *args, file: str, session_slug: str | None = None, **options):
        path = Path(file)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("Het bestand moet eindigen op .xlsx of .csv.")
        queryset = Belemmering.objects.all()
        if session_slug:
            try:
                queryset = queryset.filter(session=Regiosessie.objects.get(slug=session_slug))
            except Regiosessie.DoesNotExist:
                raise CommandError(f"Regiosessie '{session_slug}' bestaat niet.") from None
        queryset = queryset.order_by("session__start", "thema__order", "pk")
        count = queryset.count()
        try:
            path.write_bytes(export_belemmeringen(queryset, fmt))
        except OSError as e:
            raise CommandError(f"Kan '{file}' niet schrijven: {e.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"{count} belemmeringen geschreven naar {path}."))
