"""Findings with knelpunten and registrants whose personal data must never be public.

The registrants' names, addresses and organisations are distinctive strings (`PERSONAL`), so a test
can search every public page and download for them.
"""

from __future__ import annotations

import pytest

from rapportage.tests.factories import make_findings
from regiosessies.tests.factories import make_registration

#: Personal data seeded for registrants: none of it may appear in anything public.
PERSONAL = [
    "Zwaantje Quispelaar",
    "zwaantje.quispel@voorbeeldgemeente.nl",
    "Gemeente Quispeldorp Digitaal",
    "Hendrikus Vlaskamp-Oortwijn",
    "h.vlaskamp@oortwijn-sensoren.example",
    "Oortwijn Sensoren BV",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def findings(session_a, session_b):
    """rapportage's known findings (grouped into knelpunten K1-K5), plus registrants with distinctive data."""
    found = make_findings(session_a, session_b)
    for session, (name, email, organisation) in ((session_a, PERSONAL[0:3]), (session_b, PERSONAL[3:6])):
        make_registration(session, email, name=name, organisation=organisation, attended=True)
    # rapportage's factory grouped the entries into K1-K5; the tests name the two they use.
    found.knelpunten.update(pilots=found.knelpunten["K1"], budget=found.knelpunten["K2"])
    return found


@pytest.fixture
def published(findings):
    """The findings published once (a real render of the report PDF)."""
    from resultaten.services import publish

    publicatie, _created = publish()
    return publicatie
