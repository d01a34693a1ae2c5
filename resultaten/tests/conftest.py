"""Findings with knelpunten and registrants whose personal data must never be public.

The registrants' names, addresses and organisations are distinctive strings (`PERSONAL`), so a test
can search every public page and download for them.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from belemmeringen.models import Belemmering, Knelpunt, Niveau
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
    """rapportage's known findings, grouped into knelpunten, plus registrants with distinctive data."""
    found = make_findings(sessie_a, sessie_b)
    _registrant(sessie_a, *PERSONAL[0:3])
    _registrant(sessie_b, *PERSONAL[3:6])
    pilots = Knelpunt.objects.create(
        title="Resultaten van pilots worden niet gedeeld",
        description="Gemeenten leren niet van elkaars pilots.",
        thema=found.obstacles[0].thema,
        level=Niveau.NATIONAAL,
    )
    Belemmering.objects.filter(pk__in=[found.obstacles[0].pk, found.obstacles[1].pk]).update(knelpunt=pilots)
    pilots.behoeften.add(found.needs["N1"])
    budget = Knelpunt.objects.create(
        title="Geen structureel budget voor innovatie",
        thema=found.obstacles[2].thema,
        level=Niveau.NATIONAAL,
    )
    Belemmering.objects.filter(pk=found.obstacles[2].pk).update(knelpunt=budget)
    found.knelpunten = {"pilots": pilots, "budget": budget}
    return found


@pytest.fixture
def published(findings):
    """The findings published once (a real render of the report PDF)."""
    from resultaten.services import publish

    publicatie, _created = publish()
    return publicatie
