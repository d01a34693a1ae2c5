from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_it_writes_the_full_report(findings, tmp_path):
    out = tmp_path / "rapport.pdf"
    stdout = io.StringIO()
    call_command("render_rapport", str(out), stdout=stdout)
    reader = PdfReader(out)
    assert len(reader.pages) >= 8
    assert "7 vastgestelde belemmeringen (1 in concept niet meegeteld)" in stdout.getvalue()


def test_it_writes_one_sessions_report(findings, tmp_path):
    out = tmp_path / "noord.pdf"
    call_command("render_rapport", str(out), "--sessie", findings.noord.slug, stdout=io.StringIO())
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Regiosessie Noord" in text
    assert "Geen open standaarden voor sensordata" not in text


def test_it_names_the_known_sessions_for_an_unknown_slug(findings, tmp_path):
    with pytest.raises(CommandError, match="noord"):
        call_command("render_rapport", str(tmp_path / "x.pdf"), "--sessie", "bestaat-niet")


def test_it_refuses_a_directory_that_does_not_exist(findings, tmp_path):
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("render_rapport", str(tmp_path / "nee" / "x.pdf"))
