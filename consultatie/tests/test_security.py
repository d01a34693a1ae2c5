"""Access-control matrix: for each URL, which of the six standing roles gets it and which is refused.

Add a row to MATRIX for every new URL or admin view. A row names the URL (a function of the
`world` fixture, so object URLs point at session A's data) and the roles that must be ALLOWED; every
other role must be refused. Allowed means a 200 answer; refused means the login page, a 403 or a
404 — never the content. Staff log in through force_login with two-factor off, as in the demo; the
two-factor gate itself is tested in test_twofactor.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from django.test import Client
from django.urls import reverse

from belemmeringen.models import Belemmering, Dimensie, Niveau, Thema
from regiosessies import services

ROLES = ("anonymous", "participant", "facilitator_a", "facilitator_b", "programmateam", "superuser")
STAFF = {"facilitator_a", "facilitator_b", "programmateam", "superuser"}
EVERYONE = set(ROLES)
PROGRAMME = {"programmateam", "superuser"}
SESSION_A = {"facilitator_a", "programmateam", "superuser"}
SUPERUSER = {"superuser"}


@dataclass(frozen=True)
class World:
    sessie_a: object
    sessie_b: object
    aanmelding_a: object
    aanmelding_b: object
    belemmering_a: object
    belemmering_b: object


@pytest.fixture
def world(sessie_a, sessie_b, facilitator_a, facilitator_b) -> World:
    aanmelding_a = services.register(session=sessie_a, name="Anna", email="anna@example.nl", organisation_type="gemeente").aanmelding
    aanmelding_b = services.register(session=sessie_b, name="Bert", email="bert@example.nl", organisation_type="bedrijf").aanmelding
    thema = Thema.objects.first()
    common = {"thema": thema, "level": Niveau.choices[0][0], "dimension": Dimensie.choices[0][0]}
    return World(
        sessie_a=sessie_a,
        sessie_b=sessie_b,
        aanmelding_a=aanmelding_a,
        aanmelding_b=aanmelding_b,
        belemmering_a=Belemmering.objects.create(session=sessie_a, title="Geen budget", **common),
        belemmering_b=Belemmering.objects.create(session=sessie_b, title="Geen data", **common),
    )


def admin_url(model: str, view: str, obj=None) -> Callable[[World], str]:
    def build(world: World) -> str:
        target = getattr(world, obj) if obj else None
        return reverse(f"admin:{model}_{view}", args=[target.pk] if target is not None else [])

    return build


# (label, url(world), roles allowed)
MATRIX: list[tuple[str, Callable[[World], str], set[str]]] = [
    # Public pages
    ("home", lambda w: "/", EVERYONE),
    ("session list", lambda w: reverse("regiosessies:list"), EVERYONE),
    ("session detail", lambda w: w.sessie_a.get_absolute_url(), EVERYONE),
    ("registration form", lambda w: reverse("regiosessies:aanmelden", args=[w.sessie_a.slug]), EVERYONE),
    ("privacy", lambda w: reverse("privacy"), EVERYONE),
    ("health", lambda w: reverse("health"), EVERYONE),
    # The personal link: holding it is the credential, so whoever has it sees that one registration.
    ("personal link", lambda w: w.aanmelding_a.get_absolute_url(), EVERYONE),
    ("personal link, made-up token", lambda w: reverse("regiosessies:aanmelding", args=["x" * 43]), set()),
    # Admin
    ("admin index", lambda w: reverse("admin:index"), STAFF),
    ("registrations list", admin_url("regiosessies_aanmelding", "changelist"), STAFF),
    ("registration of A", admin_url("regiosessies_aanmelding", "change", "aanmelding_a"), SESSION_A),
    ("registration of B", admin_url("regiosessies_aanmelding", "change", "aanmelding_b"), {"facilitator_b", *PROGRAMME}),
    ("session A (read-only for its facilitator)", admin_url("regiosessies_regiosessie", "change", "sessie_a"), SESSION_A),
    ("obstacle of A", admin_url("belemmeringen_belemmering", "change", "belemmering_a"), SESSION_A),
    ("obstacle of B", admin_url("belemmeringen_belemmering", "change", "belemmering_b"), {"facilitator_b", *PROGRAMME}),
    ("regions", admin_url("regiosessies_regio", "changelist"), PROGRAMME),
    ("contact messages", admin_url("consultatie_contactbericht", "changelist"), PROGRAMME),
    ("email outbox", admin_url("consultatie_outboxmessage", "changelist"), PROGRAMME),
    ("user accounts", admin_url("auth_user", "changelist"), SUPERUSER),
    ("2FA devices", admin_url("otp_totp_totpdevice", "changelist"), SUPERUSER),
    ("login attempts", admin_url("axes_accessattempt", "changelist"), SUPERUSER),
    ("personal-data audit log", admin_url("consultatie_auditlog", "changelist"), PROGRAMME),
    ("data-subject page (find, export, erase)", lambda w: reverse("admin:consultatie_auditlog_subject"), PROGRAMME),
    # Report
    ("report dashboard", lambda w: reverse("rapportage:dashboard"), PROGRAMME),
    ("findings spreadsheet", lambda w: reverse("rapportage:xlsx"), PROGRAMME),
]


def client_for(role: str, world: World, request) -> Client:
    client = Client()
    if role in STAFF:
        client.force_login(request.getfixturevalue(role))
    return client


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        # To the login page, or the admin's "does not exist or no access" bounce to its index.
        return "/admin/login/" in response["Location"] or response["Location"] == reverse("admin:index")
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "url", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(request, world, role, label, url, allowed):
    client = client_for(role, world, request)
    response = client.get(url(world))
    if role in allowed:
        assert response.status_code == 200, f"{role} should get {label}; got {response.status_code}"
    else:
        assert refused(response), f"{role} must not get {label}; got {response.status_code}"
