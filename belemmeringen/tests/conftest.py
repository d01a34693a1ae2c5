"""Findings for the two standing sessions: an obstacle and a need in each (built by factories.py)."""

from __future__ import annotations

import pytest

from belemmeringen import services
from belemmeringen.models import Behoefte, LichtmastAntwoord, LichtmastBevinding, Niveau
from belemmeringen.tests.factories import make_belemmering, make_need, seed_reference_data
from core.permissions import sync_role_groups
from regiosessies.tests.factories import make_session


@pytest.fixture
def reference_data(db):
    """Themes and sub-topics as the data migration seeds them (idempotent; transactional tests get them
    back through serialized_rollback, this makes a test's need explicit)."""
    seed_reference_data()


@pytest.fixture
def staff_groups(db):
    """The role groups with their permissions, as every migrate (and flush) leaves them."""
    return sync_role_groups(create_missing=True)


@pytest.fixture
def behoefte(db):
    return make_need(
        "Landelijke datastandaard voor sensoren in de openbare ruimte",
        support_type=Behoefte.Ondersteuning.STANDAARDEN,
        level=Niveau.NATIONAAL,
    )


@pytest.fixture
def belemmering_a(session_a, behoefte):
    obj = make_belemmering(session_a, title="Sensordata van pilots sluiten niet op elkaar aan")
    obj.behoeften.add(behoefte)
    return obj


@pytest.fixture
def belemmering_b(session_b, behoefte):
    obj = make_belemmering(
        session_b,
        title="Geheim van Zuid: aanbesteding loopt vast",
        thema="Juridisch",
        subthema="Aanbesteden van innovatie",
    )
    obj.behoeften.add(behoefte)
    return obj


@pytest.fixture
def antwoord_a(session_a):
    antwoord = LichtmastAntwoord.objects.create(session=session_a, verdict=LichtmastAntwoord.Oordeel.VOORWAARDEN)
    LichtmastBevinding.objects.create(
        antwoord=antwoord, aspect="elektra", kind="voorwaarde", text="Voeding ook overdag nodig"
    )
    return antwoord


@pytest.fixture
def antwoord_b(session_b):
    antwoord = LichtmastAntwoord.objects.create(
        session=session_b, verdict=LichtmastAntwoord.Oordeel.NEE, summary="Zuid zegt nee"
    )
    LichtmastBevinding.objects.create(
        antwoord=antwoord, aspect="eigendom", kind="belemmering", text="Masten van netbeheerder"
    )
    return antwoord


# Three entries from three sessions, two of them grouped into one knelpunt (the knelpunt admin's tests).


@pytest.fixture
def entries(session_a, session_b):
    third = make_session("utrecht", days=-5)
    return [
        make_belemmering(session_a, title="Pilotresultaten worden niet gedeeld", recognised_by=6),
        make_belemmering(session_b, title="pilotresultaten  worden niet gedeeld", recognised_by=3),
        make_belemmering(third, title="Geen budget voor beheer na de pilot", recognised_by=2),
    ]


@pytest.fixture
def knelpunt(entries, programmateam):
    return services.create_knelpunt(belemmeringen=entries[:2], user=programmateam)
