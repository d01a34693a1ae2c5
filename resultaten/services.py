"""Publishing the results: freezing the current data, report and open-data files as a numbered version.

`publish` is idempotent: when the data is the same as the latest version's (same fingerprint), no new
version is made. A new version is announced with `signals.results_published` after commit (the
results email hangs off it), and the public pages are marked stale.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from consultatie.pagecache import content_changed
from rapportage.data import build_report
from rapportage.pdf import BACKGROUND_TIME_LIMIT, render_pdf, report_html
from resultaten import opendata, snapshot
from resultaten.models import OpenDataBestand, Publicatie
from resultaten.signals import results_published

logger = logging.getLogger(__name__)


def publish(*, user=None, time_limit: float = BACKGROUND_TIME_LIMIT) -> tuple[Publicatie, bool]:
    """Publish the current results; returns (the version now public, whether it is new).

    The PDF is rendered before the transaction (in rapportage's forked, time-limited renderer), so a slow
    render holds no lock; a render that fails raises `rapportage.pdf.RenderError` and publishes nothing.
    """
    data = snapshot.build_snapshot()
    rapport = build_report()
    fingerprint = snapshot.fingerprint(data, asdict(rapport))
    latest = Publicatie.objects.latest_version()
    if latest is not None and latest.fingerprint == fingerprint:
        return latest, False

    html = report_html(rapport)
    pdf = render_pdf(html, time_limit=time_limit)
    files = opendata.render_files(data)
    try:
        return _store(data=data, fingerprint=fingerprint, html=html, pdf=pdf, files=files, user=user)
    except IntegrityError:
        # Two publishers at once: the other one took the version number. Theirs stands if it is the same data.
        latest = Publicatie.objects.latest_version()
        if latest is not None and latest.fingerprint == fingerprint:
            return latest, False
        raise


def _store(*, data, fingerprint, html, pdf, files, user) -> tuple[Publicatie, bool]:
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
        )
        publicatie.report_pdf.save(f"resultaten-v{version}-{fingerprint[:12]}.pdf", ContentFile(pdf.content), save=False)
        publicatie.save()
        OpenDataBestand.objects.bulk_create(OpenDataBestand(publicatie=publicatie, **f) for f in files)
        content_changed()
        transaction.on_commit(lambda: results_published.send(sender=Publicatie, publicatie=publicatie))
    logger.info("Published results version %s (%s)", version, fingerprint[:12])
    return publicatie, True
