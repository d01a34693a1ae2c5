"""The one PDF renderer: it fetches the project's static files and nothing else, stops a render that runs
too long, reports a failure in Dutch, and leaves no temporary files behind."""

from __future__ import annotations

import io
import tempfile
import time

import pytest
from pypdf import PdfReader

from core import pdf as pdf_module
from core.pdf import STATIC_BASE_URL, RenderError, RenderTimeout, StaticOnlyURLFetcher, render_pdf, write_pdf

pytestmark = pytest.mark.slow

DOCUMENT = '<html lang="nl"><head><title>x</title></head><body><p>tekst</p></body></html>'


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "https://example.org/x.css",
        "data:text/css,body{}",
        "/etc/passwd",
        f"{STATIC_BASE_URL}../../etc/passwd",
        f"{STATIC_BASE_URL}css/../../consultatie/settings.py",
        f"{STATIC_BASE_URL}css/%2e%2e/%2e%2e/settings.py",
        f"{STATIC_BASE_URL}css/..%5c..%5csettings.py",
        f"{STATIC_BASE_URL}css/site.css?x=1",
        f"{STATIC_BASE_URL}fonts/dejavu-sans/LICENSE",
        f"{STATIC_BASE_URL}css/does-not-exist.css",
        STATIC_BASE_URL.replace("/static/", "/media/") + "upload.png",
    ],
)
def test_fetcher_refuses_everything_but_existing_static_files(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_shipped_stylesheets_and_font():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(f"{STATIC_BASE_URL}css/rapport.css")
    assert b"@page" in css.read()
    assert b"@page" in fetcher.fetch(f"{STATIC_BASE_URL}css/print-presentielijst.css").read()
    font = fetcher.fetch(f"{STATIC_BASE_URL}fonts/dejavu-sans/DejaVuSans.ttf")
    assert len(font.read()) > 100_000
    assert fetcher.refused == []


def test_html_that_asks_for_a_local_file_gets_it_refused():
    fetcher = StaticOnlyURLFetcher()
    write_pdf(
        '<html lang="nl"><title>x</title><img src="file:///etc/passwd" alt="x"><p>tekst</p></html>', fetcher=fetcher
    )
    assert fetcher.refused == ["file:///etc/passwd"]


def test_a_relative_url_resolves_under_the_static_base_and_is_served():
    fetcher = StaticOnlyURLFetcher()
    write_pdf('<html lang="nl"><link rel="stylesheet" href="css/rapport.css"><p>x</p></html>', fetcher=fetcher)
    assert fetcher.requested[0] == f"{STATIC_BASE_URL}css/rapport.css"
    assert fetcher.refused == []


def test_a_render_gives_a_tagged_pdf_with_its_page_count():
    result = render_pdf(DOCUMENT, time_limit=60)
    assert result.content.startswith(b"%PDF") and result.pages == 1
    root = PdfReader(io.BytesIO(result.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root  # PDF/UA: tagged for screen readers


def _slow(html, fetcher=None):
    time.sleep(30)


def test_a_render_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(pdf_module, "write_pdf", _slow)  # the forked child looks the name up in the module
    started = time.monotonic()
    with pytest.raises(RenderTimeout, match="duurde langer dan 0.5 seconden en is gestopt"):
        render_pdf(DOCUMENT, time_limit=0.5)
    assert time.monotonic() - started < 10


def test_a_failing_render_reports_the_error(monkeypatch):
    def broken(html, fetcher=None):
        raise RuntimeError("kapot")

    monkeypatch.setattr(pdf_module, "write_pdf", broken)
    with pytest.raises(RenderError, match="Het maken van de PDF is mislukt. RuntimeError: kapot"):
        render_pdf(DOCUMENT, time_limit=10)


FONT_DOCUMENT = f"""<html lang="nl"><head><title>x</title><style>
@font-face {{ font-family: Proef; src: url({STATIC_BASE_URL}fonts/open-sans/OpenSans-Regular.ttf); }}
body {{ font-family: Proef; }}
</style></head><body><p>Een pagina met een eigen lettertype.</p></body></html>"""


def test_render_child_leaves_no_weasyprint_folder(tmp_path, monkeypatch):
    # Issue 17, finding 5: WeasyPrint copies web fonts into a `weasyprint-*` folder and removes it in a
    # finaliser; the render child ends with os._exit, which skips finalisers (~2.7 MB per render).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = render_pdf(FONT_DOCUMENT, time_limit=60)
    assert result.content.startswith(b"%PDF") and result.pages == 1
    assert list(tmp_path.iterdir()) == []


def test_a_stopped_render_leaves_no_work_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(pdf_module, "write_pdf", _slow)
    with pytest.raises(RenderTimeout):
        render_pdf(DOCUMENT, time_limit=0.5)
    assert list(tmp_path.iterdir()) == []
