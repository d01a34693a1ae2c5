"""Getting a report PDF: from the cache when the data is unchanged, rendered inline when it is small,
by the background worker when it is big.

The cache key is the fingerprint of the report data (`Rapport.fingerprint`): a hash of everything the
PDF shows plus the template version. An unchanged report is served from the stored file without
rendering; any change to a finding, a need, a lamp-post answer, a session or the report texts gives a
new fingerprint and so a new PDF.

Rendering never blocks a web process for long: a report with more than `INLINE_MAX_OBSTACLES`
established obstacles is queued for the task worker (`rapportage.tasks.render_report`) and the page
shows its progress. Inline renders are stopped after `pdf.INLINE_TIME_LIMIT` seconds.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.pdf import RenderError, render_pdf
from rapportage.data import Rapport, build_report
from rapportage.models import RapportRender
from rapportage.pdf import BACKGROUND_TIME_LIMIT, INLINE_TIME_LIMIT, report_html
from regiosessies.models import Regiosessie

logger = logging.getLogger(__name__)

# Reports with more established obstacles than this go to the task worker. Measured
# (docs/performance.md): a session's report (~25 obstacles, ~20 pages) renders in a few seconds, the
# whole demo report (~150 obstacles, ~45 pages) takes over ten; a web request should not wait that long.
INLINE_MAX_OBSTACLES = getattr(settings, "RAPPORT_INLINE_MAX_OBSTACLES", 40)
# A queued render not finished after this long is taken as lost (a worker restarted mid-render): the
# next request queues a new one instead of waiting on it for ever.
STALE_AFTER = timedelta(hours=1)
# Finished renders kept per scope (the whole report, or one session's); older files are removed.
KEEP_RENDERS = 3


def _same_scope(render: RapportRender) -> dict:
    return {"session_id": render.session_id} if render.session_id else {"session__isnull": True}


def _filename(rapport: Rapport, fingerprint: str) -> str:
    scope = rapport.session_slug or "alle-regiosessies"
    return f"rapport-{scope}-{fingerprint[:12]}.pdf"


def _store(render: RapportRender, *, rapport: Rapport, fingerprint: str, content: bytes, pages: int) -> None:
    render.pdf.save(_filename(rapport, fingerprint), ContentFile(content), save=False)
    render.fingerprint = fingerprint
    render.status = RapportRender.Status.DONE
    render.page_count = pages
    render.obstacle_count = rapport.figures.entries
    render.error = ""
    render.finished = timezone.now()
    render.save()
    _prune(render)


def _prune(latest: RapportRender) -> None:
    """Keep the last few finished files per scope; a report is cheap to make again, disk is not free."""
    finished = RapportRender.objects.filter(status=RapportRender.Status.DONE, **_same_scope(latest)).order_by(
        "-finished", "-created"
    )
    for old in finished[KEEP_RENDERS:]:
        if old.pdf:
            old.pdf.delete(save=False)
        old.delete()


def request_report(*, session: Regiosessie | None = None, rapport: Rapport | None = None) -> RapportRender:
    """Return a render of the current report: finished (cached or just made) or queued.

    A caller gets a render whose status is DONE (serve the file), PENDING/RUNNING (show progress) or
    FAILED (show the error; nothing is lost, asking again tries again).
    """
    rapport = rapport or build_report(session=session)
    fingerprint = rapport.fingerprint()

    cached = RapportRender.objects.cached(fingerprint)
    if cached is not None:
        return cached

    queued = RapportRender.objects.pending_for(fingerprint).filter(created__gte=timezone.now() - STALE_AFTER).first()
    if queued is not None:
        return queued

    if rapport.figures.entries > INLINE_MAX_OBSTACLES:
        return queue_report(session=session, fingerprint=fingerprint, obstacle_count=rapport.figures.entries)

    render = RapportRender(
        session=session,
        fingerprint=fingerprint,
        status=RapportRender.Status.RUNNING,
        obstacle_count=rapport.figures.entries,
    )
    try:
        pdf = render_pdf(report_html(rapport), time_limit=INLINE_TIME_LIMIT)
    except RenderError as exc:
        logger.warning("Report render failed inline: %s", exc)
        render.status = RapportRender.Status.FAILED
        render.error = str(exc)
        render.finished = timezone.now()
        render.save()
        return render
    _store(render, rapport=rapport, fingerprint=fingerprint, content=pdf.content, pages=pdf.pages)
    return render


def queue_report(*, session: Regiosessie | None, fingerprint: str, obstacle_count: int) -> RapportRender:
    """Record a pending render and hand it to the task worker once the row is committed."""
    from rapportage.tasks import render_report  # the task module imports this one

    with transaction.atomic():
        render = RapportRender.objects.create(
            session=session,
            fingerprint=fingerprint,
            status=RapportRender.Status.PENDING,
            obstacle_count=obstacle_count,
        )
        render_id = str(render.pk)
        transaction.on_commit(lambda: render_report.enqueue(render_id))
    return render


def run_render(*, render: RapportRender, time_limit: float = BACKGROUND_TIME_LIMIT) -> RapportRender:
    """Make the PDF for a queued render (called by the task worker and by `render_rapport`).

    The data is built afresh: if findings changed while the render waited, the file shows the newer
    data and the render takes the newer fingerprint, so the next request finds it.
    """
    if render.status == RapportRender.Status.DONE and render.file_exists():
        return render
    RapportRender.objects.filter(pk=render.pk).update(status=RapportRender.Status.RUNNING)
    rapport = build_report(session=render.session)
    fingerprint = rapport.fingerprint()
    try:
        pdf = render_pdf(report_html(rapport), time_limit=time_limit)
    except RenderError as exc:
        logger.warning("Report render %s failed: %s", render.pk, exc)
        render.status = RapportRender.Status.FAILED
        render.error = str(exc)
        render.finished = timezone.now()
        render.save(update_fields=["status", "error", "finished"])
        return render
    _store(render, rapport=rapport, fingerprint=fingerprint, content=pdf.content, pages=pdf.pages)
    return render
