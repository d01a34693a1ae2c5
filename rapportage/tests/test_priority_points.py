"""The prioritisation round in the report: once a round has closed, its frozen points rank the
shopping list, with the session count beside them; an open round's live figures never show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prioritering import services
from prioritering.models import Ronde
from rapportage.data import build_report
from regiosessies.models import Aanmelding

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_ballots(findings):
    needs = findings.needs
    now = timezone.now()
    ronde = Ronde.objects.create(starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1))
    ronde.behoeften.set([needs[key] for key in ("N1", "N2", "N3", "N4", "N5")])
    people = {a.email.split("@")[0]: a for a in Aanmelding.objects.filter(attended=True)}
    services.cast_ballot(token=people["ans"].token, points={needs["N2"].pk: 5, needs["N4"].pk: 1})
    services.cast_ballot(token=people["eva"].token, points={needs["N2"].pk: 4, needs["N1"].pk: 2})
    services.cast_ballot(token=people["fem"].token, points={needs["N4"].pk: 5, needs["N3"].pk: 3})
    return ronde


def nationaal(rapport):
    return {b.level: b for b in rapport.shopping_list}["nationaal"].needs


def test_a_closed_round_ranks_the_shopping_list_by_points_with_the_sessions_beside(round_with_ballots):
    services.close_round()
    assert [(n.title, n.points, n.sessions) for n in nationaal(build_report())] == [
        ("Innovatiebudget", 9, 1),
        ("Landelijke standaarden", 6, 1),
        ("Kennisplatform pilots", 2, 2),  # raised in more sessions, but fewer points
    ]


def test_an_open_rounds_points_stay_out_of_the_report(round_with_ballots):
    assert all(n.points is None for n in nationaal(build_report()))


def test_points_given_by_the_caller_still_win(round_with_ballots, findings):
    services.close_round()
    ranked = nationaal(build_report(points={findings.needs["N1"].pk: 1}))
    assert [(n.title, n.points) for n in ranked][0] == ("Kennisplatform pilots", 1)


def test_the_report_shows_points_and_sessions_in_the_shopping_list(client, programmateam, round_with_ballots):
    services.close_round()
    client.force_login(programmateam)
    html = client.get(reverse("rapportage:voorbeeld")).content.decode()
    assert "De behoeften staan in volgorde van de punten die deelnemers ze gaven." in html
    assert '<td class="num">9</td><td class="num">1</td>' in html
