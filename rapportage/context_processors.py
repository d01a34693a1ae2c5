"""Links to the reports for staff, on the site and in the admin: the dashboard for programme staff, and
for a facilitator the report of each session they may download."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core.permissions import is_programmateam
from core.translated import shown_language, translated
from regiosessies.permissions import sessions_for


@dataclass(frozen=True)
class SessionReport:
    title: str
    url: str
    #: The language of `title` (staff-entered; Dutch where no English was entered), for a lang attribute.
    lang: str = "nl"


@dataclass(frozen=True)
class ReportLinks:
    #: A logged-in staff member: the site shows the staff bar with a log-out button.
    show: bool = False
    username: str = ""
    dashboard_url: str = ""
    session_reports: list[SessionReport] = field(default_factory=list)


def report_links_for(request) -> ReportLinks:
    """What to link for this request's user; nothing for a visitor without a session cookie.

    The public pages are cached for visitors without a session (core.pagecache). Reading
    `request.user` touches the session and would make every such page vary by cookie and never be
    stored, so without a session cookie nobody can be logged in and the user is not looked at.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ReportLinks()
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return ReportLinks()
    if is_programmateam(user):
        return ReportLinks(show=True, username=user.get_username(), dashboard_url=reverse("rapportage:dashboard"))
    reports = [
        SessionReport(
            title=translated(s, "title"),
            url=reverse("rapportage:session_pdf", kwargs={"slug": s.slug}),
            lang=shown_language(s, "title"),
        )
        for s in sessions_for(user).order_by("start")
    ]
    return ReportLinks(show=True, username=user.get_username(), session_reports=reports)


def report_links(request) -> dict:
    # Lazy: only a template that shows the links makes the decision (and its query).
    return {"report_links": SimpleLazyObject(lambda: report_links_for(request))}
