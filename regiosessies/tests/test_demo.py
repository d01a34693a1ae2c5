"""Demo registrations for `seed_demo`: one session full with a waiting list, one closed."""

from __future__ import annotations

from collections import Counter

import pytest

from regiosessies.demo import (
    CLOSED_SESSION_SLUG,
    DEMO_WAITLIST,
    FULL_SESSION_SLUG,
    seed_regions_and_sessions,
    seed_registrations,
)
from regiosessies.models import Aanmelding, Availability, Regiosessie

pytestmark = pytest.mark.django_db


def test_one_session_is_full_with_a_waiting_list_and_one_is_closed():
    seed_regions_and_sessions()
    seed_registrations()
    full = Regiosessie.objects.with_counts().get(slug=FULL_SESSION_SLUG)
    closed = Regiosessie.objects.with_counts().get(slug=CLOSED_SESSION_SLUG)
    assert full.availability() == Availability.FULL
    assert full.confirmed_count == full.capacity
    assert full.waitlisted_count == DEMO_WAITLIST
    assert closed.availability() == Availability.CLOSED
    others = Regiosessie.objects.with_counts().exclude(slug__in=[FULL_SESSION_SLUG, CLOSED_SESSION_SLUG])
    assert {s.availability() for s in others} == {Availability.OPEN}


def test_seeding_twice_changes_nothing():
    seed_regions_and_sessions()
    first = seed_registrations()
    before = Counter(Aanmelding.objects.values_list("status", flat=True))
    second = seed_registrations()
    assert first["registrations"] > 0
    assert second == {"registrations": 0, "closed": 0}
    assert Counter(Aanmelding.objects.values_list("status", flat=True)) == before
