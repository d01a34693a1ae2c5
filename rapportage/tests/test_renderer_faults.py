"""The PDF renderer under hostile input: it fetches nothing outside the static allow-list and stops in time.

Obstacle texts are escaped by the template, so they can only reach WeasyPrint as text. These tests
therefore also feed hostile HTML/CSS straight to the renderer (as a compromised or careless template
would) and check the second line of defence: `StaticOnlyURLFetcher` and the time limit of `render_pdf`.
A real HTTP server on 127.0.0.1 records every request, so "fetched nothing" is observed from outside
the renderer, not only from its own bookkeeping.
"""

from __future__ import annotations

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from belemmeringen.models import Belemmering
from core.pdf import STATIC_BASE_URL, RenderError, RenderTimeout, StaticOnlyURLFetcher, render_pdf, write_pdf
from rapportage.data import build_report
from rapportage.pdf import report_html
from rapportage.tests.factories import make_obstacle, set_texts

pytestmark = pytest.mark.slow

# Wall-time ceiling for a hostile render. A normal one-page render takes well under a second; the
# margin allows for a machine busy with parallel test runs.
QUICK = 30


class _Recorder(BaseHTTPRequestHandler):
    def _record(self):
        self.server.received.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def listener():
    """A local HTTP server that records every request it receives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _base(listener) -> str:
    return f"http://127.0.0.1:{listener.server_address[1]}"


def _doc(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>t</title>{head}</head><body>{body}</body></html>'


def _hostile_markup(base: str) -> str:
    return (
        f'<img src="file:///etc/passwd" alt="a"><img src="/dev/urandom" alt="b">'
        f'<img src="file:///dev/urandom" alt="c"><img src="{base}/img.png" alt="d">'
        f'<link rel="stylesheet" href="{base}/x.css"><link rel="stylesheet" href="file:///dev/urandom">'
        f'<object data="{base}/obj"></object><iframe src="{base}/frame"></iframe>'
        f'<svg><image href="{base}/svg.png" width="10" height="10"/></svg>'
        f"<p>tekst</p>"
    )


def test_hostile_urls_in_html_are_refused_and_the_local_server_hears_nothing(listener):
    base = _base(listener)
    css = (
        f"<style>@import url({base}/import.css); @import url(file:///etc/passwd);"
        f"@font-face {{ font-family: x; src: url({base}/font.ttf), url(/dev/urandom); }}"
        f"body {{ background: url({base}/bg.png); font-family: x; }}"
        f"p {{ list-style-image: url(file:///dev/urandom); }}</style>"
    )
    fetcher = StaticOnlyURLFetcher()
    started = time.monotonic()
    result = write_pdf(_doc(_hostile_markup(base), head=css), fetcher=fetcher)
    assert time.monotonic() - started < QUICK
    assert result.pages >= 1
    assert listener.received == []
    # Every request WeasyPrint made was refused: nothing outside the static allow-list was served.
    assert fetcher.requested, "WeasyPrint should at least have tried the hostile URLs"
    assert set(fetcher.requested) == set(fetcher.refused)
    asked = " ".join(fetcher.requested)
    assert "file:///etc/passwd" in asked
    assert f"{base}/img.png" in asked
    assert "urandom" in asked


def test_hostile_urls_through_the_time_limited_render_reach_no_server(listener):
    base = _base(listener)
    started = time.monotonic()
    result = render_pdf(_doc(_hostile_markup(base)), time_limit=QUICK)
    assert time.monotonic() - started < QUICK
    assert result.content.startswith(b"%PDF")
    assert listener.received == []


@pytest.mark.django_db
def test_hostile_obstacle_and_report_texts_stay_text_and_fetch_nothing(session_a, session_b, listener):
    from rapportage.tests.factories import make_findings

    findings = make_findings(session_a, session_b)
    base = _base(listener)
    hostile = (
        f'<img src="{base}/t.png"> <link rel="stylesheet" href="{base}/t.css"> file:///etc/passwd /dev/urandom '
        f"<style>p {{ width: 1e9px; background: url({base}/s.png) }}</style> <script>alert(1)</script>"
    )
    entry = make_obstacle(
        findings.noord,
        thema_slug="juridisch",
        title="Kwaadaardig <b>",
        description=hostile,
        support_needed=f"{base}/plain",
        level="lokaal",
        dimension="verticaal",
        status=Belemmering.Status.VASTGESTELD,
    )
    from rapportage.tests.factories import make_knelpunt

    knelpunt = make_knelpunt("Kwaadaardig knelpunt <i>", thema_slug="juridisch", level="lokaal", entries=[entry])
    knelpunt.description = hostile
    knelpunt.save()
    set_texts(introduction=hostile, conclusions=f'<a href="{base}/a">link</a>')
    html = report_html(build_report())
    assert f'<img src="{base}/t.png">' not in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    fetcher = StaticOnlyURLFetcher()
    result = write_pdf(html, fetcher=fetcher)
    assert listener.received == []
    assert fetcher.refused == []
    assert all(url.startswith(STATIC_BASE_URL) for url in fetcher.requested)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(result.content)).pages))
    assert "<script>alert(1)</script>" in text
    # The line may wrap after a slash ("file:///etc/ passwd"); the text is there either way.
    assert "file:///etc/passwd" in text.replace(" ", "")


@pytest.mark.parametrize(
    "css",
    [
        "p { width: 1e9px; height: 1e9px; }",
        "p { font-size: 1e6px; }",
        "p { margin-left: -1e9px; padding: 1e9px; letter-spacing: 1e7px; }",
        "p { column-count: 100000; border: 1e9px solid black; }",
        "@page { size: 1e9px 1e9px; margin: 1e8px; }",
        "p::before { content: counter(x) counter(x) counter(x); counter-increment: x 2147483647; }",
    ],
    ids=["huge-box", "huge-font", "huge-negatives", "huge-columns", "huge-page", "huge-counter"],
)
def test_huge_css_values_finish_quickly_or_are_stopped(css):
    html = _doc("<p>Belemmering met een enorme stijl.</p>" * 3, head=f"<style>{css}</style>")
    started = time.monotonic()
    try:
        result = render_pdf(html, time_limit=QUICK)
    except RenderError:
        # A render that gives up (or is stopped by the time limit) is an acceptable outcome;
        # hanging or taking the worker down is not.
        pass
    else:
        assert result.content.startswith(b"%PDF")
    assert time.monotonic() - started < QUICK + 10


def test_thousands_of_nested_elements_finish_quickly_or_are_stopped():
    depth = 3000
    html = _doc("<div>" * depth + "diep" + "</div>" * depth + "<span>x</span>" * 20000)
    started = time.monotonic()
    try:
        render_pdf(html, time_limit=QUICK)
    except RenderError:
        pass
    assert time.monotonic() - started < QUICK + 10


def test_a_render_that_would_run_for_ever_is_stopped_at_the_time_limit():
    # Tens of thousands of table cells with huge fonts: far more work than the one-second limit allows.
    rows = "".join(f"<tr>{'<td>cel</td>' * 50}</tr>" for _ in range(2000))
    html = _doc(f"<table>{rows}</table>", head="<style>td { font-size: 40px; }</style>")
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        render_pdf(html, time_limit=1)
    assert time.monotonic() - started < 10
