"""The calendar file attached to the confirmation: it must open at the right local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from icalendar import Calendar

from regiosessies.ics import aanmelding_ics, event_uid
from regiosessies.tests.factories import make_session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def only_event(ics_text: str):
    calendar = Calendar.from_ical(ics_text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local_start", "utc_offset_hours"),
    [(datetime(2027, 1, 14, 13, 30), 1), (datetime(2027, 6, 10, 13, 30), 2)],  # winter time, summer time
)
def test_start_is_in_europe_amsterdam_in_winter_and_summer(register_person, local_start, utc_offset_hours):
    start = local_start.replace(tzinfo=AMSTERDAM)
    session = make_session("ics", start=start, end=start.replace(hour=17), venue_name="Forum", city="Groningen")
    aanmelding = register_person(session, now=start.replace(year=2026, month=11, day=1)).aanmelding

    ics_text = aanmelding_ics(aanmelding)
    _calendar, event = only_event(ics_text)

    dtstart = event.decoded("dtstart")
    assert dtstart == start
    assert str(dtstart.tzinfo) == "Europe/Amsterdam"
    assert dtstart.utcoffset().total_seconds() == utc_offset_hours * 3600
    assert f"DTSTART;TZID=Europe/Amsterdam:{local_start:%Y%m%dT%H%M%S}" in ics_text
    assert "BEGIN:VTIMEZONE" in ics_text
    assert event.decoded("dtend") == start.replace(hour=17)


@pytest.mark.django_db
def test_event_has_title_location_and_personal_link(participant):
    _calendar, event = only_event(aanmelding_ics(participant))
    session = participant.session
    assert str(event["summary"]) == session.title
    assert session.venue_name in str(event["location"]) and session.city in str(event["location"])
    personal = f"{settings.SITE_URL}/aanmelding/{participant.token}/"
    assert personal in str(event["description"])
    assert str(event["url"]) == personal


@pytest.mark.django_db
def test_uid_is_stable_per_registration_and_does_not_reveal_the_token(participant, register_person):
    _c, first = only_event(aanmelding_ics(participant))
    _c, again = only_event(aanmelding_ics(participant))
    other = register_person(participant.session, "ander@example.nl").aanmelding
    _c, others = only_event(aanmelding_ics(other))
    assert str(first["uid"]) == str(again["uid"]) == event_uid(participant)
    assert str(first["uid"]) != str(others["uid"])
    assert participant.token not in str(first["uid"])


@pytest.mark.django_db
def test_cancellation_calendar_cancels_the_same_event(participant):
    calendar, event = only_event(aanmelding_ics(participant, cancelled=True))
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == event_uid(participant)
    assert int(event["sequence"]) > 0
