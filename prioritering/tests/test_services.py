"""The rules the server enforces on a ballot, and opening and closing a round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from prioritering import services
from prioritering.models import Ronde, Stembiljet, Stemregel
from prioritering.tests.factories import points
from regiosessies import services as registration


def stored(aanmelding) -> dict[int, int]:
    return dict(Stemregel.objects.filter(stembiljet__aanmelding=aanmelding).values_list("behoefte_id", "points"))


def rejected_with(code: str, **kwargs) -> services.BallotRejected:
    with pytest.raises(services.BallotRejected) as info:
        services.cast_ballot(**kwargs)
    codes = (
        [error.code for errors in info.value.error_dict.values() for error in errors]
        if hasattr(info.value, "error_dict")
        else [error.code for error in info.value.error_list]
    )
    assert code in codes, codes
    return info.value


# --- The budget and the most per need ------------------------------------------------------------


def test_a_ballot_within_the_budget_is_stored_without_zero_lines(ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 5, 3, 0, 2))
    assert stored(anna) == {needs[0].pk: 5, needs[1].pk: 3, needs[3].pk: 2}


def test_a_partial_ballot_is_accepted(ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 1))
    assert stored(anna) == {needs[0].pk: 1}


def test_more_points_than_the_budget_is_refused_and_nothing_stored(ronde, needs, anna):
    error = rejected_with("over_budget", token=anna.token, points=points(needs, 5, 5, 1))
    assert "11" in " ".join(error.messages) and "10" in " ".join(error.messages)
    assert not Stembiljet.objects.exists()


def test_exactly_the_budget_is_accepted(ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 5, 5))
    assert sum(stored(anna).values()) == 10


def test_more_than_the_most_per_need_is_refused_on_that_need(ronde, needs, anna):
    error = rejected_with("max_per_need", token=anna.token, points=points(needs, 6, 1))
    assert list(error.error_dict) == [f"punten-{needs[0].pk}"]
    assert not Stembiljet.objects.exists()


def test_zero_points_in_total_is_refused(ronde, needs, anna):
    rejected_with("empty", token=anna.token, points=points(needs, 0, 0, 0))
    rejected_with("empty", token=anna.token, points={})
    assert not Stembiljet.objects.exists()


@pytest.mark.parametrize("value", [-1, 10**30, "3", 2.5, None, True])
def test_a_value_that_is_not_a_whole_number_from_zero_is_refused(ronde, needs, anna, value):
    with pytest.raises(services.BallotRejected):
        services.cast_ballot(token=anna.token, points={needs[0].pk: value, needs[1].pk: 2})
    assert not Stembiljet.objects.exists()


def test_a_need_outside_the_round_is_refused(ronde, needs, anna, make_round):
    ronde.behoeften.remove(needs[5])
    rejected_with("unknown_need", token=anna.token, points={needs[5].pk: 1, needs[0].pk: 1})
    rejected_with("unknown_need", token=anna.token, points={999_999: 1})
    assert not Stembiljet.objects.exists()


# --- Dates and the round's state -----------------------------------------------------------------


def test_a_ballot_before_the_round_starts_is_refused(make_round, needs, anna):
    make_round(starts_at=timezone.now() + timedelta(days=1), ends_at=timezone.now() + timedelta(days=8))
    rejected_with("not_started", token=anna.token, points=points(needs, 1))
    assert not Stembiljet.objects.exists()


def test_a_ballot_after_the_end_date_is_refused_even_while_the_round_is_not_closed(ronde, needs, anna):
    rejected_with("closed", token=anna.token, points=points(needs, 1), now=ronde.ends_at)
    assert not Stembiljet.objects.exists()


def test_a_ballot_in_a_closed_round_is_refused(ronde, needs, anna):
    services.close_round()
    rejected_with("closed", token=anna.token, points=points(needs, 1))
    rejected_with("closed", token=anna.token, points=points(needs, 1), ronde=ronde)
    assert not Stembiljet.objects.exists()


def test_a_ballot_without_any_round_is_refused(needs, anna):
    rejected_with("closed", token=anna.token, points=points(needs, 1))


# --- The token ------------------------------------------------------------------------------------


def test_an_unknown_token_raises_does_not_exist(ronde, needs):
    from regiosessies.models import Aanmelding

    with pytest.raises(Aanmelding.DoesNotExist):
        services.cast_ballot(token="x" * 43, points=points(needs, 1))


def test_a_cancelled_registration_may_not_take_part(ronde, needs, anna):
    registration.cancel_registration(aanmelding=anna)
    rejected_with("not_eligible", token=anna.token, points=points(needs, 1))
    assert not Stembiljet.objects.exists()


def test_an_anonymised_registration_is_unknown(ronde, needs, anna):
    from regiosessies.models import Aanmelding

    Aanmelding.objects.filter(pk=anna.pk).update(anonymised_at=timezone.now())
    with pytest.raises(Aanmelding.DoesNotExist):
        services.cast_ballot(token=anna.token, points=points(needs, 1))


def test_an_attended_only_round_refuses_who_was_not_there_and_accepts_who_was(make_round, needs, anna, bert):
    make_round(participants=Ronde.Deelnemers.ATTENDED)
    rejected_with("not_eligible", token=bert.token, points=points(needs, 1))
    services.cast_ballot(token=anna.token, points=points(needs, 1))
    assert Stembiljet.objects.get().aanmelding == anna


# --- Changing a ballot ----------------------------------------------------------------------------


def test_a_changed_ballot_replaces_the_old_one_and_never_adds(ronde, needs, anna):
    first = services.cast_ballot(token=anna.token, points=points(needs, 5, 5))
    second = services.cast_ballot(token=anna.token, points=points(needs, 0, 2, 3))
    assert first.pk == second.pk
    assert Stembiljet.objects.count() == 1
    assert stored(anna) == {needs[1].pk: 2, needs[2].pk: 3}


def test_a_refused_change_keeps_the_previous_ballot(ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 5, 5))
    with pytest.raises(services.BallotRejected):
        services.cast_ballot(token=anna.token, points=points(needs, 5, 5, 5))
    assert stored(anna) == {needs[0].pk: 5, needs[1].pk: 5}


def test_one_address_with_two_registrations_has_one_voice(ronde, needs, session_b, anna, register):
    second_link = register(session_b, "anna@example.nl", name="Anna")
    services.cast_ballot(token=anna.token, points=points(needs, 5))
    services.cast_ballot(token=second_link.token, points=points(needs, 0, 4))
    assert Stembiljet.objects.count() == 1
    assert stored(second_link) == {needs[1].pk: 4}


def test_another_persons_ballot_is_untouched(ronde, needs, anna, bert):
    services.cast_ballot(token=anna.token, points=points(needs, 5))
    services.cast_ballot(token=bert.token, points=points(needs, 0, 5))
    assert stored(anna) == {needs[0].pk: 5}
    assert stored(bert) == {needs[1].pk: 5}


def test_the_database_refuses_a_second_ballot_for_one_registration(ronde, anna):
    Stembiljet.objects.create(ronde=ronde, aanmelding=anna)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stembiljet.objects.create(ronde=ronde, aanmelding=anna)


# --- Opening and closing --------------------------------------------------------------------------


def test_open_round_stores_the_settings(needs):
    ends = timezone.now() + timedelta(days=5)
    ronde = services.open_round(
        ends_at=ends, behoeften=needs[:3], points_per_person=12, max_per_need=4, attended_only=True
    )
    assert (ronde.points_per_person, ronde.max_per_need, ronde.participants) == (12, 4, Ronde.Deelnemers.ATTENDED)
    assert set(ronde.behoeften.all()) == set(needs[:3])
    assert ronde.is_open and ronde.results is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"points_per_person": 0}, "budget"),
        ({"max_per_need": 11}, "max_per_need"),
        ({"max_per_need": 0}, "max_per_need"),
        ({"ends_at": timezone.now() - timedelta(days=1)}, "dates"),
        ({"behoeften": []}, "no_needs"),
    ],
)
def test_open_round_refuses_bad_settings(needs, kwargs, code):
    values = {"ends_at": timezone.now() + timedelta(days=5), "behoeften": needs} | kwargs
    with pytest.raises(services.RoundError) as info:
        services.open_round(**values)
    assert info.value.code == code
    assert not Ronde.objects.exists()


def test_only_one_round_runs_at_a_time(ronde, needs):
    with pytest.raises(services.RoundError) as info:
        services.open_round(ends_at=timezone.now() + timedelta(days=5), behoeften=needs)
    assert info.value.code == "already_open"
    assert Ronde.objects.count() == 1


def test_the_database_refuses_a_second_open_round(ronde):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ronde.objects.create(ends_at=timezone.now() + timedelta(days=3))


def test_a_new_round_may_open_after_the_last_one_closed(ronde, needs):
    services.close_round()
    services.open_round(ends_at=timezone.now() + timedelta(days=5), behoeften=needs)
    assert Ronde.objects.open().count() == 1


def test_closing_twice_or_without_a_round_is_refused(ronde):
    services.close_round()
    with pytest.raises(services.RoundError):
        services.close_round()
    with pytest.raises(services.RoundError):
        services.close_round(ronde=ronde)


def test_closing_freezes_points_per_need_region_type_and_level_and_turnout(
    ronde, needs, anna, bert, session_a, register
):
    carla = register(session_a, "carla@example.nl", name="Carla", organisation_type="provincie")
    register(session_a, "dirk@example.nl", name="Dirk")  # eligible, does not take part
    services.cast_ballot(token=anna.token, points=points(needs, 5, 3, 2))
    services.cast_ballot(token=bert.token, points=points(needs, 1, 0, 4, 0, 5))
    services.cast_ballot(token=carla.token, points=points(needs, 0, 5))

    results = services.close_round().results

    by_id = {row["id"]: row for row in results["needs"]}
    assert by_id[needs[0].pk]["points"] == 6 and by_id[needs[0].pk]["voters"] == 2
    assert by_id[needs[1].pk]["points"] == 8
    assert by_id[needs[0].pk]["by_region"] == {"Noord": 5, "Zuid": 1}
    assert by_id[needs[1].pk]["by_organisation_type"] == {"gemeente": 3, "provincie": 5}
    assert [row["points"] for row in results["needs"]] == [8, 6, 6, 5, 0, 0]  # most points first
    assert results["by_level"] == {"lokaal": 5, "regionaal": 6, "nationaal": 14}
    assert results["ballots"] == 3 and results["eligible"] == 4 and results["points_cast"] == 25
    assert {row["region"]: (row["voted"], row["eligible"]) for row in results["turnout"]} == {
        "Noord": (2, 3),
        "Zuid": (1, 1),
    }


def test_a_ballot_breaking_two_rules_hears_about_both(ronde, needs, anna):
    with pytest.raises(services.BallotRejected) as info:
        services.cast_ballot(token=anna.token, points=points(needs, 6, 5, 4))
    errors = info.value.error_dict
    assert [e.code for e in errors[f"punten-{needs[0].pk}"]] == ["max_per_need"]
    assert [e.code for e in errors["__all__"]] == ["over_budget"]
    assert not Stembiljet.objects.exists()
