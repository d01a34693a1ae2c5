"""The two staff roles: what each may do, declared once, and the admin mixins for programme-wide data.

The rule every admin class follows (here and in `regiosessies.permissions.SessionScopedAdminMixin`):

    an admin page or action answers yes only when the user holds Django's model permission for it
    (view/add/change/delete_<model>) AND the row is within the user's reach.

- The model permissions come from the role groups alone, and `ROLE_PERMISSIONS` below is the one place
  that says which: `sync_role_groups()` gives each group exactly that list on every `migrate` (and after
  a test flush), so the migrations that once granted them no longer decide anything.
- "Within reach" is the role: programme-wide data (regions, knelpunten, rounds, reports, the outbox)
  is for programme staff only (`ProgrammateamOnlyMixin`); session-bound rows are for the facilitators
  of that session and for programme staff (`regiosessies.permissions`, which decides which sessions a
  facilitator sees); reference data (themes, needs) is for every role the permissions name.

Programme staff (group `Programmateam`) and superusers see everything; a superuser holds every model
permission without a group.
"""

from __future__ import annotations

PROGRAMMATEAM = "Programmateam"
FACILITATOR = "Facilitator"

ALL = ("view", "add", "change", "delete")


def _perms(model: str, *actions: str) -> set[str]:
    """`_perms("belemmeringen.belemmering", "view", "add")` -> {"belemmeringen.view_belemmering", ...}"""
    app_label, model_name = model.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


#: What each role's group holds: "app_label.codename", as `user.has_perm()` reads it. The one place
#: that grants a model permission; `sync_role_groups()` makes the groups say exactly this.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    FACILITATOR: frozenset(
        # Their sessions' registrations and findings (which sessions: regiosessies.permissions).
        # A session itself (date, place, capacity, facilitators) is a promise made by programme
        # staff: facilitators only view it.
        _perms("regiosessies.regiosessie", "view")
        | _perms("regiosessies.aanmelding", "view", "change")
        | _perms("belemmeringen.belemmering", "view", "add", "change")
        | _perms("belemmeringen.sessiebevindingen", "view", "change")
        | _perms("belemmeringen.lichtmastantwoord", "view", "add", "change")
        | _perms("belemmeringen.lichtmastbevinding", "view", "add", "change")
        # Needs are shared; delete only their own, unused elsewhere (BehoefteAdmin asks services).
        | _perms("belemmeringen.behoefte", *ALL)
        | _perms("belemmeringen.thema", "view")
        | _perms("belemmeringen.subthema", "view")
    ),
    PROGRAMMATEAM: frozenset(
        _perms("regiosessies.regio", *ALL)
        | _perms("regiosessies.regiosessie", *ALL)
        | _perms("regiosessies.aanmelding", *ALL)
        | _perms("belemmeringen.belemmering", *ALL)
        | _perms("belemmeringen.sessiebevindingen", *ALL)
        | _perms("belemmeringen.lichtmastantwoord", *ALL)
        | _perms("belemmeringen.lichtmastbevinding", *ALL)
        | _perms("belemmeringen.behoefte", *ALL)
        | _perms("belemmeringen.thema", *ALL)
        | _perms("belemmeringen.subthema", *ALL)
        | _perms("belemmeringen.knelpunt", *ALL)
        | _perms("belemmeringen.knelpuntstatuswijziging", *ALL)
        | _perms("prioritering.ronde", "view", "add", "change")
        | _perms("rapportage.rapporttekst", "view", "change")
        | _perms("rapportage.programmaonderdeel", *ALL)
        # The render cache is read; a superuser alone clears a row.
        | _perms("rapportage.rapportrender", "view")
        | _perms("resultaten.publicatie", "view")
        | _perms("resultaten.opendatabestand", "view")
        # Their own records: the outbox, contact questions, bulk mailings and the audit log.
        | _perms("core.outboxmessage", "view", "change")
        | _perms("core.contactbericht", "view", "change")
        | _perms("core.mailing", "view", "change")
        | _perms("core.mailingrecipient", "view", "change")
        | _perms("core.auditlog", "view")
    ),
}


def _permission_rows(names: frozenset[str]) -> list:
    from django.contrib.auth.models import Permission

    wanted = {tuple(name.split(".", 1)) for name in names}
    rows = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted}, codename__in={code for _, code in wanted}
    ).select_related("content_type")
    found = [p for p in rows if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"ROLE_PERMISSIONS names permissions that do not exist: {sorted(missing)}")
    return found


def sync_role_groups(*, create_missing: bool = False) -> dict:
    """Create the role groups and give each exactly its `ROLE_PERMISSIONS` (idempotent).

    Run after every migrate (core's post_migrate handler); the demo seed and the test fixtures take
    their groups from here too. A permission granted to a role group by hand is taken back: grant it
    in `ROLE_PERMISSIONS` instead. `create_missing` first creates every app's model permissions (the
    post_migrate signal reaches `core` before the domain apps have theirs). Returns the groups by name.
    """
    from django.contrib.auth.models import Group

    if create_missing:
        from django.apps import apps
        from django.contrib.auth.management import create_permissions

        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
    groups = {}
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permission_rows(permissions))
        groups[name] = group
    return groups


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    """post_migrate handler (connected in CoreConfig.ready): every migrate and test flush ends with the
    role groups right."""
    sync_role_groups(create_missing=True)


def _group_names(user) -> set[str]:
    # Cached on the user object: admin pages ask several times per request.
    if not hasattr(user, "_consultatie_groups"):
        user._consultatie_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._consultatie_groups


def is_programmateam(user) -> bool:
    """Programme staff and superusers see all sessions, findings and registrations."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or PROGRAMMATEAM in _group_names(user)


def is_facilitator(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return FACILITATOR in _group_names(user)


class ProgrammateamOnlyMixin:
    """For admin classes of programme-wide data (regions, knelpunten, rounds, reports, the outbox):
    programme staff, with the model permission for what they do (the module rule above); everyone
    else does not even see the module. Put it before `admin.ModelAdmin` in the bases."""

    def has_module_permission(self, request) -> bool:
        return is_programmateam(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_programmateam(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_programmateam(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return is_programmateam(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_programmateam(request.user) and super().has_delete_permission(request, obj)


class ProgrammateamReadOnlyMixin(ProgrammateamOnlyMixin):
    """For records nobody edits by hand (the audit log, published versions): programme staff read them;
    nobody adds, changes or deletes them through the admin."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
