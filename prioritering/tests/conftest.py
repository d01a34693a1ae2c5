"""Fixtures for the prioritisation round: needs on the shopping list, an open round, registrants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from belemmeringen.models import Behoefte, Belemmering, Dimensie, Niveau, Thema
from prioritering.models import Ronde
from regiosessies import services as registration

NEEDS = [
    ("Kennisplatform pilots", Niveau.NATIONAAL),
    ("Innovatiebudget", Niveau.NATIONAAL),
    ("Regionale inkoopsamenwerking", Niveau.REGIONAAL),
    ("Landelijke standaarden", Niveau.NATIONAAL),
    ("Beheerafspraken sensoren", Niveau.LOKAAL),
    ("Datakennis in de organisatie", Niveau.LOKAAL),
]


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    # The tests post far more ballots from one address than a person would in a minute.
    settings.REGISTRATION_RATE_LIMIT = 100_000


@pytest.fixture
def needs(db, sessie_a):
    """Six needs, each behind an established obstacle of session A: the shopping list."""
    thema = Thema.objects.first()
    result = []
    for title, level in NEEDS:
        need = Behoefte.objects.create(
            title=title, level=level, support_type=Behoefte.Ondersteuning.KENNIS, description=f"Uitleg bij {title}."
        )
        obstacle = Belemmering.objects.create(
            session=sessie_a,
            thema=thema,
            title=f"Geen {title.lower()}",
            level=level,
            dimension=Dimensie.NATIONAAL,
            status=Belemmering.Status.VASTGESTELD,
        )
        obstacle.behoeften.add(need)
        result.append(need)
    return result


@pytest.fixture
def make_round(needs):
    def _make(**extra) -> Ronde:
        now = timezone.now()
        values = {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=7)}
        values.update(extra)
        ronde = Ronde.objects.create(**values)
        ronde.behoeften.set(needs)
        return ronde

    return _make


@pytest.fixture
def ronde(make_round):
    """An open round over the six needs: 10 points, at most 5 on one need, all registrants."""
    return make_round()


@pytest.fixture
def register(db):
    def _register(session, email: str, *, name: str = "Deelnemer", attended: bool = False, **extra):
        extra.setdefault("organisation_type", "gemeente")
        aanmelding = registration.register(session=session, name=name, email=email, **extra).aanmelding
        if attended:
            aanmelding.attended = True
            aanmelding.save(update_fields=["attended"])
        return aanmelding

    return _register


@pytest.fixture
def anna(sessie_a, register):
    return register(sessie_a, "anna@example.nl", name="Anna", attended=True)


@pytest.fixture
def bert(sessie_b, register):
    return register(sessie_b, "bert@example.nl", name="Bert", organisation_type="bedrijf")


def points(needs, *values) -> dict[int, int]:
    """{need id: value} for the first len(values) needs."""
    return {need.pk: value for need, value in zip(needs, values, strict=False)}
