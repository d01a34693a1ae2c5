"""Publishing the results: freezing the current data, report and open-data files as a numbered version.

`publish` is idempotent: when the data is the same as the latest version's (same fingerprint), no new
version is made. A new version is announced with `signals.results_published` after commit (the
results email hangs off it), and the public pages are marked stale.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belemmeringen.models import Niveau
from core.pagecache import content_changed
from core.pdf import render_pdf
from rapportage import charts
from rapportage.data import Matrix, build_report
from rapportage.pdf import BACKGROUND_TIME_LIMIT, report_html
from resultaten import opendata, snapshot
from resultaten.models import OpenDataBestand, Publicatie
from resultaten.signals import results_published

logger = logging.getLogger(__name__)


def publish(*, user=None, time_limit: float = BACKGROUND_TIME_LIMIT) -> tuple[Publicatie, bool]:
    """Publish the current results; returns (the version now public, whether it is new).

    The PDF is rendered before the transaction (in rapportage's forked, time-limited renderer), so a slow
    render holds no lock; a render that fails raises `core.pdf.RenderError` and publishes nothing.
    """
    data = snapshot.build_snapshot()
    # The report's shopping list ranks by the participants' points once a prioritisation round has closed.
    rapport = build_report(points=snapshot.points_per_need(data))
    fingerprint = snapshot.fingerprint(data, asdict(rapport))
    latest = Publicatie.objects.latest_version()
    if latest is not None and latest.fingerprint == fingerprint:
        return latest, False

    html = report_html(rapport)
    pdf = render_pdf(html, time_limit=time_limit)
    files = opendata.render_files(data)
    figures = draw_figures(data)
    try:
        return _store(data=data, fingerprint=fingerprint, html=html, pdf=pdf, files=files, figures=figures, user=user)
    except IntegrityError:
        # Two publishers at once: the other one took the version number. Theirs stands if it is the same data.
        latest = Publicatie.objects.latest_version()
        if latest is not None and latest.fingerprint == fingerprint:
            return latest, False
        raise


def draw_figures(data: dict) -> dict[str, dict[str, str]]:
    """The results page's chart (knelpunten per theme and level) as SVG, in both languages."""
    levels = [Niveau.NATIONAAL, Niveau.REGIONAAL, Niveau.LOKAAL]
    counts = Counter((k["theme_slug"], k["level"]) for k in data["knelpunten"])
    chart = getattr(charts, "heat_map", charts.matrix_chart)
    drawn = {}
    for language in ("nl", "en"):
        with translation.override(language):
            labels = dict(Niveau.choices)
            rows = [(t.get("name_en") if language == "en" else "") or t["name"] for t in data["themes"]]
            cells = [[counts[(t["slug"], lv)] for lv in levels] for t in data["themes"]]
            matrix = Matrix(
                rows=rows,
                columns=[str(labels[lv]) for lv in levels],
                cells=cells,
                row_totals=[sum(row) for row in cells],
                column_totals=[sum(row[c] for row in cells) for c in range(len(levels))],
                total=sum(sum(row) for row in cells),
            )
            drawn[language] = {"theme_level": str(chart(matrix, title=_("Knelpunten per thema en niveau")))}
    return drawn


def _store(*, data, fingerprint, html, pdf, files, figures, user) -> tuple[Publicatie, bool]:
    with transaction.atomic():
        latest = Publicatie.objects.select_for_update().order_by("-version").first()
        if latest is not None and latest.fingerprint == fingerprint:
            return latest, False
        version = (Publicatie.objects.aggregate(n=Max("version"))["n"] or 0) + 1
        publicatie = Publicatie(
            version=version,
            published_at=timezone.now(),
            published_by=user if user is not None and user.is_authenticated else None,
            fingerprint=fingerprint,
            data=data,
            report_html=html,
            report_pages=pdf.pages,
            figures=figures,
        )
        publicatie.report_pdf.save(
            f"resultaten-v{version}-{fingerprint[:12]}.pdf", ContentFile(pdf.content), save=False
        )
        publicatie.save()
        OpenDataBestand.objects.bulk_create(OpenDataBestand(publicatie=publicatie, **f) for f in files)
        content_changed()
        transaction.on_commit(lambda: results_published.send(sender=Publicatie, publicatie=publicatie))
    logger.info("Published results version %s (%s)", version, fingerprint[:12])
    return publicatie, True
