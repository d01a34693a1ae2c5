"""Demo registrations for `seed_demo`: every session has taken place, with registrations and attendance."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from regiosessies.demo import (
    DEMO_WAITLIST,
    FULL_SESSION_SLUG,
    OPKOMST,
    seed_regions_and_sessions,
    seed_registrations,
)
from regiosessies.models import Aanmelding, Regiosessie

pytestmark = pytest.mark.django_db


def test_every_session_took_place_before_today_within_the_retention_period():
    sessions = seed_regions_and_sessions()
    now = timezone.now()
    assert len(sessions) == 6
    for session in sessions:
        assert now - timedelta(days=90) < session.end < now
    assert [s.start for s in sessions] == sorted(s.start for s in sessions)


def test_attendance_is_recorded_and_not_everyone_came():
    seed_regions_and_sessions()
    seed_registrations()
    for session in Regiosessie.objects.with_counts():
        total, cancelled, _absent = OPKOMST[session.slug]
        assert session.aanmeldingen.count() == total
        assert session.aanmeldingen.filter(status=Aanmelding.Status.CANCELLED).count() == cancelled
        assert 0 < session.attended_count < session.confirmed_count, session.slug
        assert not session.aanmeldingen.filter(attended=True).exclude(status=Aanmelding.Status.CONFIRMED).exists()
    full = Regiosessie.objects.with_counts().get(slug=FULL_SESSION_SLUG)
    assert full.confirmed_count == full.capacity
    assert full.waitlisted_count == DEMO_WAITLIST
    kinds = Counter(Aanmelding.objects.values_list("organisation_type", flat=True))
    assert kinds.most_common(1)[0][0] == "gemeente" and len(kinds) >= 6


def test_seeding_twice_changes_nothing():
    seed_regions_and_sessions()
    first = seed_registrations()
    before = Counter(Aanmelding.objects.values_list("status", "attended"))
    second = seed_registrations()
    assert first["registrations"] > 0
    assert second == {"registrations": 0, "closed": 0}
    assert Counter(Aanmelding.objects.values_list("status", "attended")) == before
