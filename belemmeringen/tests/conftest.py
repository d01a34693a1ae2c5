"""Findings for the two standing sessions: an obstacle and a need in each."""

from __future__ import annotations

import importlib

import pytest

from belemmeringen.models import Behoefte, Belemmering, LichtmastAntwoord, LichtmastBevinding, Niveau, Subthema, Thema
from belemmeringen.reference import THEMAS


def make_belemmering(session, *, thema="Technisch", subthema="Standaarden", **extra) -> Belemmering:
    thema_obj = Thema.objects.get(name=thema)
    defaults = {
        "title": "Geen gedeelde standaard voor sensordata",
        "level": Niveau.NATIONAAL,
        "dimension": "nationaal",
        "recognised_by": 5,
    }
    defaults.update(extra)
    return Belemmering.objects.create(
        session=session,
        thema=thema_obj,
        subthema=Subthema.objects.get(thema=thema_obj, name=subthema) if subthema else None,
        **defaults,
    )


@pytest.fixture
def reference_data(db):
    """Themes and sub-topics as the data migration seeds them. Needed in transaction=True tests, which
    run after other transactional tests that may have flushed every table (seeded rows included)."""
    for order, data in enumerate(THEMAS, start=1):
        thema, _ = Thema.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"], "description": data["description"], "order": order}
        )
        for sub_order, name in enumerate(data["subthemas"], start=1):
            Subthema.objects.update_or_create(thema=thema, name=name, defaults={"order": sub_order})


@pytest.fixture
def staff_groups(db):
    """The groups with their permissions, as migration 0005 creates them (again after a flush)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    importlib.import_module("belemmeringen.migrations.0005_groups").grant(Group, Permission)


@pytest.fixture
def behoefte(db):
    return Behoefte.objects.create(
        title="Landelijke datastandaard voor sensoren in de openbare ruimte",
        support_type=Behoefte.Ondersteuning.STANDAARDEN,
        level=Niveau.NATIONAAL,
    )


@pytest.fixture
def belemmering_a(sessie_a, behoefte):
    obj = make_belemmering(sessie_a, title="Sensordata van pilots sluiten niet op elkaar aan")
    obj.behoeften.add(behoefte)
    return obj


@pytest.fixture
def belemmering_b(sessie_b, behoefte):
    obj = make_belemmering(
        sessie_b,
        title="Geheim van Zuid: aanbesteding loopt vast",
        thema="Juridisch",
        subthema="Aanbesteden van innovatie",
    )
    obj.behoeften.add(behoefte)
    return obj


@pytest.fixture
def antwoord_a(sessie_a):
    antwoord = LichtmastAntwoord.objects.create(session=sessie_a, verdict=LichtmastAntwoord.Oordeel.VOORWAARDEN)
    LichtmastBevinding.objects.create(
        antwoord=antwoord, aspect="elektra", kind="voorwaarde", text="Voeding ook overdag nodig"
    )
    return antwoord


@pytest.fixture
def antwoord_b(sessie_b):
    antwoord = LichtmastAntwoord.objects.create(
        session=sessie_b, verdict=LichtmastAntwoord.Oordeel.NEE, summary="Zuid zegt nee"
    )
    LichtmastBevinding.objects.create(
        antwoord=antwoord, aspect="eigendom", kind="belemmering", text="Masten van netbeheerder"
    )
    return antwoord
