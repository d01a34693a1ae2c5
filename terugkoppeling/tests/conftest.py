"""Registrants with and without results consent, knelpunten raised in two regions, and a published
version (created directly: the PDF rendering is resultaten's to test)."""

from __future__ import annotations

import pytest

from regiosessies.models import Aanmelding
from terugkoppeling.tests.factories import knelpunt_raised_in, publish, registrant


@pytest.fixture
def people(session_a, session_b):
    """Consenting: anna (Noord, confirmed), ben (Zuid, English, waiting list), cor (Noord, cancelled),
    dirk (registered in both regions: Noord in Dutch first, Zuid in English later). Not consenting: eva."""
    return {
        "anna": registrant(session_a, "anna@example.nl", consent=True),
        "ben": registrant(
            session_b, "ben@example.nl", consent=True, status=Aanmelding.Status.WAITLISTED, language="en"
        ),
        "cor": registrant(session_a, "cor@example.nl", consent=True, status=Aanmelding.Status.CANCELLED),
        "dirk_noord": registrant(session_a, "dirk@example.nl", consent=True),
        "dirk_zuid": registrant(session_b, "dirk@example.nl", consent=True, language="en"),
        "eva": registrant(session_a, "eva@example.nl", consent=False),
    }


@pytest.fixture
def published(session_a, session_b, people):
    noord = knelpunt_raised_in("Geen open standaarden", session_a)
    zuid = knelpunt_raised_in("Aanbesteding te traag", session_b)
    return publish(noord, zuid, regions=[session_a.regio, session_b.regio]), noord, zuid
