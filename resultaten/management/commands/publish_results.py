"""Publish the consultation's results: freeze the report (HTML and PDF), the figures and the open-data
files as a new numbered version, unless the data equals the latest version's."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.pdf import RenderError
from resultaten.services import publish


class Command(BaseCommand):
    help = (
        "Publiceert de resultaten: bevriest rapport (HTML en PDF), figuren en open-databestanden als een nieuwe, "
        "genummerde versie en maakt ze openbaar op /resultaten/ en /open-data/. Zijn de gegevens gelijk aan de "
        "laatste versie, dan wordt er niets nieuws gemaakt. De eerste versie start de resultatenmail; wie die al "
        "kreeg, hoort van een latere versie in het overzicht van de opvolging."
    )

    def handle(self, *args, **options):
        try:
            publicatie, created = publish()
        except RenderError as exc:
            raise CommandError(f"Niet gepubliceerd: {exc}") from exc
        date = f"{publicatie.published_at:%Y-%m-%d %H:%M}"
        if created:
            self.stdout.write(
                f"Versie {publicatie.version} gepubliceerd ({date}): {len(publicatie.data['knelpunten'])} knelpunten, "
                f"{len(publicatie.data['entries'])} inbrengen, {publicatie.bestanden.count()} open-databestanden, "
                f"rapport van {publicatie.report_pages} pagina's."
            )
        else:
            self.stdout.write(f"Geen nieuwe versie: de gegevens zijn gelijk aan versie {publicatie.version} ({date}).")
