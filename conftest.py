"""Fixtures shared by every app's tests: the standing roles.

participant (a registration's link holder) lives in regiosessies' fixtures; here are the accounts:
facilitator of session A, facilitator of session B, programme staff, superuser; plus two sessions.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from regiosessies.models import Regio, Regiosessie


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in Dutch. A request to /en/ activates English for the thread (LocaleMiddleware
    does not switch back), which would otherwise leak into the next test's reverse() and templates."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_session(slug: str, *, regio_name: str | None = None, days: int = 14, capacity: int = 30, **extra):
    regio, _ = Regio.objects.get_or_create(slug=slug, defaults={"name": regio_name or slug.title()})
    start = timezone.now() + timedelta(days=days)
    defaults = {
        "regio": regio,
        "title": f"Regiosessie {regio.name}",
        "start": start,
        "end": start + timedelta(hours=3),
        "venue_name": "Stadhuis",
        "address": "Markt 1",
        "city": regio.name,
        "capacity": capacity,
    }
    defaults.update(extra)
    return Regiosessie.objects.create(slug=slug, **defaults)


@pytest.fixture
def sessie_a(db):
    return make_session("noord", regio_name="Noord")


@pytest.fixture
def sessie_b(db):
    return make_session("zuid", regio_name="Zuid", days=21)


def _staff(username: str, group_name: str | None = None):
    user = get_user_model().objects.create_user(username=username, password="x" * 16, is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


@pytest.fixture
def facilitator_a(db, sessie_a):
    user = _staff("fac-a", "Facilitator")
    sessie_a.facilitators.add(user)
    return user


@pytest.fixture
def facilitator_b(db, sessie_b):
    user = _staff("fac-b", "Facilitator")
    sessie_b.facilitators.add(user)
    return user


@pytest.fixture
def programmateam(db):
    return _staff("programma", "Programmateam")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="root", password="x" * 16, email="root@example.nl")
