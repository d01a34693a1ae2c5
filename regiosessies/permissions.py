"""What a staff member may see: the one place that decides it.

Every admin class, export, import, autocomplete and report view asks these functions; none decides
on its own. Programme staff (group `Programmateam`) and superusers see everything; a facilitator
(group `Facilitator`) sees only the sessions they facilitate and what hangs off those sessions.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.permissions import (  # noqa: F401 - the roles, read here by every domain app
    FACILITATOR,
    PROGRAMMATEAM,
    ProgrammateamOnlyMixin,
    ProgrammateamReadOnlyMixin,
    is_facilitator,
    is_programmateam,
)
from regiosessies.models import Regiosessie


class NotFoundUnlessVisibleMixin:
    """For every admin class of session-bound rows: one object outside what this user may see answers
    404, the same as a missing one.

    The admin's default is a redirect to the index with "… met ID “6” bestaat niet", which reads like
    an error and differs from a missing row only in wording; a plain not-found page says the same for
    a missing and a forbidden row, so nobody can probe other sessions.
    """

    def _not_found_unless_visible(self, request, object_id: str | None) -> None:
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:
            raise Http404(_("Dit item bestaat niet of u heeft er geen toegang toe."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._not_found_unless_visible(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._not_found_unless_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._not_found_unless_visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)


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
