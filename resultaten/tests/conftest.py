"""Findings with knelpunten and registrants whose personal data must never be public.

The registrants' names, addresses and organisations are distinctive strings (`PERSONAL`), so a test
can search every public page and download for them.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapportage.tests.factories import make_findings
from regiosessies.models import Aanmelding

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


def _registrant(session, name: str, email: str, organisation: str) -> Aanmelding:
    return Aanmelding.objects.create(
        session=session,
        name=name,
        email=email,
        organisation=organisation,
        organisation_type="gemeente",
        consent_at=timezone.now(),
        privacy_version="test",
        status=Aanmelding.Status.CONFIRMED,
        attended=True,
    )


@pytest.fixture
def findings(sessie_a, sessie_b):
    """rapportage's known findings (grouped into knelpunten K1-K5), plus registrants with distinctive data."""
    found = make_findings(sessie_a, sessie_b)
    _registrant(sessie_a, *PERSONAL[0:3])
    _registrant(sessie_b, *PERSONAL[3:6])
    # rapportage's factory grouped the entries into K1-K5; the tests name the two they use.
    found.knelpunten.update(pilots=found.knelpunten["K1"], budget=found.knelpunten["K2"])
    return found


@pytest.fixture
def published(findings):
    """The findings published once (a real render of the report PDF)."""
    from resultaten.services import publish

    publicatie, _created = publish()
    return publicatie
