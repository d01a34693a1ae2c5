"""`manage.py import_belemmeringen FILE --sessie SLUG [--dry-run]`: counts, row errors, exit status."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from belemmeringen.models import Belemmering

pytestmark = pytest.mark.django_db

GOOD = "Thema;Subthema;Titel;Niveau;Dimensie;Herkend door\nTechnisch;Standaarden;Geen sensorstandaard;Nationaal;Nationaal;4\n"
BAD = "Thema;Subthema;Titel;Niveau;Dimensie;Herkend door\nTechnisch;;Goed;Lokaal;Verticaal;1\nTechnisch;;Fout;Wijk;Verticaal;1\n"


@pytest.fixture
def write(tmp_path):
    def _write(text, name="belemmeringen.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return _write


def test_import_prints_counts(session_a, write, capsys):
    call_command("import_belemmeringen", write(GOOD), "--sessie", session_a.slug)
    assert "1 nieuw, 0 bijgewerkt, 0 ongewijzigd" in capsys.readouterr().out
    assert Belemmering.objects.get().session == session_a


def test_dry_run_saves_nothing(session_a, write, capsys):
    call_command("import_belemmeringen", write(GOOD), "--sessie", session_a.slug, dry_run=True)
    assert "Proefdraai, niets opgeslagen: 1 nieuw" in capsys.readouterr().out
    assert not Belemmering.objects.exists()


def test_bad_row_prints_error_and_fails(session_a, write, capsys):
    with pytest.raises(CommandError, match="Niets ingelezen: 1 fout"):
        call_command("import_belemmeringen", write(BAD), "--sessie", session_a.slug)
    assert "Rij 3, kolom Niveau: 'Wijk' is geen geldige waarde." in capsys.readouterr().err
    assert not Belemmering.objects.exists()


def test_unknown_session_and_missing_file_fail(session_a, write):
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_belemmeringen", write(GOOD), "--sessie", "nergens")
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_belemmeringen", "/tmp/bestaat-echt-niet.xlsx", "--sessie", session_a.slug)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_exit_status_is_non_zero_on_error_and_zero_on_success(reference_data, session_a, write):
    # A real process, so the exit status is what a shell script sees. It needs the test database.
    env_db = connection.settings_dict["NAME"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "consultatie.test_settings"}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{env_db}"
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{env_db}"
    base = [sys.executable, "manage.py", "import_belemmeringen", "--sessie", session_a.slug]
    bad = subprocess.run([*base, write(BAD, "fout.csv")], env=env, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "Rij 3, kolom Niveau" in bad.stderr
    good = subprocess.run([*base, write(GOOD, "goed.csv")], env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert Belemmering.objects.filter(title="Geen sensorstandaard").exists()
