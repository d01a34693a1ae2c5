"""A publication made without rendering the PDF, for tests that are about access, not the report
(the access matrix builds one per test; a real render takes seconds)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from resultaten import opendata, snapshot
from resultaten.models import OpenDataBestand, Publicatie
from resultaten.services import draw_figures


def make_publication(*, version: int = 1) -> Publicatie:
    data = snapshot.build_snapshot()
    publicatie = Publicatie(
        version=version,
        published_at=timezone.now(),
        fingerprint=snapshot.fingerprint(data),
        data=data,
        report_html="<!doctype html><html lang='nl'><body><main><h1>Rapport</h1></main></body></html>",
        report_pages=1,
        figures=draw_figures(data),
    )
    publicatie.report_pdf.save(f"test-v{version}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    publicatie.save()
    OpenDataBestand.objects.bulk_create(
        OpenDataBestand(publicatie=publicatie, **f) for f in opendata.render_files(data)
    )
    return publicatie
