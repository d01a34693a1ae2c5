"""closed_round_points(): what the report and the public results page read."""

from __future__ import annotations

from prioritering import services
from prioritering.selectors import closed_round_points, live_results
from prioritering.tests.factories import points


def test_there_are_no_points_before_a_round_closed(ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 5))
    assert closed_round_points() is None


def test_the_latest_closed_round_is_read_frozen(ronde, needs, anna, bert):
    services.cast_ballot(token=anna.token, points=points(needs, 5, 1))
    services.cast_ballot(token=bert.token, points=points(needs, 0, 4))
    services.close_round()
    needs[0].title = "Nieuwe naam"
    needs[0].save()

    results = closed_round_points()

    assert results.frozen and results.ballots == 2 and results.points_cast == 10
    assert results.points_by_need == {needs[0].pk: 5, needs[1].pk: 5} | {n.pk: 0 for n in needs[2:]}
    # A tie is broken by title; the title is the one the need had when the round closed.
    assert [(n.title, n.points, n.voters) for n in results.needs[:2]] == [
        ("Innovatiebudget", 5, 2),
        ("Kennisplatform pilots", 5, 1),
    ]
    assert "Nieuwe naam" not in [n.title for n in results.needs]  # as it was when the round closed
    assert [(t.region, t.voted, t.eligible, t.percentage) for t in results.turnout] == [
        ("Noord", 1, 1, 100),
        ("Zuid", 1, 1, 100),
    ]
    assert [(row.key, row.points) for row in results.by_level] == [("lokaal", 0), ("regionaal", 0), ("nationaal", 10)]
    assert {row.key: row.points for row in results.organisation_types if row.points} == {"gemeente": 6, "bedrijf": 4}
    assert results.region_rows[0][1] == [1, 4]  # Innovatiebudget: Noord 1, Zuid 4


def test_live_results_are_marked_as_not_frozen(ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 2))
    results = live_results(ronde)
    assert not results.frozen and results.points_cast == 2
