"""The one way to turn HTML into a PDF: WeasyPrint, fenced in. Every PDF the portal makes (the report,
the attendance lists) goes through `render_pdf`.

Two safety rails:

* WeasyPrint loads resources only through `StaticOnlyURLFetcher`, which serves the project's own
  static files (stylesheet, fonts, images) under `STATIC_BASE_URL` and refuses everything else: no
  `file://`, no `http(s)://` to other hosts, no `data:`, no `../`. Text that people typed is escaped
  by the templates anyway, so it never becomes a tag that could fetch something; the fetcher is the
  second line.
* A render runs in a forked child process with a time limit (`render_pdf`). A child can be killed
  cleanly when it runs too long, whatever thread the caller is on; signal-based alarms only work on a
  process's main thread, which a web worker's request thread or a task worker may not be. Forking
  (rather than spawning) keeps the already imported WeasyPrint and fonts, so the overhead is a few
  milliseconds. The child touches no database connection: it gets an HTML string and writes a file.

Every PDF is tagged (PDF/UA-1), so screen readers can follow it.
"""

from __future__ import annotations

import logging
import mimetypes
import multiprocessing
import os
import tempfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint logs every layout step at INFO; one line per page drowns the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Templates address static files under this base URL (`{{ static_base }}css/x.css`); the host is
# reserved (RFC 2606) so nothing can ever resolve it, and the fetcher answers these URLs from the
# static files without any network access.
STATIC_BASE_URL = "https://static.invalid/static/"
ALLOWED_SUFFIXES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png"}
PDF_VARIANT = "pdf/ua-1"

# Seconds a render inside a web request may take before it is stopped.
INLINE_TIME_LIMIT = 60


class RenderError(Exception):
    """The PDF could not be made; the message is safe to show to staff."""


class RenderTimeout(RenderError):
    pass


class StaticOnlyURLFetcher(URLFetcher):
    """Serves the project's static files to WeasyPrint and refuses every other URL.

    `requested` and `refused` record what WeasyPrint asked for, so tests can show that nothing
    outside the allow-list was even attempted.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, fail_on_errors=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def _refuse(self, url: str, reason: str):
        self.refused.append(url)
        raise ValueError(f"Refused by the PDF URL fetcher ({reason}): {url[:200]}")

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if not url.startswith(STATIC_BASE_URL):
            return self._refuse(url, "not a project static file")
        parts = urlsplit(url)
        relative = unquote(parts.path).removeprefix("/static/")
        path = PurePosixPath(relative)
        if parts.query or ".." in path.parts or path.is_absolute() or "\\" in relative:
            return self._refuse(url, "invalid path")
        if path.suffix.lower() not in ALLOWED_SUFFIXES:
            return self._refuse(url, "file type not allowed")
        found = finders.find(str(path))
        if not found or isinstance(found, list):
            return self._refuse(url, "no such static file")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def write_pdf(html: str, *, fetcher: StaticOnlyURLFetcher | None = None) -> RenderedPdf:
    """Render in this process, without a time limit. `render_pdf` is what callers should use."""
    fetcher = fetcher or StaticOnlyURLFetcher()
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)
    content = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(content=content, pages=len(document.pages))


def _child(html: str, out_path: str) -> None:  # pragma: no cover - runs in the forked child
    # WeasyPrint copies the document's fonts into a `weasyprint-*` folder it removes in a finaliser,
    # which os._exit skips (about 2.7 MB per render). In the render's own work folder the parent
    # removes it, also when it has to kill the child.
    tempfile.tempdir = os.path.dirname(out_path)
    try:
        rendered = write_pdf(html)
        with open(out_path + ".tmp", "wb") as handle:
            handle.write(rendered.content)
        os.replace(out_path + ".tmp", out_path)
        with open(out_path + ".pages", "w") as handle:
            handle.write(str(rendered.pages))
    except BaseException as exc:  # report any failure to the parent instead of a bare exit code
        with open(out_path + ".error", "w") as handle:
            handle.write(f"{type(exc).__name__}: {exc}"[:2000])
        os._exit(1)
    os._exit(0)


def render_pdf(html: str, *, time_limit: float = INLINE_TIME_LIMIT) -> RenderedPdf:
    """Render in a forked child process and stop it after `time_limit` seconds.

    Raises `RenderError` (or its subclass `RenderTimeout`) with a Dutch message; callers show it
    instead of failing the request.
    """
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="pdf-") as workdir:
        out_path = os.path.join(workdir, "render.pdf")
        process = context.Process(target=_child, args=(html, out_path), daemon=True)
        process.start()
        process.join(time_limit)
        if process.is_alive():
            process.kill()
            process.join(5)
            raise RenderTimeout(
                _("Het maken van de PDF duurde langer dan %(seconds)s seconden en is gestopt.")
                % {"seconds": f"{time_limit:g}"}
            )
        if process.exitcode != 0 or not os.path.exists(out_path):
            detail = ""
            if os.path.exists(out_path + ".error"):
                with open(out_path + ".error") as handle:
                    detail = handle.read()
            raise RenderError(f"{_('Het maken van de PDF is mislukt.')} {detail}".strip())
        with open(out_path, "rb") as handle:
            content = handle.read()
        with open(out_path + ".pages") as handle:
            pages = int(handle.read())
    return RenderedPdf(content=content, pages=pages)
