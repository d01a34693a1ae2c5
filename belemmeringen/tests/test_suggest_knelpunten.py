"""manage.py suggest_knelpunten: prints suggestions, applies those above a score, prints counts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from belemmeringen.models import Belemmering, Knelpunt
from belemmeringen.tests.factories import make_belemmering
from regiosessies.tests.factories import make_session


@pytest.fixture
def entries(db):
    a, b, c = (make_session(slug, days=-d) for slug, d in (("groningen", 30), ("zwolle", 20), ("utrecht", 10)))
    return [
        make_belemmering(a, title="Pilotresultaten worden niet gedeeld"),
        make_belemmering(b, title="pilotresultaten  worden niet gedeeld"),
        make_belemmering(a, title="Geen structureel budget na de pilot"),
        make_belemmering(c, title="Geen structureel budget na afloop van de pilot"),
    ]


def run(*args) -> str:
    out = StringIO()
    call_command("suggest_knelpunten", *args, stdout=out)
    return out.getvalue()


def test_it_prints_suggestions_with_score_titles_and_sessions_and_changes_nothing(entries):
    output = run()
    assert "1.00  nieuw knelpunt" in output
    assert "      - pilotresultaten  worden niet gedeeld (Regiosessie Zwolle)" in output
    assert "Geen structureel budget na afloop van de pilot (Regiosessie Utrecht)" in output
    assert output.rstrip().endswith("2 suggesties met samen 4 belemmeringen.")
    assert Knelpunt.objects.count() == 0


def test_apply_above_groups_only_the_suggestions_scoring_that_much(entries, programmateam):
    output = run("--apply-above", "0.9", "--user", programmateam.username)
    assert "Toegepast vanaf score 0.90: 1 nieuwe knelpunten" in output
    assert "Nog niet gegroepeerd: 2 belemmeringen." in output
    knelpunt = Knelpunt.objects.get()
    assert set(knelpunt.belemmeringen.all()) == set(entries[:2])


def test_a_second_run_adds_the_rest_to_nothing_twice(entries, programmateam):
    run("--apply-above", "0.4", "--user", programmateam.username)
    assert Knelpunt.objects.count() == 2 and not Belemmering.objects.ungrouped().exists()
    assert "0 suggesties" in run("--apply-above", "0.4", "--user", programmateam.username)
    assert Knelpunt.objects.count() == 2


@pytest.mark.parametrize("value", ["abc", "0", "1.5"])
def test_a_bad_score_is_refused_with_a_message(db, value):
    with pytest.raises(CommandError):
        run("--apply-above", value)


def test_applied_groupings_are_in_the_admin_history_under_the_given_member(entries, programmateam):
    from django.contrib.admin.models import ADDITION, LogEntry

    run("--apply-above", "0.9", "--user", programmateam.username)
    knelpunt = Knelpunt.objects.get()
    made = LogEntry.objects.get(object_id=str(knelpunt.pk), action_flag=ADDITION)
    assert made.user == programmateam
    for entry in entries[:2]:
        assert LogEntry.objects.filter(object_id=str(entry.pk), user=programmateam).exists()


@pytest.mark.parametrize("user_args", [[], ["--user", "niemand"], ["--user", "facilitator"]])
def test_apply_above_without_a_programme_member_changes_nothing(entries, facilitator_a, user_args):
    args = ["--user", facilitator_a.username] if user_args == ["--user", "facilitator"] else user_args
    with pytest.raises(CommandError):
        run("--apply-above", "0.4", *args)
    assert Knelpunt.objects.count() == 0 and Belemmering.objects.ungrouped().count() == 4
