"""Layout of the demo report as a reader sees it, read back line by line with pdftotext -layout."""

from __future__ import annotations

import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from core.pdf import render_pdf
from rapportage.data import build_report
from rapportage.pdf import report_html

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

REGION_PREFIXES = ("Noord", "Oost", "Midden", "Noordwest", "Zuidwest", "Zuid")


@pytest.fixture
def demo_pdf(settings, tmp_path):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    result = render_pdf(report_html(build_report()), time_limit=600)
    path = tmp_path / "r.pdf"
    path.write_bytes(result.content)
    return path


@pytest.fixture
def demo_pages(demo_pdf):
    text = subprocess.run(
        ["pdftotext", "-layout", str(demo_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def test_the_shopping_list_with_points_stays_inside_the_right_margin(demo_pdf):
    # The demo has a closed prioritisation round, so its shopping list has the Punten and Sessies columns.
    bbox = subprocess.run(["pdftotext", "-bbox", str(demo_pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = bbox.split("<page ")[1:]
    shopping = [page for page in pages if ">Punten<" in page and ">boodschappenlijstje<" in page]
    assert shopping
    right_edge = 595.3 - 20 * 72 / 25.4  # A4 width minus the 20 mm right margin, in points
    for page in shopping:
        beyond = [
            (word, float(x))
            for x, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page)
            if float(x) > right_edge + 1
        ]
        assert not beyond, beyond


def test_region_names_are_never_broken_at_their_hyphen(demo_pages):
    broken = [
        line.strip()
        for page in demo_pages
        for line in page.splitlines()
        if re.search(r"\b(%s)-\s*$" % "|".join(REGION_PREFIXES), line)
        # a cell in a row: the name can also end a column, not only the line
        or re.search(r"\b(%s)-\s{3,}\S" % "|".join(REGION_PREFIXES), line)
    ]
    assert not broken, broken


def test_the_table_of_session_verdicts_is_on_one_page(demo_pages):
    pages = [page for page in demo_pages if "Het oordeel per sessie" in page]
    assert len(pages) == 1
    table = pages[0].split("Het oordeel per sessie", 1)[1]
    for region in (
        "Noord-Nederland",
        "Oost-Nederland",
        "Midden-Nederland",
        "Noordwest-Nederland",
        "Zuidwest-Nederland",
        "Zuid-Nederland",
    ):
        assert region in table, region


def test_session_report_words_the_verdict_and_recognition_for_its_one_session(findings):
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report_html(build_report(session=findings.noord))))
    assert "1 van 1" not in html  # no tally table of one session
    assert "De sessie: ja, onder voorwaarden." in html
    assert "in de sessies die het knelpunt noemden" not in html
    assert "bij deze sessie aanwezig waren" in html
    whole = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report_html(build_report())))
    assert "De oordelen van de sessies geteld" in whole
    assert "in de sessies die het knelpunt noemden" in whole


def test_the_demo_report_needs_no_fallback_font(demo_pdf):
    # A hyphen added by hyphenation is U+2010 unless the stylesheet says "-"; Open Sans lacks U+2010,
    # so DejaVu (the fallback) would be embedded for that one character.
    fonts = subprocess.run(["pdffonts", str(demo_pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("Rapport-Sans" in name for name in names), names
