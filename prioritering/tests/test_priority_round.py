"""manage.py priority_round: open over the shopping list, close with frozen results, invite, remind."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from belemmeringen.models import Belemmering
from belemmeringen.tests.factories import make_established, make_need
from core.models import OutboxMessage
from prioritering import services
from prioritering.models import Ronde
from prioritering.tests.factories import points


def run(*args) -> str:
    out = StringIO()
    call_command("priority_round", *args, stdout=out)
    return out.getvalue()


def test_open_puts_every_need_behind_an_established_obstacle_in_the_round(needs, session_a):
    outside = make_need("Alleen in concept", level="lokaal")
    make_established(
        session_a,
        "Concept",
        need=outside,
        thema_obj=needs[0].belemmeringen.first().thema,
        level="lokaal",
        status=Belemmering.Status.CONCEPT,
    )
    make_need("Nergens genoemd", level="lokaal")

    output = run("open", "--days", "10", "--points", "12", "--max-per-need", "4", "--attended-only")

    ronde = Ronde.objects.get()
    assert set(ronde.behoeften.all()) == set(needs)
    assert (ronde.points_per_person, ronde.max_per_need, ronde.participants) == (12, 4, Ronde.Deelnemers.ATTENDED)
    assert timedelta(days=9, hours=23) < ronde.ends_at - timezone.now() <= timedelta(days=10)
    assert "6 needs" in output


def test_open_defaults_to_ten_points_five_per_need_and_all_registrants(needs):
    run("open", "--days", "3")
    ronde = Ronde.objects.get()
    assert (ronde.points_per_person, ronde.max_per_need, ronde.participants) == (10, 5, Ronde.Deelnemers.ALL)


def test_open_with_the_immediate_task_backend_queues_the_invitations(
    needs, anna, bert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run("open", "--days", "3")
    assert OutboxMessage.objects.filter(template="prioritering_uitnodiging").count() == 2


@pytest.mark.parametrize(
    "args", [["--days", "0"], ["--days", "3", "--max-per-need", "11"], ["--days", "3", "--points", "0"]]
)
def test_open_refuses_bad_options_with_a_message(needs, args):
    with pytest.raises(CommandError):
        run("open", *args)
    assert not Ronde.objects.exists()


def test_open_refuses_a_second_round(ronde):
    with pytest.raises(CommandError, match="al een prioriteringsronde"):
        run("open", "--days", "3")


def test_open_refuses_an_empty_shopping_list(db):
    with pytest.raises(CommandError, match="geen behoeften"):
        run("open", "--days", "3")


def test_close_freezes_the_results_and_says_what_it_counted(ronde, needs, anna, bert):
    services.cast_ballot(token=anna.token, points=points(needs, 5, 5))
    output = run("close")
    ronde.refresh_from_db()
    assert ronde.status == Ronde.Status.CLOSED and ronde.results["points_cast"] == 10
    assert "1 ballots from 2 eligible addresses, 10 points" in output
    with pytest.raises(CommandError):
        run("close")


def test_invite_and_remind_are_idempotent(ronde, needs, anna, bert):
    assert "2 invitations queued" in run("invite")
    assert "0 invitations queued" in run("invite")
    assert "0 reminders queued" in run("remind")  # not yet the last two days
    Ronde.objects.filter(pk=ronde.pk).update(ends_at=timezone.now() + timedelta(days=1))
    assert "2 reminders queued" in run("remind")
    assert "0 reminders queued" in run("remind")
