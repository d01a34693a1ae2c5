"""The printable attendance list (presentielijst) per session, rendered with WeasyPrint.

The list shows confirmed registrations only, sorted by name, with an empty column to sign in. Nothing
is fetched from outside the project: the fetcher below only serves the project's own static files.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from regiosessies.models import Aanmelding, Regiosessie

# Relative URLs in the template resolve against this made-up origin; the fetcher recognises it and
# nothing else, so a stray absolute URL (or one typed into a name) can never reach the network.
PDF_BASE_URL = "https://static.consultatie.invalid/"

_CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}


class StaticOnlyFetcher(URLFetcher):
    """Serves `<PDF_BASE_URL><STATIC_URL>...` from the static files finders; refuses every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(PDF_BASE_URL)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(static_prefix):
            raise ValueError(f"Not a project static file: {url}")
        relative = unquote(parts.path[len(static_prefix) :])
        if ".." in relative.split("/"):
            raise ValueError(f"Not a project static file: {url}")
        path = finders.find(relative)
        if not path:
            raise ValueError(f"Static file not found: {relative}")
        suffix = "." + relative.rsplit(".", 1)[-1] if "." in relative else ""
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = _CONTENT_TYPES.get(suffix, "application/octet-stream")
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def attendees(session: Regiosessie) -> list[Aanmelding]:
    """Confirmed registrations, sorted by name as people look themselves up on paper."""
    return list(session.aanmeldingen.confirmed().order_by(Lower("name"), "name", "pk"))


def render_attendance_pdf(*, sessions: Iterable[Regiosessie]) -> bytes:
    """One A4 document with a list per session, each starting on a new page."""
    lists = [{"session": session, "attendees": attendees(session)} for session in sessions]
    html = render_to_string(
        "regiosessies/presentielijst.html",
        {"lists": lists, "printed_at": timezone.localtime(), "static_prefix": settings.STATIC_URL},
    )
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def attendance_filename(sessions: list[Regiosessie]) -> str:
    if len(sessions) == 1:
        return f"presentielijst-{slugify(sessions[0].slug)}.pdf"
    return "presentielijsten.pdf"
