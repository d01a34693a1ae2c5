"""Faults: with the database unreachable, /health/ says 503 and pages show a friendly Dutch 503 page,
never a traceback. Tested in-process (the connection refuses) and against a real closed port in
production mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils import translation

BASE_DIR = Path(__file__).resolve().parents[2]
FRIENDLY = "De consultatie is even niet bereikbaar"
FRIENDLY_EN = "The consultation is unavailable for a moment"


@pytest.fixture
def database_down(monkeypatch):
    """From here on every query fails as if the server were gone."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "ensure_connection", refuse)


@pytest.mark.django_db
def test_health_says_503_when_the_database_is_unreachable(client, database_down):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "friendly"),
    [("/", FRIENDLY), ("/regiosessies/", FRIENDLY), ("/aanmelden/", FRIENDLY), ("/en/", FRIENDLY_EN)],
)
def test_public_pages_show_the_friendly_503_page_in_their_language(client, database_down, path, friendly):
    response = client.get(path)
    assert response.status_code == 503
    html = response.content.decode()
    assert friendly in html
    assert "Traceback" not in html and "OperationalError" not in html and "5432" not in html
    assert response["Retry-After"] == "60"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_503_page_declares_the_language_it_is_in(client, database_down):
    # Screen readers pick their voice from the lang attribute.
    assert '<html lang="en">' in client.get("/en/").content.decode()
    assert '<html lang="nl">' in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()


@pytest.mark.django_db
def test_a_session_page_shows_the_503_page(client, session_a, database_down):
    with translation.override("nl"):
        url = session_a.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 503
    assert FRIENDLY in response.content.decode()


@pytest.mark.django_db
def test_a_submitted_form_tells_the_person_it_was_not_saved(client, database_down):
    response = client.post("/admin/login/", {"username": "iemand", "password": "wachtwoord-123456"})
    assert response.status_code == 503
    assert "niet opgeslagen" in response.content.decode()


@pytest.mark.django_db
def test_logged_in_staff_get_the_503_page_not_a_traceback(client, programmateam, monkeypatch):
    client.force_login(programmateam)

    def refuse(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/admin/")
    assert response.status_code == 503
    assert FRIENDLY in response.content.decode()


@pytest.mark.django_db
def test_staff_two_factor_check_with_the_database_down_gives_the_503_page(client, settings, database_down):
    # The check runs in middleware, outside the view: it loads the session's user itself.
    settings.REQUIRE_2FA = True
    client.cookies["sessionid"] = "een-sessie-van-een-medewerker"
    response = client.get("/admin/")
    assert response.status_code == 503
    assert FRIENDLY in response.content.decode()


@pytest.mark.django_db
def test_other_database_errors_are_not_hidden_as_503(client, monkeypatch):
    # A programming error (bad SQL) is a bug, not an outage: it must stay a 500 and reach the logs.
    from django.db import ProgrammingError

    from consultatie import views

    def broken(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(views.Thema.objects, "prefetch_related", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500


REAL_OUTAGE = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import override_settings
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
client = Client(raise_request_exception=False)
out = {}
for path in ["/health/", "/", "/regiosessies/", "/aanmelden/", "/admin/login/", "/bestaat-niet/"]:
    r = client.get(path, secure=True, HTTP_HOST="consultatie.example.nl")
    out[path] = [r.status_code, r.content.decode()]
r = client.post("/admin/login/", {"username": "x", "password": "y"}, secure=True, HTTP_HOST="consultatie.example.nl")
out["POST /admin/login/"] = [r.status_code, r.content.decode()]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_a_real_unreachable_database_in_production_mode():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="o" * 10 + "utage-test-secret-key-long-enough-for-production-0123456789",
        ALLOWED_HOSTS="consultatie.example.nl",
        DJANGO_SETTINGS_MODULE="consultatie.settings",
        # Nothing listens on port 1: the connection is refused at once.
        DATABASE_URL="postgres://postgres@127.0.0.1:1/cp_e_unreachable",
    )
    result = subprocess.run(
        [sys.executable, "-c", REAL_OUTAGE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["/health/"][0] == 503
    for path in ["/", "/regiosessies/", "/aanmelden/", "/admin/login/", "POST /admin/login/"]:
        status, html = out[path]
        assert status == 503, path
        assert FRIENDLY in html, path
    # A 404 looks up redirects in the database after the view; that failure reaches handler500,
    # which recognises the outage and answers with the same 503 page.
    status, html = out["/bestaat-niet/"]
    assert status == 503
    assert FRIENDLY in html
    for _status, html in out.values():
        assert "Traceback" not in html and "psycopg2" not in html and "OperationalError" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("lost", [True, False], ids=["connection-gone", "connection-fine"])
def test_a_bare_database_error_is_an_outage_only_when_the_connection_is_gone(client, monkeypatch, lost):
    # psycopg2 reports some connections that drop mid-reply as a bare DatabaseError, not an
    # OperationalError; with the connection gone that is an outage (503), otherwise a bug (500).
    from django.db import DatabaseError

    from consultatie import views

    def dropped(*args, **kwargs):
        raise DatabaseError("error with status PGRES_TUPLES_OK and no message from the libpq")

    monkeypatch.setattr(views.Thema.objects, "prefetch_related", dropped)
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: not lost)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == (503 if lost else 500)
    if lost:
        assert FRIENDLY in response.content.decode()
