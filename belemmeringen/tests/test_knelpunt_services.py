"""Grouping entries into knelpunten: create, add, remove, merge and split never lose an entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from belemmeringen import services
from belemmeringen.models import Belemmering, Knelpunt, KnelpuntStatusWijziging, Thema
from belemmeringen.tests.factories import make_belemmering, make_need
from regiosessies.tests.factories import make_session


@pytest.fixture
def sessions(db):
    return [make_session(slug, days=-days) for slug, days in (("groningen", 30), ("zwolle", 20), ("eindhoven", 10))]


@pytest.fixture
def need(db):
    return make_need("Pilotdatabank")


@pytest.fixture
def entries(sessions, need):
    noord, oost, zuid = sessions
    made = [
        make_belemmering(noord, title="Pilotresultaten worden niet gedeeld", recognised_by=4, level="nationaal"),
        make_belemmering(oost, title="Pilotresultaten niet gedeeld", recognised_by=9, level="regionaal"),
        make_belemmering(zuid, title="Resultaten van pilots blijven liggen", recognised_by=2, level="regionaal"),
    ]
    made[0].behoeften.add(need)
    return made


def all_entry_ids() -> set[int]:
    return set(Belemmering.objects.values_list("pk", flat=True))


def test_create_takes_title_of_most_recognised_entry_common_level_and_all_needs(entries, need, programmateam):
    knelpunt = services.create_knelpunt(belemmeringen=entries, user=programmateam)

    assert knelpunt.title == "Pilotresultaten niet gedeeld"
    assert knelpunt.level == "regionaal"
    assert knelpunt.thema.slug == "technisch"
    assert list(knelpunt.behoeften.all()) == [need]
    assert set(knelpunt.belemmeringen.all()) == set(entries)
    assert knelpunt.created_by == programmateam


def test_create_uses_what_the_team_wrote(entries, programmateam):
    thema = Thema.objects.get(slug="organisatie")
    knelpunt = services.create_knelpunt(
        belemmeringen=entries[:2],
        user=programmateam,
        title="Lessen uit pilots gaan verloren",
        thema=thema,
        level="nationaal",
        priority=Knelpunt.Prioriteit.HOOG,
    )
    assert (knelpunt.title, knelpunt.thema, knelpunt.subthema, knelpunt.level, knelpunt.priority) == (
        "Lessen uit pilots gaan verloren",
        thema,
        None,
        "nationaal",
        1,
    )
    assert list(Belemmering.objects.ungrouped()) == [entries[2]]


def test_create_is_logged_on_the_knelpunt_and_each_entry(entries, programmateam):
    knelpunt = services.create_knelpunt(belemmeringen=entries, user=programmateam)
    on_knelpunt = LogEntry.objects.get(object_id=str(knelpunt.pk), content_type__model="knelpunt")
    assert on_knelpunt.action_flag == ADDITION
    assert on_knelpunt.get_change_message().startswith("Knelpunt gemaakt uit 3 belemmeringen: ")
    assert "Pilotresultaten niet gedeeld (Regiosessie Zwolle)" in on_knelpunt.get_change_message()
    logged = LogEntry.objects.filter(content_type__model="belemmering", action_flag=CHANGE)
    assert sorted(int(e.object_id) for e in logged) == sorted(b.pk for b in entries)
    assert {e.change_message for e in logged} == {f"Gegroepeerd onder knelpunt “{knelpunt.title}”."}


def test_facilitator_may_not_group(entries, facilitator_a):
    with pytest.raises(PermissionDenied):
        services.create_knelpunt(belemmeringen=entries, user=facilitator_a)
    assert Knelpunt.objects.count() == 0
    assert Belemmering.objects.ungrouped().count() == 3


def test_create_without_entries_is_refused(db, programmateam):
    with pytest.raises(ValidationError):
        services.create_knelpunt(belemmeringen=[], user=programmateam)


def test_add_and_remove_entries(entries, need, programmateam):
    knelpunt = services.create_knelpunt(belemmeringen=entries[1:2], user=programmateam)
    assert services.add_to_knelpunt(knelpunt=knelpunt, belemmeringen=entries, user=programmateam) == 2
    assert knelpunt.belemmeringen.count() == 3
    assert need in knelpunt.behoeften.all()

    assert services.remove_from_knelpunt(knelpunt=knelpunt, belemmeringen=entries[:1], user=programmateam) == 1
    assert list(Belemmering.objects.ungrouped()) == [entries[0]]
    assert all_entry_ids() == {b.pk for b in entries}


def test_merge_keeps_every_entry_need_and_both_histories(entries, sessions, need, programmateam):
    keep = services.create_knelpunt(belemmeringen=entries[:1], user=programmateam)
    other = services.create_knelpunt(belemmeringen=entries[1:], user=programmateam, title="Tweede")
    other_need = make_need("Kennisnetwerk")
    other.behoeften.add(other_need)
    extra = make_belemmering(sessions[0], title="Nog een", knelpunt=other)
    t0 = timezone.now()
    services.change_knelpunt_status(knelpunt=other, status="programma", explanation="Spoor 1.", at=t0)
    services.change_knelpunt_status(knelpunt=keep, status="elders", explanation="Bij BZK.", at=t0 + timedelta(days=1))
    before = all_entry_ids()

    survivor = services.merge_knelpunten(keep=keep, other=other, user=programmateam)

    assert survivor.pk == keep.pk
    assert not Knelpunt.objects.filter(pk=other.pk).exists()
    assert all_entry_ids() == before
    assert set(survivor.belemmeringen.all()) == {*entries, extra}
    assert set(survivor.behoeften.all()) == {need, other_need}
    history = list(KnelpuntStatusWijziging.objects.filter(knelpunt=survivor).values_list("new_status", flat=True))
    assert history == ["programma", "elders"]
    assert LogEntry.objects.filter(object_id=str(other.pk), content_type__model="knelpunt", action_flag=DELETION)
    assert LogEntry.objects.filter(
        object_id=str(keep.pk), change_message__startswith="Knelpunt “Tweede” samengevoegd hiermee (3 belemmeringen"
    ).exists()


def test_merge_with_itself_is_refused(entries, programmateam):
    knelpunt = services.create_knelpunt(belemmeringen=entries, user=programmateam)
    with pytest.raises(ValidationError):
        services.merge_knelpunten(keep=knelpunt, other=knelpunt, user=programmateam)
    assert knelpunt.belemmeringen.count() == 3


def test_split_moves_chosen_entries_to_a_new_knelpunt_and_loses_none(entries, need, programmateam):
    original = services.create_knelpunt(belemmeringen=entries, user=programmateam, priority=1)
    before = all_entry_ids()

    new = services.split_knelpunt(knelpunt=original, belemmeringen=entries[2:], user=programmateam, title="Apart")

    assert all_entry_ids() == before
    assert set(original.belemmeringen.all()) == set(entries[:2])
    assert list(new.belemmeringen.all()) == [entries[2]]
    assert (new.title, new.thema_id, new.level, new.priority) == ("Apart", original.thema_id, original.level, 1)
    assert list(new.behoeften.all()) == [need]
    assert not Belemmering.objects.ungrouped().exists()


@pytest.mark.parametrize("chosen", [slice(0, 0), slice(0, 3)])
def test_split_refuses_all_or_nothing(entries, programmateam, chosen):
    original = services.create_knelpunt(belemmeringen=entries, user=programmateam)
    with pytest.raises(ValidationError):
        services.split_knelpunt(knelpunt=original, belemmeringen=entries[chosen], user=programmateam)
    assert Knelpunt.objects.count() == 1
    assert original.belemmeringen.count() == 3


def test_split_ignores_entries_of_another_knelpunt(entries, programmateam):
    original = services.create_knelpunt(belemmeringen=entries[:2], user=programmateam)
    other = services.create_knelpunt(belemmeringen=entries[2:], user=programmateam)
    new = services.split_knelpunt(knelpunt=original, belemmeringen=[entries[0], entries[2]], user=programmateam)
    assert list(new.belemmeringen.all()) == [entries[0]]
    assert list(other.belemmeringen.all()) == [entries[2]]
