"""The demo round: closed, with ballots inside the rules, and not made twice."""

from __future__ import annotations

from django.db.models import Sum

from prioritering.demo import seed_priority_round
from prioritering.models import Ronde, Stembiljet
from prioritering.selectors import closed_round_points


def test_the_demo_round_is_closed_with_ballots_that_keep_the_rules(needs, session_a, register):
    for n in range(20):
        register(session_a, f"p{n}@example.nl", attended=True)

    ballots = seed_priority_round()

    ronde = Ronde.objects.get()
    assert ronde.status == Ronde.Status.CLOSED and ballots == Stembiljet.objects.count() > 5
    for ballot in Stembiljet.objects.all():
        lines = list(ballot.regels.values_list("points", flat=True))
        assert 1 <= sum(lines) <= ronde.points_per_person and max(lines) <= ronde.max_per_need
    results = closed_round_points()
    assert results.points_cast == Stembiljet.objects.aggregate(t=Sum("regels__points"))["t"]
    assert seed_priority_round() == 0 and Ronde.objects.count() == 1
