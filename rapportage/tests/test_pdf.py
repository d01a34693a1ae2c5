"""The rendered report, read back with pypdf: content, metadata, tagging, and what WeasyPrint may fetch.

The renderer itself (fetcher, time limit, temporary files) is tested in core/tests/test_pdf.py."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from belemmeringen.models import Belemmering, Knelpunt
from core.pdf import STATIC_BASE_URL, StaticOnlyURLFetcher, render_pdf, write_pdf
from rapportage.data import build_report
from rapportage.models import ProgrammaOnderdeel
from rapportage.pdf import report_html
from rapportage.tests.factories import make_knelpunt, make_obstacle, set_texts

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# CI machines run several suites at once; only the time-limit test itself uses a short limit.
GENEROUS = 600


def _text(reader: PdfReader) -> str:
    # Normalise whitespace: pypdf splits lines where the layout wraps them.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


CHAPTERS = [
    "Inhoudsopgave",
    "Voorwoord",
    "Samenvatting",
    "Werkwijze en deelname",
    "Onderzoeksvraag 1: knelpunten en behoeften",
    "Verschillen tussen regio's",
    "Onderzoeksvraag 2: hergebruik van de openbare verlichting",
    "Het boodschappenlijstje",
    "Voorstel voor een nationaal ondersteuningsprogramma",
    "Conclusies",
    "Bijlage A: alle knelpunten",
    "Bijlage B: oordelen over de lichtmasten per sessie",
    "Bijlage C: afkortingen",
]


@pytest.fixture
def rendered(findings):
    set_texts(
        title="Belemmeringen schaalsprong Smart City",
        author="Programmateam consultatie Smart City",
        introduction="Dit rapport bundelt de uitkomsten.",
        answer_rq1="Het zwaarst wegen landelijke standaarden en het delen van pilotresultaten.",
        rq2_verdict="voorwaarden",
        answer_rq2="Hergebruik kan, mits de voeding ook overdag beschikbaar is.",
        conclusions="Opschalen vraagt om landelijke afspraken.",
        method="Zes sessies van drie uur.",
    )
    ProgrammaOnderdeel.objects.create(
        title="Landelijk kennisplatform", aim="Pilotresultaten delen.", offer="Een platform."
    )
    result = render_pdf(report_html(build_report()), time_limit=GENEROUS)
    return result, PdfReader(io.BytesIO(result.content))


def test_report_has_every_chapter_both_answers_and_an_annex_entry_per_knelpunt(rendered, findings):
    result, reader = rendered
    text = _text(reader)
    for chapter in CHAPTERS:
        assert chapter in text, chapter
    for theme in ["Organisatie", "Financiering", "Juridisch", "Technisch"]:
        assert theme in text
    # Both research questions answered, the second with the verdict and the tally of the sessions.
    assert "Het zwaarst wegen landelijke standaarden" in text
    assert "Oordeel van het programmateam: Ja, onder voorwaarden." in text
    assert "1 van 2 sessies: ja, onder voorwaarden." in text
    assert "Hergebruik kan, mits de voeding ook overdag beschikbaar is." in text
    assert "Netbeheerder staat voeding overdag niet toe." in text
    assert "Landelijk kennisplatform" in text
    assert "Dit rapport bundelt de uitkomsten." in text
    assert "Opschalen vraagt om landelijke afspraken." in text
    # Annex A: every knelpunt, with the sessions that raised it.
    annex = text[text.index("Elk knelpunt per thema") : text.index("Noord: ja, onder voorwaarden")]
    for knelpunt in findings.knelpunten.values():
        assert knelpunt.title in annex, knelpunt.title
    assert "Noord Lokaal 12 van 1 Zuid Regionaal 8 van 2" in annex  # K1's two sessions
    assert "herkend door 20 van 3 aanwezigen" in text
    # The concept entry and the ungrouped one are not in the report, but their counts are.
    assert "Cofinanciering onzeker" not in text
    assert "1 inbreng staat nog in concept" in text
    assert "1 vastgestelde inbreng is nog niet bij een knelpunt ondergebracht" in text


def test_report_has_page_numbers_table_of_contents_and_header(rendered):
    result, reader = rendered
    assert result.pages == len(reader.pages)
    assert 10 <= result.pages <= 30
    assert f"Pagina 3 van {result.pages}" in reader.pages[2].extract_text()
    toc = re.sub(r"\s+", " ", reader.pages[2].extract_text())
    # Chapter numbers and page numbers filled in by target-counter().
    assert re.search(r"1\. Samenvatting\s?\.*\s*\d+", toc), toc
    assert re.search(r"6\. Het boodschappenlijstje\s?\.*\s*\d+", toc), toc
    assert re.search(r"Bijlage A: alle knelpunten\s?\.*\s*\d+", toc), toc
    # Running header: the title on every page after the cover.
    assert "Belemmeringen schaalsprong Smart City" in reader.pages[4].extract_text()


def test_tables_and_figures_are_numbered(rendered):
    _result, reader = rendered
    text = _text(reader)
    assert "Tabel 1. Kerncijfers van de consultatie" in text
    assert "Figuur 1. Knelpunten per thema en niveau" in text


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
    assert "Knelpunten per thema en niveau" in alts
    assert "Knelpunten per regio en thema" in alts
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
    # "Rapport Sans" is the @font-face name of the shipped Open Sans files; no system font sneaks in.
    assert fonts and all(name.startswith("Rapport-Sans") for name in fonts), fonts


def test_session_report_has_the_same_chapters_for_one_session(findings):
    rendered = render_pdf(report_html(build_report(session=findings.noord)), time_limit=GENEROUS)
    reader = PdfReader(io.BytesIO(rendered.content))
    text = _text(reader)
    assert "Regiosessie Noord" in text
    for chapter in CHAPTERS:
        if chapter != "Verschillen tussen regio's":
            assert chapter in text, chapter
    assert "Verschillen tussen regio's" not in text
    assert "Geen open standaarden voor sensordata" not in text  # a Zuid knelpunt
    # Worded for one session: no counts "of N sessions".
    assert "De sessie: ja, onder voorwaarden." in text
    assert "van 2 sessies" not in text
    assert "Deze sessie stelde 4 inbrengen vast." in text
    # The participants see their own session's wording in annex A.
    assert "In de woorden van de sessie" in text


HOSTILE = (
    '<img src="file:///etc/passwd"><img src="http://127.0.0.1:1/x.png">'
    '<link rel="stylesheet" href="http://127.0.0.1:1/x.css"><script>alert(1)</script>'
    '<b style="background:url(http://127.0.0.1:1/y.png)">vet</b>'
)


def test_typed_html_and_urls_show_as_text_and_nothing_is_fetched(findings):
    entry = make_obstacle(
        findings.noord,
        thema_slug="juridisch",
        title="Injectie <img src=x>",
        description=HOSTILE,
        support_needed="Zie file:///etc/passwd en http://127.0.0.1:1/x.png",
        level="lokaal",
        dimension="verticaal",
        status=Belemmering.Status.VASTGESTELD,
    )
    make_knelpunt("Knelpunt <img src=x>", thema_slug="juridisch", level="lokaal", entries=[entry])
    Knelpunt.objects.filter(title__startswith="Knelpunt <img").update(description=HOSTILE)
    set_texts(introduction='<iframe src="http://127.0.0.1:1/"></iframe>')
    html = report_html(build_report())
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html

    fetcher = StaticOnlyURLFetcher()
    result = write_pdf(html, fetcher=fetcher)
    # Only the stylesheet and the shipped fonts were asked for, all from the static allow-list.
    assert fetcher.refused == []
    assert fetcher.requested, "the stylesheet should have been fetched"
    assert all(url.startswith(STATIC_BASE_URL) for url in fetcher.requested)
    assert any(url.endswith("css/rapport.css") for url in fetcher.requested)

    text = _text(PdfReader(io.BytesIO(result.content)))
    assert "Knelpunt <img src=x>" in text
    assert "file:///etc/passwd" in text
    assert "<script>alert(1)</script>" in text
