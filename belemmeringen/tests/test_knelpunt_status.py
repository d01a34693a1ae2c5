"""A knelpunt's follow-up status: every change is kept, with its explanation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from belemmeringen.models import KnelpuntStatusWijziging
from belemmeringen.services import change_knelpunt_status
from belemmeringen.tests.factories import make_knelpunt


@pytest.fixture
def knelpunt(db):
    return make_knelpunt("Pilotresultaten worden niet gedeeld", thema_slug="organisatie", level="nationaal")


def test_a_change_is_recorded_with_old_and_new_status(knelpunt, programmateam):
    at = timezone.now()
    assert change_knelpunt_status(
        knelpunt=knelpunt, status="programma", explanation="Onderdeel van spoor 1.", user=programmateam, at=at
    )
    knelpunt.refresh_from_db()
    assert (knelpunt.status, knelpunt.status_explanation, knelpunt.status_changed) == (
        "programma",
        "Onderdeel van spoor 1.",
        at,
    )
    step = KnelpuntStatusWijziging.objects.get()
    assert (step.old_status, step.new_status, step.explanation, step.changed_by) == (
        "open",
        "programma",
        "Onderdeel van spoor 1.",
        programmateam,
    )


def test_history_keeps_every_step_in_order(knelpunt):
    start = timezone.now()
    change_knelpunt_status(knelpunt=knelpunt, status="programma", explanation="Eerst.", at=start)
    change_knelpunt_status(knelpunt=knelpunt, status="elders", explanation="Daarna.", at=start + timedelta(days=3))
    steps = list(knelpunt.statuswijzigingen.values_list("old_status", "new_status"))
    assert steps == [("open", "programma"), ("programma", "elders")]


def test_explanation_is_required_and_nothing_is_recorded_without_it(knelpunt):
    with pytest.raises(ValidationError):
        change_knelpunt_status(knelpunt=knelpunt, status="programma", explanation="   ")
    knelpunt.refresh_from_db()
    assert knelpunt.status == "open"
    assert not KnelpuntStatusWijziging.objects.exists()


def test_an_unknown_status_is_refused(knelpunt):
    with pytest.raises(ValidationError):
        change_knelpunt_status(knelpunt=knelpunt, status="weg", explanation="x")


def test_the_same_status_and_text_again_records_nothing(knelpunt):
    change_knelpunt_status(knelpunt=knelpunt, status="programma", explanation="Spoor 1.")
    assert not change_knelpunt_status(knelpunt=knelpunt, status="programma", explanation="Spoor 1.")
    assert KnelpuntStatusWijziging.objects.count() == 1
