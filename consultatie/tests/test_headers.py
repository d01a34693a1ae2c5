"""Security headers on every kind of page: HTML pages, forms, the admin, JSON, error pages, files.

`assert_security_headers` is meant to be reused: other apps' tests can import it for their pages.
Production-only settings (HSTS, secure cookies, the HTTPS redirect, `check --deploy`) are read when
the settings module loads, so those are tested in a fresh interpreter with DEBUG=0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-like-secret-key-for-the-deploy-checks-0123456789",
    "ALLOWED_HOSTS": "consultatie.example.nl",
    "CSRF_TRUSTED_ORIGINS": "https://consultatie.example.nl",
}


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


def assert_security_headers(response) -> None:
    """The headers every response of the portal carries, whatever its type."""
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # the home page
        ("/en/", 200),  # English
        ("/regiosessies/", 200),
        ("/aanmelden/", 200),  # the registration entry (a form page once A's flow is in)
        ("/privacy/", 200),
        ("/admin/login/", 200),  # the login form
        ("/admin/", 302),  # a redirect
        ("/health/", 200),  # JSON
    ],
)
def test_every_kind_of_page_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_session_page_with_a_form_carries_the_security_headers(client, session_a):
    response = client.get(session_a.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_admin_pages_carry_the_security_headers(client, superuser):
    client.force_login(superuser)
    for path in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{superuser.pk}/change/", "/admin/auth/user/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_404_page_carries_the_security_headers(client):
    # django-csp leaves 404/500 alone only in DEBUG (for Django's debug pages); production gets it.
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_503_page_carries_the_security_headers(client, monkeypatch):
    from django.db import OperationalError

    from consultatie import views

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(views.Thema.objects, "prefetch_related", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_pdf_download_carries_the_security_headers(client, programmateam):
    # The report PDF (rapportage) is the one file download.
    client.force_login(programmateam)
    response = client.get(reverse("rapportage:pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_policy_names_no_other_host(client):
    response = client.get("/")
    for values in csp_directives(response).values():
        for value in values:
            assert value in {"'self'", "'none'", "data:"}, value


def run_production(code: str, **extra_env: str) -> subprocess.CompletedProcess:
    """Run Python code with the real settings in production mode (DEBUG=0), in a fresh interpreter."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "REQUIRE_2FA", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    env["DJANGO_SETTINGS_MODULE"] = "consultatie.settings"
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_prints_no_issues_in_production_mode(tmp_path):
    result = run_production(
        "import django, sys; from django.core.management import call_command; django.setup();"
        "call_command('check', deploy=True, fail_level='WARNING')",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_CLIENT = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import override_settings
# Production serves hashed files from collectstatic's manifest; that run takes long, and the
# headers do not depend on it, so plain static storage here.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
out = {}
plain = Client()
r = plain.get("/admin/login/", HTTP_HOST="consultatie.example.nl")
out["http_status"], out["http_location"] = r.status_code, r.get("Location")
r = plain.get("/health/", HTTP_HOST="consultatie.example.nl")
out["health_over_http"] = r.status_code
r = Client().get("/admin/login/", HTTP_HOST="consultatie.example.nl", HTTP_X_FORWARDED_PROTO="https")
out["forwarded_status"] = r.status_code
r = Client().get("/admin/login/", secure=True, HTTP_HOST="consultatie.example.nl")
out["https_status"] = r.status_code
out["hsts"] = r.get("Strict-Transport-Security")
out["csp"] = r.get("Content-Security-Policy")
out["cookies"] = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]} for name, c in r.cookies.items()}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_db(tmp_path_factory) -> str:
    """A migrated SQLite file for the production-mode subprocesses (the admin login reads django_site)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('prod') / 'prod.sqlite3'}"
    result = run_production(
        "import django; django.setup(); from django.core.management import call_command; call_command('migrate', verbosity=0)",
        DATABASE_URL=url,
    )
    assert result.returncode == 0, result.stderr
    return url


def test_production_mode_redirects_to_https_and_sends_hsts_and_secure_cookies(production_db):
    import json

    result = run_production(PRODUCTION_CLIENT, DATABASE_URL=production_db)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["http_status"] == 301
    assert out["http_location"] == "https://consultatie.example.nl/admin/login/"
    # The load balancer's health check may come in over plain HTTP.
    assert out["health_over_http"] == 200
    # Without USE_X_FORWARDED_PROTO a forged header is not believed.
    assert out["forwarded_status"] == 301
    assert out["https_status"] == 200
    assert out["hsts"].startswith("max-age=31536000")
    assert "includeSubDomains" in out["hsts"]
    assert out["csp"] and "'unsafe-inline'" not in out["csp"]
    assert out["cookies"]["csrftoken"]["secure"] is True
    assert out["cookies"]["csrftoken"]["httponly"] is True


def test_behind_a_tls_proxy_the_forwarded_proto_header_is_believed(production_db):
    import json

    result = run_production(PRODUCTION_CLIENT, DATABASE_URL=production_db, USE_X_FORWARDED_PROTO="1")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["forwarded_status"] == 200
    assert out["http_status"] == 301


def test_the_https_redirect_can_be_left_to_the_proxy(production_db):
    import json

    result = run_production(PRODUCTION_CLIENT, DATABASE_URL=production_db, SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["http_status"] == 200


@pytest.mark.django_db
def test_only_admin_export_pages_allow_import_exports_three_hashed_attributes(client, superuser):
    from core.middleware import ADMIN_EXPORT_CSP_UPDATE

    client.force_login(superuser)
    export = client.get(reverse("admin:regiosessies_aanmelding_export"))
    assert export.status_code == 200
    directives = csp_directives(export)
    assert "'unsafe-inline'" not in export["Content-Security-Policy"]
    for directive, sources in ADMIN_EXPORT_CSP_UPDATE.items():
        assert set(sources) <= set(directives[directive])
    other = client.get("/admin/")
    assert "'unsafe-hashes'" not in other["Content-Security-Policy"]
    assert_security_headers(other)
