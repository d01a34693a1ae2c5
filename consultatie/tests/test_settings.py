"""Settings are read from the environment; a bad value must stop start-up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from consultatie.settings import envbool, envint, envlist, envurl_list

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 60


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the real settings module in a fresh interpreter with exactly this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import consultatie.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_in_production_without_secret_key():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_a_short_secret_key_in_production():
    result = load_settings(DEBUG="0", SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_starts_in_production_with_a_secret_key():
    result = load_settings(DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="consultatie.example.nl")
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout


def test_it_defaults_to_sqlite_in_the_project_folder():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_it_reads_a_postgresql_database_url():
    result = load_settings(DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "misschien"}, "DEBUG must be one of"),
        ({"DEBUG": "1", "EMAIL_PORT": "vijfentwintig"}, "EMAIL_PORT must be a whole number"),
        ({"DEBUG": "1", "EMAIL_PORT": "70000"}, "EMAIL_PORT must be at most 65535"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense://"}, "DATABASE_URL is not a valid database URL"),
        ({"DEBUG": "1", "CSRF_TRUSTED_ORIGINS": "consultatie.example.nl"}, "CSRF_TRUSTED_ORIGINS entries must start"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL must start with"),
        ({"DEBUG": "1", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "cannot both be on"),
        ({"DEBUG": "1", "TASK_BACKEND": "celery"}, "TASK_BACKEND must be one of"),
    ],
)
def test_it_rejects_bad_values_with_a_clear_message(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_envbool_accepts_common_spellings(monkeypatch):
    for raw, expected in [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False), ("", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert envbool("X_FLAG", not expected) is expected
    monkeypatch.delenv("X_FLAG")
    assert envbool("X_FLAG", True) is True


def test_envint_enforces_bounds(monkeypatch):
    monkeypatch.setenv("X_NUM", " 42 ")
    assert envint("X_NUM", 0, minimum=1, maximum=100) == 42
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        envint("X_NUM", 5, minimum=1)


def test_envlist_and_origins_split_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.nl, b.nl,,")
    assert envlist("X_HOSTS", []) == ["a.nl", "b.nl"]
    monkeypatch.setenv("X_ORIGINS", "https://a.nl,http://b.nl")
    assert envurl_list("X_ORIGINS", []) == ["https://a.nl", "http://b.nl"]
