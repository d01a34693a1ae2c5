from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from regiosessies.models import Regio, Regiosessie

pytestmark = pytest.mark.django_db


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return (Regio.objects.count(), Regiosessie.objects.count(), get_user_model().objects.count())


def test_seed_demo_creates_six_regions_each_with_a_session_in_another_city(settings):
    settings.DEBUG = True
    output = run_seed()
    assert Regio.objects.count() == 6
    sessions = Regiosessie.objects.all()
    assert sessions.count() == 6
    assert len({s.city for s in sessions}) == 6
    assert {s.regio_id for s in sessions} == set(Regio.objects.values_list("pk", flat=True))
    assert "beheer" in output and "facilitator-noord" in output
    assert "34 knelpunten, 0 of them without entries." in output


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    run_seed()
    first = counts()
    run_seed()
    assert counts() == first


def test_demo_users_can_log_in_with_the_printed_passwords(settings, client):
    settings.DEBUG = True
    run_seed()
    assert client.login(username="beheer", password="demo-beheer-2026")


def test_seed_demo_refuses_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo", stdout=StringIO())
    assert Regiosessie.objects.count() == 0


def test_seed_demo_publishes_the_results_once(settings, client, django_capture_on_commit_callbacks):
    from core.models import MailingRecipient
    from resultaten.models import Publicatie

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        output = run_seed()
    assert "Demo results: version 1 published." in output
    assert client.get("/resultaten/").status_code == 200
    assert "Demo results: version 1 was already published." in run_seed()
    assert list(Publicatie.objects.values_list("version", flat=True)) == [1]
    # The participants who asked for the results are mailed, as in a real consultation (kept in memory).
    assert MailingRecipient.objects.filter(status="sent").exists()
    assert not MailingRecipient.objects.filter(status="failed").exists()
