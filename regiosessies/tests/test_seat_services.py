"""Seat changes in one place: capacity through services, promotion in one function, reads on the models."""

from __future__ import annotations

import ast
import inspect
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import OutboxMessage
from regiosessies import emails, services
from regiosessies.models import Aanmelding, Availability, Regiosessie
from regiosessies.tests.factories import make_session
from regiosessies.tests.test_concurrency import run_in_threads

pytestmark = pytest.mark.django_db


def _fill(session, confirmed: int, waiting: int = 0):
    """Register `confirmed + waiting` people; the first `session.capacity` get a seat."""
    return [
        services.register(session=session, name=f"P{n}", email=f"p{n}@example.nl", organisation_type="gemeente")
        for n in range(confirmed + waiting)
    ]


def _statuses(session) -> Counter:
    return Counter(Aanmelding.objects.filter(session=session).values_list("status", flat=True))


class TestChangeCapacity:
    def test_it_refuses_a_capacity_below_the_confirmed_registrations(self):
        session = make_session("krap", capacity=3)
        _fill(session, 3)
        with pytest.raises(services.CapacityBelowConfirmed) as refused:
            services.change_capacity(session=session, capacity=2)
        assert refused.value.code == "capacity_below_confirmed"
        assert refused.value.params == {"confirmed": 3}
        assert "Er zijn al 3 bevestigde aanmeldingen" in refused.value.messages[0]
        session.refresh_from_db()
        assert session.capacity == 3

    def test_it_lowers_capacity_to_the_confirmed_count_and_demotes_nobody(self):
        session = make_session("omlaag", capacity=5)
        _fill(session, 3)
        assert services.change_capacity(session=session, capacity=3) == []
        session.refresh_from_db()
        assert session.capacity == 3
        assert _statuses(session) == {"confirmed": 3}

    def test_raising_capacity_promotes_the_longest_waiting_first_and_mails_them(self):
        session = make_session("omhoog", capacity=1)
        registered = _fill(session, 1, waiting=3)
        promoted = services.change_capacity(session=session, capacity=3)
        assert [a.pk for a in promoted] == [registered[1].aanmelding.pk, registered[2].aanmelding.pk]
        assert session.capacity == 3
        assert _statuses(session) == {"confirmed": 3, "waitlisted": 1}
        assert OutboxMessage.objects.filter(template="aanmelding_doorgeschoven").count() == 2
        assert registered[3].aanmelding.waitlist_position() == 1

    def test_after_the_start_the_capacity_changes_but_nobody_is_promoted(self):
        session = make_session("begonnen", capacity=1)
        _fill(session, 1, waiting=1)
        Regiosessie.objects.filter(pk=session.pk).update(start=timezone.now() - timedelta(minutes=5))
        assert services.change_capacity(session=session, capacity=2) == []
        session.refresh_from_db()
        assert session.capacity == 2
        assert _statuses(session) == {"confirmed": 1, "waitlisted": 1}

    def test_check_capacity_is_the_same_rule_without_a_write(self):
        session = make_session("controle", capacity=2)
        _fill(session, 2)
        services.check_capacity(session=session, capacity=2)
        with pytest.raises(services.CapacityBelowConfirmed):
            services.check_capacity(session=session, capacity=1)


class TestFillFromWaitlist:
    def test_it_fills_every_free_seat_in_order(self):
        session = make_session("vullen", capacity=1)
        registered = _fill(session, 1, waiting=3)
        Regiosessie.objects.filter(pk=session.pk).update(capacity=3)
        promoted = services.fill_from_waitlist(session=session)
        assert [a.pk for a in promoted] == [r.aanmelding.pk for r in registered[1:3]]
        assert services.fill_from_waitlist(session=session) == []

    def test_a_cancelled_session_promotes_nobody(self):
        session = make_session("geschrapt", capacity=1)
        _fill(session, 1, waiting=1)
        Regiosessie.objects.filter(pk=session.pk).update(capacity=2, cancelled=True)
        assert services.fill_from_waitlist(session=session) == []


class TestReads:
    def test_confirmed_counts_anonymised_seats_and_nothing_else(self):
        session = make_session("tellen", capacity=2)
        seated, other, waiting = (r.aanmelding for r in _fill(session, 2, waiting=1))
        services.cancel_registration(aanmelding=other)  # the waiting person moves up
        Aanmelding.objects.filter(pk=seated.pk).update(anonymised_at=timezone.now())
        assert set(Aanmelding.objects.confirmed().values_list("pk", flat=True)) == {seated.pk, waiting.pk}
        assert session.confirmed_total == 2

    @pytest.mark.parametrize(
        ("changes", "open_"),
        [
            ({}, True),
            ({"cancelled": True}, False),
            ({"registration_opens": timedelta(days=1)}, False),
            ({"registration_opens": -timedelta(days=1)}, True),
            ({"registration_closes": -timedelta(minutes=1)}, False),
            ({"registration_closes": timedelta(days=1)}, True),
            ({"start": -timedelta(minutes=1)}, False),
        ],
    )
    def test_open_for_registration_is_availability_open_or_full(self, changes, open_):
        now = timezone.now()
        session = make_session("venster", capacity=1)
        for field, value in changes.items():
            setattr(session, field, now + value if isinstance(value, timedelta) else value)
        assert session.is_open_for_registration(now) is open_
        assert (session.availability(now) in (Availability.OPEN, Availability.FULL)) is open_

    def test_waitlist_position_breaks_a_tie_in_time_by_id(self):
        session = make_session("gelijk", capacity=0)
        first, second = (r.aanmelding for r in _fill(session, 0, waiting=2))
        Aanmelding.objects.filter(pk__in=[first.pk, second.pk]).update(created=first.created)
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.waitlist_position(), second.waitlist_position()) == (1, 2)


def test_emails_do_not_import_services():
    """The waiting-list position is a model read, so emails and services no longer import each other."""
    tree = ast.parse(inspect.getsource(emails))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "regiosessies.services" not in imported
    assert not any(
        isinstance(node, ast.ImportFrom)
        and node.module == "regiosessies"
        and any(a.name == "services" for a in node.names)
        for node in ast.walk(tree)
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lowering_capacity_while_people_register_never_oversells():
    """Real threads: registrations and capacity changes take the same lock, so the confirmed count
    never exceeds the capacity that holds when the dust settles, and a refused change writes nothing."""
    session = make_session("wedloop", capacity=10)

    def act(number):
        if number % 5 == 0:
            try:
                services.change_capacity(session=session, capacity=4 + number // 5)
            except services.CapacityBelowConfirmed:
                return "refused"
            return "changed"
        services.register(
            session=session, name=f"P{number}", email=f"p{number}@example.nl", organisation_type="gemeente"
        )
        return "registered"

    results, errors = run_in_threads(act, list(range(30)), workers=30)

    assert errors == []
    assert Counter(results)["registered"] == 24
    session.refresh_from_db()
    confirmed = Aanmelding.objects.confirmed().filter(session=session).count()
    assert confirmed <= session.capacity
    assert confirmed == min(session.capacity, 24)
