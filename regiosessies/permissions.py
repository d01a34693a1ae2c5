"""What a staff member may see: the one place that decides it.

Every admin class, export, import, autocomplete and report view asks these functions; none decides
on its own. Programme staff (group `Programmateam`) and superusers see everything; a facilitator
(group `Facilitator`) sees only the sessions they facilitate and what hangs off those sessions.
"""

from __future__ import annotations

from django.db.models import QuerySet

from regiosessies.models import Regiosessie

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


def is_facilitator(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return FACILITATOR in _group_names(user)


def sessions_for(user) -> QuerySet[Regiosessie]:
    """The sessions whose data this user may see and change."""
    if is_programmateam(user):
        return Regiosessie.objects.all()
    if user and user.is_authenticated and user.is_active and user.is_staff:
        return Regiosessie.objects.filter(facilitators=user)
    return Regiosessie.objects.none()


def can_manage_session(user, session: Regiosessie | int | None) -> bool:
    if session is None:
        return False
    if is_programmateam(user):
        return True
    session_id = session if isinstance(session, int) else session.pk
    return sessions_for(user).filter(pk=session_id).exists()


def restrict_to_sessions(queryset: QuerySet, user, session_field: str = "session") -> QuerySet:
    """Limit any queryset of session-bound rows (`session_field` points at a Regiosessie)."""
    if is_programmateam(user):
        return queryset
    return queryset.filter(**{f"{session_field}__in": sessions_for(user).values("pk")})
