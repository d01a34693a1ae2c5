"""Each role's rights, asserted through the one place that grants them.

`core.permissions.ROLE_PERMISSIONS` declares which model permissions each role's group holds, and
`sync_role_groups()` makes the groups say exactly that; `regiosessies.permissions` decides which sessions
a user reaches; `SessionScopedAdminMixin` and `ProgrammateamOnlyMixin` ask both. The URL-by-URL answers
are in consultatie/tests/test_security.py; here are the rules underneath them.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import models
from django.test import RequestFactory

from belemmeringen.models import (
    Belemmering,
    Dimensie,
    Knelpunt,
    LichtmastAntwoord,
    Niveau,
    SessieBevindingen,
    Thema,
)
from core.permissions import (
    FACILITATOR,
    PROGRAMMATEAM,
    ROLE_PERMISSIONS,
    ProgrammateamOnlyMixin,
    sync_role_groups,
)
from regiosessies.models import Aanmelding, Regio, Regiosessie
from regiosessies.permissions import SessionScopedAdminMixin, can_manage_session, sessions_for

pytestmark = pytest.mark.django_db


def _held(group_name: str) -> set[str]:
    rows = Group.objects.get(name=group_name).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in rows}


def _fresh(user):
    """The user as a new request sees them (permission and group caches live on the object)."""
    return get_user_model().objects.get(pk=user.pk) if user.is_authenticated else user


@pytest.fixture
def staff_without_group(db, session_a):
    user = get_user_model().objects.create_user("zonder-rol", password="x" * 16, is_staff=True)
    session_a.facilitators.add(user)  # listed on the session, but without the Facilitator role
    return user


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def rows(session_a, session_b, register_person):
    """One row of every session-bound kind, in session A and in session B."""
    thema = Thema.objects.first()
    common = {"thema": thema, "level": Niveau.choices[0][0], "dimension": Dimensie.choices[0][0]}
    found = {"knelpunt": Knelpunt.objects.create(title="Geen budget", thema=thema, level=Niveau.choices[0][0])}
    found["regio"] = session_a.regio
    for key, session in (("a", session_a), ("b", session_b)):
        found[f"regiosessie_{key}"] = session
        found[f"aanmelding_{key}"] = register_person(session, email=f"{key}@example.nl").aanmelding
        found[f"belemmering_{key}"] = Belemmering.objects.create(session=session, title="Geen data", **common)
        found[f"lichtmastantwoord_{key}"] = LichtmastAntwoord.objects.create(
            session=session, verdict=LichtmastAntwoord.Oordeel.choices[0][0]
        )
        found[f"sessiebevindingen_{key}"] = SessieBevindingen.objects.get(pk=session.pk)
    return found


# --- The groups are what ROLE_PERMISSIONS says ------------------------------------------------------


def test_each_role_group_holds_exactly_its_declared_permissions():
    # The test database was migrated: core's post_migrate handler ran sync_role_groups().
    assert _held(FACILITATOR) == ROLE_PERMISSIONS[FACILITATOR]
    assert _held(PROGRAMMATEAM) == ROLE_PERMISSIONS[PROGRAMMATEAM]


def test_the_facilitator_role_enters_findings_but_decides_nothing_programme_wide():
    facilitator = ROLE_PERMISSIONS[FACILITATOR]
    assert {
        "belemmeringen.add_belemmering",
        "belemmeringen.change_belemmering",
        "belemmeringen.view_belemmering",
        "regiosessies.change_aanmelding",
        "regiosessies.view_regiosessie",
        "belemmeringen.view_thema",
        "belemmeringen.change_sessiebevindingen",
        "belemmeringen.change_lichtmastantwoord",
        "belemmeringen.add_lichtmastbevinding",
    } <= facilitator
    assert (
        not {
            "belemmeringen.delete_belemmering",
            "belemmeringen.change_thema",
            "belemmeringen.view_knelpunt",
            "regiosessies.change_regiosessie",
            "regiosessies.add_regiosessie",
            "regiosessies.view_regio",
        }
        & facilitator
    )
    assert not {p for p in facilitator if p.split(".")[0] in {"core", "prioritering", "rapportage", "resultaten"}}


def test_the_programme_role_holds_every_facilitator_permission_and_more():
    programme = ROLE_PERMISSIONS[PROGRAMMATEAM]
    assert ROLE_PERMISSIONS[FACILITATOR] < programme
    assert {
        "belemmeringen.delete_belemmering",
        "belemmeringen.change_thema",
        "belemmeringen.change_knelpunt",
        "regiosessies.add_regiosessie",
        "regiosessies.delete_aanmelding",
        "core.view_outboxmessage",
        "core.view_auditlog",
        "prioritering.add_ronde",
        "resultaten.view_publicatie",
    } <= programme
    assert "rapportage.delete_rapportrender" not in programme  # a superuser clears the render cache


def test_sync_takes_back_a_permission_granted_by_hand_and_restores_a_removed_one():
    group = Group.objects.get(name=FACILITATOR)
    group.permissions.add(Permission.objects.get(codename="delete_regiosessie"))
    group.permissions.remove(Permission.objects.get(codename="view_belemmering"))
    sync_role_groups()
    assert _held(FACILITATOR) == ROLE_PERMISSIONS[FACILITATOR]


def test_sync_creates_missing_groups():
    Group.objects.filter(name__in=ROLE_PERMISSIONS).delete()
    groups = sync_role_groups()
    assert set(groups) == {FACILITATOR, PROGRAMMATEAM}
    assert _held(PROGRAMMATEAM) == ROLE_PERMISSIONS[PROGRAMMATEAM]


def test_a_declared_permission_that_does_not_exist_fails_loudly(monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, FACILITATOR, frozenset({"belemmeringen.view_bestaatniet"}))
    with pytest.raises(LookupError, match="view_bestaatniet"):
        sync_role_groups()


# --- Which sessions each role reaches --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "reaches"),
    [
        ("programmateam", {"a", "b"}),
        ("superuser", {"a", "b"}),
        ("facilitator_a", {"a"}),
        ("facilitator_b", {"b"}),
        ("staff_without_group", set()),
        ("anonymous", set()),
    ],
)
def test_sessions_each_role_reaches(request, role, reaches, session_a, session_b):
    user = _fresh(request.getfixturevalue(role))
    sessions = {"a": session_a, "b": session_b}
    assert set(sessions_for(user)) == {sessions[key] for key in reaches}
    for key, session in sessions.items():
        assert can_manage_session(user, session) is (key in reaches)
        assert can_manage_session(user, session.pk) is (key in reaches)


# --- The admin: model permission AND reach ---------------------------------------------------------

EVERYTHING = {"module", "view", "add", "change", "delete"}
NOTHING: set[str] = set()

# (model, row) -> role -> what the admin allows on that row. "module" is the app list entry and "add"
# the add form (neither depends on the row). A row of session B is the other session for facilitator A.
RIGHTS: dict[tuple[str, str], dict[str, set[str]]] = {
    ("regiosessie", "a"): {"programmateam": EVERYTHING, "facilitator_a": {"module", "view"}},
    ("regiosessie", "b"): {"programmateam": EVERYTHING, "facilitator_a": {"module"}},
    # Registrations arrive through the public form and are anonymised, never deleted.
    ("aanmelding", "a"): {"programmateam": {"module", "view", "change"}, "facilitator_a": {"module", "view", "change"}},
    ("aanmelding", "b"): {"programmateam": {"module", "view", "change"}, "facilitator_a": {"module"}},
    ("belemmering", "a"): {"programmateam": EVERYTHING, "facilitator_a": {"module", "view", "add", "change"}},
    ("belemmering", "b"): {"programmateam": EVERYTHING, "facilitator_a": {"module", "add"}},
    ("lichtmastantwoord", "a"): {"programmateam": EVERYTHING, "facilitator_a": {"module", "view", "add", "change"}},
    ("lichtmastantwoord", "b"): {"programmateam": EVERYTHING, "facilitator_a": {"module", "add"}},
    # A session's findings page: sessions are made in the regiosessies admin.
    ("sessiebevindingen", "a"): {
        "programmateam": {"module", "view", "change"},
        "facilitator_a": {"module", "view", "change"},
    },
    ("sessiebevindingen", "b"): {"programmateam": {"module", "view", "change"}, "facilitator_a": {"module"}},
    ("knelpunt", ""): {"programmateam": EVERYTHING, "facilitator_a": NOTHING},
    ("regio", ""): {"programmateam": EVERYTHING, "facilitator_a": NOTHING},
}
MODELS = {
    "regiosessie": Regiosessie,
    "aanmelding": Aanmelding,
    "belemmering": Belemmering,
    "lichtmastantwoord": LichtmastAntwoord,
    "sessiebevindingen": SessieBevindingen,
    "knelpunt": Knelpunt,
    "regio": Regio,
}


def _rights(user, model, obj) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    allowed = {a for a in ("view", "change", "delete") if getattr(model_admin, f"has_{a}_permission")(request, obj)}
    if model_admin.has_add_permission(request):
        allowed.add("add")
    if model_admin.has_module_permission(request):
        allowed.add("module")
    return allowed


def _row(rows, model_name: str, key: str):
    return rows[f"{model_name}_{key}" if key else model_name]


@pytest.mark.parametrize(("model_name", "key"), list(RIGHTS), ids=[f"{m}-{k or 'all'}" for m, k in RIGHTS])
def test_admin_rights_per_role(request, rows, model_name, key):
    expected = RIGHTS[(model_name, key)]
    model, obj = MODELS[model_name], _row(rows, model_name, key)
    for role in ("programmateam", "superuser", "facilitator_a", "staff_without_group", "anonymous"):
        user = _fresh(request.getfixturevalue(role))
        want = expected.get("programmateam" if role == "superuser" else role, NOTHING)
        assert _rights(user, model, obj) == want, f"{role} on {model_name} {key}"


def test_admin_lists_show_only_the_sessions_a_facilitator_reaches(rows, facilitator_a, programmateam):
    request = RequestFactory().get("/admin/")
    for model_name in ("regiosessie", "aanmelding", "belemmering", "lichtmastantwoord", "sessiebevindingen"):
        model_admin = admin.site._registry[MODELS[model_name]]
        request.user = _fresh(facilitator_a)
        assert set(model_admin.get_queryset(request)) == {rows[f"{model_name}_a"]}, model_name
        request.user = _fresh(programmateam)
        assert set(model_admin.get_queryset(request)) == {rows[f"{model_name}_a"], rows[f"{model_name}_b"]}


def test_the_model_permission_is_asked_not_only_the_session(rows, facilitator_a):
    """Take one permission from the role's group and the admin refuses that action, even in the
    facilitator's own session: the granted permissions are what the admin checks."""
    change = Permission.objects.get(codename="change_aanmelding")
    Group.objects.get(name=FACILITATOR).permissions.remove(change)
    assert _rights(_fresh(facilitator_a), Aanmelding, rows["aanmelding_a"]) == {"module", "view"}
    sync_role_groups()
    assert _rights(_fresh(facilitator_a), Aanmelding, rows["aanmelding_a"]) == {"module", "view", "change"}


def test_the_programme_role_is_asked_not_only_the_permission(rows, facilitator_a):
    """A facilitator handed a programme permission by hand still does not see programme-wide data."""
    facilitator_a.user_permissions.add(Permission.objects.get(codename="view_knelpunt"))
    assert _rights(_fresh(facilitator_a), Knelpunt, rows["knelpunt"]) == NOTHING


def _points_at_a_session(model) -> bool:
    if issubclass(model, Regiosessie):
        return True
    return any(
        isinstance(f, models.ForeignKey) and issubclass(f.related_model, Regiosessie) for f in model._meta.fields
    )


def test_every_session_bound_admin_uses_the_one_mixin():
    """A new admin of session-bound rows must say who reaches it: its session (the mixin), or programme
    staff alone."""
    for model, model_admin in admin.site._registry.items():
        if _points_at_a_session(model):
            assert isinstance(model_admin, SessionScopedAdminMixin | ProgrammateamOnlyMixin), model.__name__
