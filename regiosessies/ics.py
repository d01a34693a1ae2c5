"""Calendar files (.ics): a registration's, attached to its emails, and a session's, linked from its page."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from core.translated import translated
from regiosessies.models import Aanmelding, Regiosessie


def personal_url(aanmelding: Aanmelding) -> str:
    return f"{settings.SITE_URL}{aanmelding.get_absolute_url()}"


def event_uid(aanmelding: Aanmelding) -> str:
    """Stable per registration, so a later cancellation replaces the same calendar entry.

    Built from the primary key, not the token: the token is the key to the personal page.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"aanmelding-{aanmelding.pk}@{host}"


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_date: date, last_date: date) -> Timezone:
    """The VTIMEZONE for `tzid` between two dates, built once per process and range.

    Building it walks the zone's transitions and is by far the slowest part of a calendar file; every
    message about the same session needs the same one. The component is only serialised, never
    changed, so one instance can be shared by every calendar.
    """
    return Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)


def aanmelding_ics(aanmelding: Aanmelding, *, cancelled: bool = False, sequence: int | None = None) -> str:
    """An iCalendar document with the session as one event, times in Europe/Amsterdam (TZID).

    `sequence`: the revision of this registration's calendar entry. Each later file must carry a higher
    one, or calendars ignore it (a confirmation after an undone cancellation would not bring the entry
    back). Default: 1 for a cancellation, 0 otherwise.
    """
    url = personal_url(aanmelding)
    return _session_calendar(
        aanmelding.session,
        uid=event_uid(aanmelding),
        url=url,
        description=_("Uw aanmelding bekijken of annuleren: %(url)s") % {"url": url},
        cancelled=cancelled,
        sequence=(1 if cancelled else 0) if sequence is None else sequence,
    )


def session_ics(session: Regiosessie) -> str:
    """The session's public calendar file (the "add to calendar" link on its page): no personal data."""
    url = f"{settings.SITE_URL}{session.get_absolute_url()}"
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return _session_calendar(
        session,
        uid=f"regiosessie-{session.pk}@{host}",
        url=url,
        description=_("Programma en aanmelden: %(url)s") % {"url": url},
        cancelled=session.cancelled,
        sequence=1 if session.cancelled else 0,
    )


def _session_calendar(
    session: Regiosessie, *, uid: str, url: str, description: str, cancelled: bool, sequence: int
) -> str:
    tz = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Consultatie Smart City//Regiosessies//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.start.astimezone(tz))
    event.add("dtend", session.end.astimezone(tz))
    event.add("summary", translated(session, "title"))
    event.add("location", ", ".join(part for part in (session.venue_name, session.address, session.city) if part))
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A later file (a cancellation, a confirmation after an undo) must outrank the earlier entry.
    event.add("sequence", sequence)
    # Only the transitions around the session: the full 1970-2038 table makes the file ten times larger.
    # VTIMEZONE goes before the event that refers to it (as `add_missing_timezones` would place it).
    calendar.add_component(
        _vtimezone(
            settings.TIME_ZONE,
            session.start.date() - timedelta(days=366),
            session.end.date() + timedelta(days=366),
        )
    )
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
