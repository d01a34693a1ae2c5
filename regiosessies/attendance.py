"""The printable attendance list (presentielijst) per session.

The list shows confirmed registrations only, sorted by name, with an empty column to sign in. It is
made by `core.pdf.render_pdf`, like every PDF: only the project's own static files are fetched, and
the render runs in a child process with a time limit. A render that fails or runs too long raises
`core.pdf.RenderError`, with a Dutch message for the person who asked for the list.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from core.pdf import INLINE_TIME_LIMIT, STATIC_BASE_URL, RenderError, render_pdf
from regiosessies.models import Aanmelding, Regiosessie

logger = logging.getLogger(__name__)


def attendees(session: Regiosessie) -> list[Aanmelding]:
    """Confirmed registrations, sorted by name as people look themselves up on paper."""
    return list(session.aanmeldingen.confirmed().order_by(Lower("name"), "name", "pk"))


def render_attendance_pdf(*, sessions: Iterable[Regiosessie], time_limit: float = INLINE_TIME_LIMIT) -> bytes:
    """One A4 document with a list per session, each starting on a new page."""
    lists = [{"session": session, "attendees": attendees(session)} for session in sessions]
    html = render_to_string(
        "regiosessies/presentielijst.html",
        {"lists": lists, "printed_at": timezone.localtime(), "static_prefix": STATIC_BASE_URL},
    )
    try:
        return render_pdf(html, time_limit=time_limit).content
    except RenderError as exc:
        logger.warning("Attendance list render failed: %s", exc)
        raise


def attendance_filename(sessions: list[Regiosessie]) -> str:
    if len(sessions) == 1:
        return f"presentielijst-{slugify(sessions[0].slug)}.pdf"
    return "presentielijsten.pdf"
