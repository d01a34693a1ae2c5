"""Demo findings: a consultation that has been worked out, and safe to run twice."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count

from belemmeringen.demo import BELEMMERINGEN, REGIOS, seed_findings
from belemmeringen.models import Behoefte, Belemmering, Knelpunt, LichtmastAntwoord, Niveau, Thema
from belemmeringen.selectors import knelpunt_figures
from regiosessies.demo import SESSIONS
from regiosessies.tests.factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_sessions(db):
    return [make_session(slug, regio_name=name, days=-90 + 10 * i) for i, (name, slug, *_rest) in enumerate(SESSIONS)]


def test_demo_groups_every_entry_into_34_knelpunten_raised_by_varying_numbers_of_regions(six_sessions):
    created = seed_findings(six_sessions)

    assert created == Belemmering.objects.count() == sum(len(regions) for regions, _ in REGIOS.values())
    assert Knelpunt.objects.count() == len(BELEMMERINGEN) == 34
    assert not Belemmering.objects.ungrouped().exists()
    assert not Belemmering.objects.filter(status=Belemmering.Status.CONCEPT).exists()
    figures = knelpunt_figures(Knelpunt.objects.all())
    regions_per_knelpunt = Counter(f.region_count for f in figures.values())
    assert set(regions_per_knelpunt) == {1, 2, 3, 4, 5, 6}
    assert regions_per_knelpunt[6] < 5
    # Sessions worded the same obstacle differently, and did not always give the team's level.
    titles = Belemmering.objects.filter(knelpunt__title="Pilots worden uit incidentele middelen betaald")
    assert titles.values("title").distinct().count() > 1
    assert any(not f.levels_agree for f in figures.values())
    assert set(Knelpunt.objects.values_list("priority", flat=True)) == set(Knelpunt.Prioriteit.values)
    for session in six_sessions:
        assert set(session.belemmeringen.values_list("thema__name", flat=True)) == set(
            Thema.objects.values_list("name", flat=True)
        )
    assert set(Belemmering.objects.values_list("level", flat=True)) == set(Niveau.values)


def test_demo_gives_some_knelpunten_a_follow_up_with_its_history(six_sessions):
    seed_findings(six_sessions)
    followed = Knelpunt.objects.exclude(status=Knelpunt.Opvolging.OPEN)
    assert {k.status for k in followed} == {"programma", "elders", "niet_overgenomen"}
    for knelpunt in followed:
        assert knelpunt.status_explanation
        assert list(knelpunt.statuswijzigingen.values_list("new_status", flat=True)) == [knelpunt.status]


def test_needs_come_up_in_different_numbers_of_sessions(six_sessions):
    seed_findings(six_sessions)
    sessions_per_need = Counter(
        Behoefte.objects.annotate(n=Count("belemmeringen__session", distinct=True)).values_list("n", flat=True)
    )
    assert sessions_per_need[6] <= 3
    assert len(sessions_per_need) >= 4
    assert all(k.behoeften.exists() for k in Knelpunt.objects.all())


def test_lamp_post_verdicts_tally_four_of_six_with_conditions_and_agree_with_summaries(six_sessions):
    seed_findings(six_sessions)
    answers = list(LichtmastAntwoord.objects.order_by("session__start"))
    assert Counter(a.verdict for a in answers) == {"voorwaarden": 4, "ja": 1, "nee": 1}
    opening = {"voorwaarden": "Ja, onder voorwaarden.", "ja": "Ja.", "nee": "Nee,"}
    for answer in answers:
        assert answer.summary.startswith(opening[answer.verdict]), answer.session
        assert answer.bevindingen.values("aspect").distinct().count() >= 3
    nee = next(a for a in answers if a.verdict == "nee")
    assert Counter(nee.bevindingen.values_list("kind", flat=True)).most_common(1)[0][0] == "belemmering"


def test_seeding_twice_adds_nothing(six_sessions):
    seed_findings(six_sessions)
    before = (Belemmering.objects.count(), Knelpunt.objects.count(), LichtmastAntwoord.objects.count())
    statuses = Knelpunt.objects.exclude(status="open").count()
    assert seed_findings(six_sessions) == 0
    assert (Belemmering.objects.count(), Knelpunt.objects.count(), LichtmastAntwoord.objects.count()) == before
    assert Knelpunt.objects.exclude(status="open").count() == statuses


def test_two_sessions_get_only_their_share(session_a, session_b):
    created = seed_findings([session_a, session_b])
    expected = sum(("0" in regions) + ("1" in regions) for regions, _ in REGIOS.values())
    assert created == expected == Belemmering.objects.count()
    assert not Belemmering.objects.ungrouped().exists()
