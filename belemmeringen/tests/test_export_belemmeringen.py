"""`manage.py export_belemmeringen FILE [--sessie SLUG]`: format by extension, importable again."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from belemmeringen.models import Belemmering

pytestmark = pytest.mark.django_db


def test_export_all_sessions_to_xlsx(tmp_path, belemmering_a, belemmering_b, capsys):
    path = tmp_path / "alles.xlsx"
    call_command("export_belemmeringen", str(path))
    assert "2 belemmeringen geschreven" in capsys.readouterr().out
    titles = {row[4] for row in load_workbook(path)["Belemmeringen"].iter_rows(min_row=2, values_only=True)}
    assert titles == {belemmering_a.title, belemmering_b.title}


def test_export_one_session_to_csv_and_import_again(tmp_path, session_a, belemmering_a, belemmering_b, capsys):
    path = tmp_path / "noord.csv"
    call_command("export_belemmeringen", str(path), "--sessie", session_a.slug)
    text = path.read_text(encoding="utf-8-sig")
    assert belemmering_a.title in text and belemmering_b.title not in text
    call_command("import_belemmeringen", str(path), "--sessie", session_a.slug)
    assert "0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in capsys.readouterr().out
    assert Belemmering.objects.count() == 2


def test_export_refuses_unknown_extension_and_session(tmp_path, session_a):
    with pytest.raises(CommandError, match=r"\.xlsx of \.csv"):
        call_command("export_belemmeringen", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("export_belemmeringen", str(tmp_path / "x.xlsx"), "--sessie", "nergens")
