"""Which sessions a staff member may see: the one place that decides it.

Every admin class, export, import, autocomplete and report view asks these functions; none decides
on its own. Programme staff (group `Programmateam`) and superusers see every session; a facilitator
(group `Facilitator`, and staff) sees only the sessions they facilitate and what hangs off those
sessions. A staff account without a role sees none. The roles and the model permissions each role
holds are declared in `core.permissions` (ROLE_PERMISSIONS).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.permissions import is_facilitator, is_programmateam
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


def facilitator_candidates() -> QuerySet:
    """Who may be made a session's facilitator: active staff accounts, since only they can log in to the
    admin to enter the session's findings."""
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def sessions_for(user) -> QuerySet[Regiosessie]:
    """The sessions whose data this user may see and change."""
    if is_programmateam(user):
        return Regiosessie.objects.all()
    if is_facilitator(user) and user.is_staff:
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


class SessionScopedAdminMixin(NotFoundUnlessVisibleMixin):
    """For every admin class of session-bound rows (a session itself, its registrations, its findings).

    The one rule (see `core.permissions`): a page or action answers yes only when the user holds
    Django's model permission for it (the admin's own check, from the role's group, declared in
    ROLE_PERMISSIONS) AND the row's session is one of `sessions_for(user)`. So a facilitator views and
    changes what their role's permissions name, in their own sessions only; programme staff hold every
    permission for every session; a row of another session answers 404, like a missing one. Lists,
    the session choices in forms and the session filter show only the user's sessions.

    Put it before `admin.ModelAdmin` in the bases.
    """

    #: Path from this model to its Regiosessie ("session", "aanmelding__session"); empty for a session.
    session_field = "session"

    def session_of(self, obj) -> Regiosessie | int | None:
        """The row's session (its id when the path ends in a foreign key), without a query."""
        if not self.session_field:
            return obj
        *path, last = self.session_field.split("__")
        for part in path:
            obj = getattr(obj, part)
        return getattr(obj, f"{last}_id")

    def in_reach(self, request, obj=None) -> bool:
        return obj is None or can_manage_session(request.user, self.session_of(obj))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.session_field:
            return queryset.filter(pk__in=sessions_for(request.user).values("pk"))
        return restrict_to_sessions(queryset, request.user, self.session_field)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self.in_reach(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.in_reach(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_reach(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Regiosessie:
            kwargs["queryset"] = sessions_for(request.user).select_related("regio")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
