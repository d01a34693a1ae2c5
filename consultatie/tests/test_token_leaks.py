"""Issue 17, findings 4 and 7: no response or log line carries a personal-link token where it should not.

Before: "view on site" for a registration redirected to http://example.com/aanmelding/<token>/ (the
sites framework's placeholder domain, over plain http), and the token stood in Django's CSRF, 404
and 429 log lines and in gunicorn's access log.
"""

from __future__ import annotations

import datetime
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from core.redaction import PLACEHOLDER, RedactTokensFilter, redact
from regiosessies.tests.factories import register

pytestmark = pytest.mark.django_db

GUNICORN_CONF = Path(settings.BASE_DIR) / "gunicorn.conf.py"


@pytest.fixture
def aanmelding(session_a):
    return register(session_a, "anna@example.nl", "Anna", organisation="Gemeente")


@pytest.fixture
def app_log():
    """A buffer behind the same filters as the console handler settings.LOGGING puts on the root logger."""
    consoles = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactTokensFilter) for f in h.filters)]
    assert consoles, "settings.LOGGING must put RedactTokensFilter on the root's console handler"
    # Django's own handlers would print its lines unfiltered; they must go to the root instead.
    assert logging.getLogger("django").handlers == [] and logging.getLogger("django").propagate
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.filters = list(consoles[0].filters)
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def _view_on_site(obj) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


# --- Finding 4: "view on site" ------------------------------------------------------------------------


def test_registration_admin_offers_no_view_on_site_and_the_redirect_refuses(client, facilitator_a, aanmelding):
    client.force_login(facilitator_a)
    change = client.get(reverse("admin:regiosessies_aanmelding_change", args=[aanmelding.pk]))
    assert change.status_code == 200
    assert _view_on_site(aanmelding) not in change.content.decode()
    response = client.get(_view_on_site(aanmelding))
    assert response.status_code == 404
    assert aanmelding.token not in response.content.decode() and aanmelding.token not in response.get("Location", "")


def test_view_on_site_of_a_session_uses_site_url_not_the_sites_framework(client, facilitator_a, session_a, settings):
    settings.SITE_URL = "https://consultatie.example.nl"
    client.force_login(facilitator_a)
    response = client.get(_view_on_site(session_a))
    assert response.status_code == 302
    assert response["Location"] == "https://consultatie.example.nl" + session_a.get_absolute_url()


def test_no_code_builds_urls_from_the_sites_framework():
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "get_current_site" in text or "Site.objects" in text or "example.com" in text:
            offenders.append(str(path))
    assert offenders == []


# --- Finding 7: log lines -----------------------------------------------------------------------------


def test_redact_replaces_tokens_in_paths_and_bare_tokens():
    token = "A" * 20 + "b" * 20 + "_-x"  # 43 characters, as secrets.token_urlsafe(32) makes
    assert (
        redact(f"Not Found: /en/aanmelding/{token}/annuleren/") == f"Not Found: /en/aanmelding/{PLACEHOLDER}/annuleren/"
    )
    assert redact("GET /afmelden/12:sig-nature_x/ 200") == f"GET /afmelden/{PLACEHOLDER}/ 200"
    assert token not in redact(f"token={token}&x=1")
    assert redact("sha1 " + "a" * 64) == "sha1 " + "a" * 64  # a longer run is not a token


def test_404_csrf_and_429_log_lines_carry_no_token(aanmelding, app_log, settings):
    token = aanmelding.token
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.post(reverse("regiosessies:annuleren", args=[token]), {})  # CSRF refusal: a warning with the path
    Client().get(f"/aanmelding/{token}x/")  # a made-up link: "Not Found: …"
    settings.REGISTRATION_RATE_LIMIT = 1
    rate_client = Client()
    for _ in range(3):
        rate_client.post(reverse("regiosessies:wijzigen", args=[token]), {})
    lines = app_log.getvalue()
    assert "Forbidden (CSRF" in lines and "Not Found" in lines
    assert token not in lines
    assert PLACEHOLDER in lines


def test_a_500_traceback_carries_no_token(aanmelding, app_log):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError(f"kapot bij /aanmelding/{aanmelding.token}/")
    except RuntimeError:
        logger.error("Internal Server Error: /aanmelding/%s/", aanmelding.token, exc_info=True)
    assert aanmelding.token not in app_log.getvalue()
    assert "RuntimeError" in app_log.getvalue()


def test_gunicorn_access_log_format_and_logger_carry_no_token(aanmelding, capsys):
    from gunicorn.config import Config

    conf = runpy.run_path(str(GUNICORN_CONF))
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", conf["access_log_format"])
    logger = conf["RedactingLogger"](cfg)
    path = f"/aanmelding/{aanmelding.token}/annuleren/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + "?x=1",
        "PATH_INFO": path,
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://consultatie.example.nl{path}",
        "HTTP_USER_AGENT": "Proef",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    out = capsys.readouterr().out
    assert f"/aanmelding/{PLACEHOLDER}/annuleren/" in out and " 200 1234 12ms" in out
    assert aanmelding.token not in out
    assert conf["logger_class"] is conf["RedactingLogger"]


# --- Emails: the personal link goes to the registrant only ---------------------------------------------


def test_only_the_registrants_own_email_carries_their_personal_link(
    client, session_a, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from regiosessies.models import Aanmelding

    settings.REGISTRATION_RATE_LIMIT = 1000
    form = {
        "name": "Anna",
        "email": "anna@example.nl",
        "organisation_type": "gemeente",
        "organisation": "",
        "role": "",
        "needs": "",
        "remarks": "",
        "consent": "on",
        "website": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("regiosessies:aanmelden", args=[session_a.slug]), form)
        client.post(
            reverse("contact"),
            {"name": "Anna", "email": "anna@example.nl", "subject": "Vraag", "message": "Hoi", "website": ""},
        )
    token = Aanmelding.objects.get().token
    carrying = [
        m for m in mail.outbox if token in m.body or any(token in str(a[0]) for a in getattr(m, "alternatives", []))
    ]
    assert carrying, "the confirmation itself carries the link"
    for message in carrying:
        assert message.to == ["anna@example.nl"] and not message.cc and not message.bcc
        assert token not in message.subject
    assert all(token not in m.body for m in mail.outbox if m.to != ["anna@example.nl"])
