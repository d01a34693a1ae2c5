"""The rendered PDF, read back with pypdf: content, metadata, tagging, and what WeasyPrint may fetch."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from belemmeringen.models import Belemmering
from rapportage import pdf as pdf_module
from rapportage.data import build_report
from rapportage.pdf import (
    RenderError,
    RenderTimeout,
    StaticOnlyURLFetcher,
    render_pdf,
    report_html,
    write_pdf,
)
from rapportage.tests.factories import make_obstacle, set_texts

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# CI machines run several suites at once; only the time-limit test itself uses a short limit.
GENEROUS = 600


def _text(reader: PdfReader) -> str:
    # Normalise whitespace: pypdf splits lines where the layout wraps them.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def rendered(findings):
    set_texts(
        title="Belemmeringen schaalsprong Smart City",
        author="Programmateam consultatie Smart City",
        introduction="Dit rapport bundelt de uitkomsten.",
        conclusions="Opschalen vraagt om landelijke afspraken.",
    )
    result = render_pdf(report_html(build_report()), time_limit=GENEROUS)
    return result, PdfReader(io.BytesIO(result.content))


def test_report_contains_every_theme_level_and_chapter(rendered):
    result, reader = rendered
    text = _text(reader)
    for theme in ["Organisatie", "Financiering", "Juridisch", "Technisch"]:
        assert theme in text
    for level in ["Lokaal", "Regionaal", "Nationaal"]:
        assert level in text
    for chapter in [
        "Inhoudsopgave",
        "Samenvatting",
        "Aanpak: de regiosessies",
        "Belemmeringen per thema",
        "Overzicht naar niveau en dimensie",
        "Verschillen tussen regio's",
        "Hergebruik van de infrastructuur van de openbare verlichting",
        "Het boodschappenlijstje",
        "Bijlage: alle belemmeringen",
    ]:
        assert chapter in text, chapter
    assert "Ja, onder voorwaarden" in text
    assert "Netbeheerder staat voeding overdag niet toe." in text
    assert "contouren van het voorgestelde nationale ondersteuningsprogramma" in text
    assert "Kennisplatform pilots" in text
    assert "Dit rapport bundelt de uitkomsten." in text
    assert "Opschalen vraagt om landelijke afspraken." in text
    # The concept obstacle is not in the report, but its count is.
    assert "Cofinanciering onzeker" not in text
    assert "Nog 1 belemmering staat in concept" in text


def test_report_has_page_numbers_table_of_contents_and_header(rendered):
    result, reader = rendered
    assert result.pages == len(reader.pages)
    assert 8 <= result.pages <= 20
    assert f"Pagina 3 van {result.pages}" in reader.pages[2].extract_text()
    toc = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    # Chapter numbers and page numbers filled in by target-counter().
    assert re.search(r"1\. Samenvatting\s?\.*\s*3", toc), toc
    assert re.search(r"7\. Het boodschappenlijstje\s?\.*\s*\d+", toc), toc
    # Running header: the title on every page after the cover.
    assert "Belemmeringen schaalsprong Smart City" in reader.pages[4].extract_text()


def test_report_metadata_language_and_tagged_structure(rendered):
    _result, reader = rendered
    assert reader.metadata.title.startswith("Belemmeringen schaalsprong Smart City")
    assert reader.metadata.author == "Programmateam consultatie Smart City"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712


def _structure(node, found):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            _structure(node["/K"], found)
    elif isinstance(node, list):
        for child in node:
            _structure(child, found)
    return found


def test_charts_are_tagged_figures_with_a_text_alternative(rendered):
    _result, reader = rendered
    elements = _structure(reader.trailer["/Root"]["/StructTreeRoot"], [])
    kinds = {str(e["/S"]) for e in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/Figure"} <= kinds
    alts = [str(e.get("/Alt")) for e in elements if str(e["/S"]) == "/Figure"]
    assert "Belemmeringen per thema en niveau" in alts
    assert "Deelnemers naar soort organisatie" in alts
    assert all(alt and alt != "None" for alt in alts)


def test_fonts_are_the_shipped_ones_and_embedded(rendered):
    _result, reader = rendered
    fonts = set()
    for page in reader.pages[:4]:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor").get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    # "Rapport Sans" is the @font-face name of the shipped DejaVu files; no system font sneaks in.
    assert fonts and all(name.startswith("Rapport-Sans") for name in fonts), fonts


def test_session_report_leaves_out_regional_differences(findings):
    rendered = render_pdf(report_html(build_report(session=findings.noord)), time_limit=GENEROUS)
    reader = PdfReader(io.BytesIO(rendered.content))
    text = _text(reader)
    assert "Regiosessie Noord" in text
    assert "Verschillen tussen regio's" not in text
    assert "Het boodschappenlijstje" in text
    assert "Geen open standaarden voor sensordata" not in text  # a Zuid obstacle


HOSTILE = (
    '<img src="file:///etc/passwd"><img src="http://127.0.0.1:1/x.png">'
    '<link rel="stylesheet" href="http://127.0.0.1:1/x.css"><script>alert(1)</script>'
    '<b style="background:url(http://127.0.0.1:1/y.png)">vet</b>'
)


def test_typed_html_and_urls_show_as_text_and_nothing_is_fetched(findings):
    make_obstacle(
        findings.noord,
        thema_slug="juridisch",
        title="Injectie <img src=x>",
        description=HOSTILE,
        support_needed="Zie file:///etc/passwd en http://127.0.0.1:1/x.png",
        level="lokaal",
        dimension="verticaal",
        status=Belemmering.Status.VASTGESTELD,
    )
    set_texts(introduction='<iframe src="http://127.0.0.1:1/"></iframe>')
    html = report_html(build_report())
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html

    fetcher = StaticOnlyURLFetcher()
    result = write_pdf(html, fetcher=fetcher)
    # Only the stylesheet and the shipped fonts were asked for, all from the static allow-list.
    assert fetcher.refused == []
    assert fetcher.requested, "the stylesheet should have been fetched"
    assert all(url.startswith(pdf_module.STATIC_BASE_URL) for url in fetcher.requested)
    assert any(url.endswith("css/rapport.css") for url in fetcher.requested)

    text = _text(PdfReader(io.BytesIO(result.content)))
    assert "Injectie <img src=x>" in text
    assert "file:///etc/passwd" in text
    assert "<script>alert(1)</script>" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "https://example.org/x.css",
        "data:text/css,body{}",
        "https://rapport.invalid/static/../../etc/passwd",
        "https://rapport.invalid/static/css/%2e%2e/%2e%2e/settings.py",
        "https://rapport.invalid/static/css/site.css?x=1",
        "https://rapport.invalid/static/fonts/dejavu-sans/LICENSE",
        "https://rapport.invalid/static/css/does-not-exist.css",
    ],
)
def test_fetcher_refuses_everything_but_existing_static_files(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_shipped_stylesheet_and_font():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch("https://rapport.invalid/static/css/rapport.css")
    assert b"@page" in css.read()
    font = fetcher.fetch("https://rapport.invalid/static/fonts/dejavu-sans/DejaVuSans.ttf")
    assert len(font.read()) > 100_000
    assert fetcher.refused == []


def test_html_that_asks_for_a_local_file_gets_it_refused():
    fetcher = StaticOnlyURLFetcher()
    write_pdf('<html lang="nl"><title>x</title><img src="file:///etc/passwd" alt="x"><p>tekst</p></html>', fetcher=fetcher)
    assert fetcher.refused == ["file:///etc/passwd"]


def test_a_render_that_runs_too_long_is_stopped(monkeypatch):
    def slow(html, fetcher=None):
        import time

        time.sleep(30)

    monkeypatch.setattr(pdf_module, "write_pdf", slow)
    with pytest.raises(RenderTimeout):
        render_pdf("<p>x</p>", time_limit=0.5)


def test_a_failing_render_reports_the_error(monkeypatch):
    def broken(html, fetcher=None):
        raise RuntimeError("kapot")

    monkeypatch.setattr(pdf_module, "write_pdf", broken)
    with pytest.raises(RenderError, match="kapot"):
        render_pdf("<p>x</p>", time_limit=10)
