"""The two staff roles and the admin mixins for programme-wide data.

Programme staff (group `Programmateam`) and superusers see everything. Which sessions a facilitator
(group `Facilitator`) sees is a rule about sessions, so it lives with them in `regiosessies/permissions.py`.
"""

from __future__ import annotations

PROGRAMMATEAM = "Programmateam"
FACILITATOR = "Facilitator"


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
    """For admin classes of programme-wide data (regions, the email outbox, contact messages):
    programme staff see, change and add; everyone else does not even see the module."""

    def has_module_permission(self, request) -> bool:
        return is_programmateam(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_programmateam(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_programmateam(request.user)

    def has_add_permission(self, request) -> bool:
        return is_programmateam(request.user)


class ProgrammateamReadOnlyMixin(ProgrammateamOnlyMixin):
    """For records nobody edits by hand (the audit log, published versions): programme staff read them;
    nobody adds, changes or deletes them through the admin."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
