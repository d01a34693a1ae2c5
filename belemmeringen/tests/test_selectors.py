"""Derived figures per knelpunt: sessions, regions, entries, "herkend door N van M", levels given."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belemmeringen.models import Belemmering, Knelpunt
from belemmeringen.selectors import knelpunt_figures
from belemmeringen.tests.factories import make_belemmering, make_knelpunt
from regiosessies.tests.factories import make_registration, make_session

VASTGESTELD = Belemmering.Status.VASTGESTELD


def attend(session, count: int, *, absent: int = 0) -> None:
    for number in range(count + absent):
        make_registration(
            session, f"d{number}@{session.slug}.example.nl", name=f"Deelnemer {number}", attended=number < count
        )


def knelpunt(title: str = "Pilotresultaten worden niet gedeeld", level: str = "nationaal") -> Knelpunt:
    return make_knelpunt(title, thema_slug="technisch", level=level)


@pytest.fixture
def three_sessions(db):
    return (
        make_session("noord", days=-30),
        make_session("oost", days=-20),
        make_session("zuid", days=-10),
    )


def test_figures_count_sessions_regions_entries_and_recognition(three_sessions):
    noord, oost, zuid = three_sessions
    k = knelpunt()
    make_belemmering(noord, knelpunt=k, status=VASTGESTELD, recognised_by=7, level="nationaal")
    make_belemmering(noord, knelpunt=k, status=VASTGESTELD, recognised_by=2, level="regionaal", title="Ander")
    make_belemmering(zuid, knelpunt=k, status=VASTGESTELD, recognised_by=5, level="nationaal")
    make_belemmering(oost, knelpunt=k, status=Belemmering.Status.CONCEPT, recognised_by=30)  # does not count
    attend(noord, 12, absent=3)
    attend(zuid, 8)
    attend(oost, 20)

    figures = knelpunt_figures(Knelpunt.objects.all())[k.pk]

    assert [s.id for s in figures.sessions] == [noord.pk, zuid.pk]
    assert figures.regions == ("Noord", "Zuid")
    assert (figures.entry_count, figures.session_count, figures.region_count) == (3, 2, 2)
    assert (figures.recognised_by, figures.attended) == (14, 20)
    assert figures.recognition_label() == "herkend door 14 van 20 aanwezigen"
    assert figures.levels_given == Counter({"nationaal": 2, "regionaal": 1})
    assert figures.level_decided == "nationaal"
    assert not figures.levels_agree
    assert [(e.region_name, e.level, e.recognised_by, e.session_attended) for e in figures.entries] == [
        ("Noord", "nationaal", 7, 12),
        ("Noord", "regionaal", 2, 12),
        ("Zuid", "nationaal", 5, 8),
    ]


def test_attendance_is_unknown_when_one_raising_session_recorded_none(three_sessions):
    noord, oost, _zuid = three_sessions
    k = knelpunt()
    make_belemmering(noord, knelpunt=k, status=VASTGESTELD, recognised_by=4)
    make_belemmering(oost, knelpunt=k, status=VASTGESTELD, recognised_by=3)
    attend(noord, 10)  # oost: registrations but nobody marked present
    attend(oost, 0, absent=5)

    figures = knelpunt_figures([k])[k.pk]

    assert figures.attended is None
    assert figures.recognition_label() == "herkend door 7 deelnemers"
    assert [e.session_attended for e in figures.entries] == [10, None]


def test_knelpunt_without_established_entries_has_empty_figures(db):
    k = knelpunt()
    figures = knelpunt_figures([k])[k.pk]
    assert (figures.entries, figures.sessions, figures.regions) == ((), (), ())
    assert (figures.recognised_by, figures.attended, figures.levels_given) == (0, None, Counter())
    assert figures.levels_agree


def test_figures_take_the_same_number_of_queries_for_one_or_many_knelpunten(three_sessions):
    def queries_for(n: int) -> int:
        Knelpunt.objects.all().delete()
        for i in range(n):
            k = knelpunt(f"Knelpunt {i}")
            for session in three_sessions:
                make_belemmering(session, knelpunt=k, status=VASTGESTELD, title=f"Knelpunt {i} in {session.slug}")
        with CaptureQueriesContext(connection) as ctx:
            figures = knelpunt_figures(Knelpunt.objects.all())
        assert len(figures) == n
        return len(ctx.captured_queries)

    for session in three_sessions:
        attend(session, 3)
    assert queries_for(1) == queries_for(25) == 3


def test_with_entry_counts_annotates_established_entries_sessions_and_regions(three_sessions):
    noord, oost, zuid = three_sessions
    k = knelpunt()
    leeg = knelpunt("Nog zonder vastgestelde inbreng")
    make_belemmering(noord, knelpunt=k, status=VASTGESTELD)
    make_belemmering(noord, knelpunt=k, status=VASTGESTELD, title="Tweede in Noord")
    make_belemmering(oost, knelpunt=k, status=VASTGESTELD)
    make_belemmering(zuid, knelpunt=leeg)  # concept

    counted = {x.pk: (x.entry_count, x.session_count, x.region_count) for x in Knelpunt.objects.with_entry_counts()}

    assert counted == {k.pk: (3, 2, 2), leeg.pk: (0, 0, 0)}


def test_ungrouped_lists_entries_without_a_knelpunt(three_sessions):
    noord, oost, _zuid = three_sessions
    k = knelpunt()
    grouped = make_belemmering(noord, knelpunt=k)
    loose = make_belemmering(oost)
    assert list(Belemmering.objects.ungrouped()) == [loose]
    grouped.knelpunt = None
    grouped.save()
    assert set(Belemmering.objects.ungrouped()) == {grouped, loose}
