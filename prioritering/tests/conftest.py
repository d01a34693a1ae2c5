"""Fixtures for the prioritisation round: needs on the shopping list, an open round, registrants
(built by prioritering/tests/factories.py and regiosessies/tests/factories.py)."""

from __future__ import annotations

import pytest

from prioritering.models import Ronde
from prioritering.tests import factories
from regiosessies.tests.factories import register as register_through_service


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    # The tests post far more ballots from one address than a person would in a minute.
    settings.REGISTRATION_RATE_LIMIT = 100_000


@pytest.fixture
def needs(db, session_a):
    """Six needs, each behind an established obstacle of session A: the shopping list."""
    return factories.make_needs(session_a)


@pytest.fixture
def make_round(needs):
    def _make(**extra) -> Ronde:
        return factories.make_round(needs, **extra)

    return _make


@pytest.fixture
def ronde(make_round):
    """An open round over the six needs: 10 points, at most 5 on one need, all registrants."""
    return make_round()


@pytest.fixture
def register(db):
    """`register(session, email, name=..., attended=...)`: a registration through the service."""
    return register_through_service


@pytest.fixture
def anna(session_a, register):
    return register(session_a, "anna@example.nl", name="Anna", attended=True)


@pytest.fixture
def bert(session_b, register):
    return register(session_b, "bert@example.nl", name="Bert", organisation_type="bedrijf")
