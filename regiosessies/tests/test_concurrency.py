"""Capacity under real concurrency: threads with their own database connections, no TestCase
transaction around them (which would hide missing locks). Runs on PostgreSQL and SQLite."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.models import OutboxMessage
from regiosessies import services
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session

# serialized_rollback like every transactional test here: the flush afterwards would otherwise wipe
# what data migrations seeded (themes, groups) for the transactional tests that follow.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def run_in_threads(function, arguments, *, workers: int):
    """Call `function(arg)` for every argument at (nearly) the same moment; return results and errors."""
    barrier = threading.Barrier(len(arguments))

    def call(argument):
        try:
            barrier.wait(timeout=30)
            return ("ok", function(argument))
        except Exception as exc:  # collected and asserted on below
            return ("error", repr(exc))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(call, arguments))
    errors = [value for kind, value in outcomes if kind == "error"]
    results = [value for kind, value in outcomes if kind == "ok"]
    return results, errors


def test_sixty_simultaneous_registrations_for_seven_seats_never_oversell():
    session = make_session("druk", capacity=7)

    def register(number):
        return services.register(
            session=session, name=f"Deelnemer {number}", email=f"p{number}@example.nl", organisation_type="gemeente"
        ).created

    results, errors = run_in_threads(register, list(range(60)), workers=60)

    assert errors == []
    assert results == [True] * 60
    statuses = Counter(Aanmelding.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == {"confirmed": 7, "waitlisted": 53}
    waiting = Aanmelding.objects.waitlist().filter(session=session)
    assert sorted(a.waitlist_position() for a in waiting) == list(range(1, 54))
    # Every registrant got exactly one mail, and it matches their status.
    assert OutboxMessage.objects.filter(template="aanmelding_bevestigd").count() == 7
    assert OutboxMessage.objects.filter(template="aanmelding_wachtlijst").count() == 53


def test_simultaneous_duplicates_of_one_address_give_one_registration():
    session = make_session("dubbel-druk", capacity=7)

    def register(_):
        return services.register(
            session=session, name="Anna", email="Anna@Example.nl", organisation_type="gemeente"
        ).created

    results, errors = run_in_threads(register, list(range(12)), workers=12)

    assert errors == []
    assert sorted(results) == [False] * 11 + [True]
    assert Aanmelding.objects.filter(session=session).count() == 1


def test_simultaneous_cancellations_promote_each_waiting_person_exactly_once():
    session = make_session("annuleren-druk", capacity=5)
    people = [
        services.register(
            session=session, name=f"Deelnemer {n}", email=f"p{n}@example.nl", organisation_type="gemeente"
        ).aanmelding
        for n in range(12)
    ]
    seated, waiting = people[:5], people[5:]
    assert {a.status for a in seated} == {"confirmed"} and {a.status for a in waiting} == {"waitlisted"}

    # Every seated person cancels twice at once (two tabs): ten requests for five seats.
    def cancel(aanmelding):
        promoted = services.cancel_registration(aanmelding=Aanmelding.objects.get(pk=aanmelding.pk))
        return promoted.pk if promoted else None

    results, errors = run_in_threads(cancel, seated + seated, workers=10)

    assert errors == []
    promoted_ids = [pk for pk in results if pk is not None]
    assert len(promoted_ids) == 5
    assert len(set(promoted_ids)) == 5
    # First come, first served: the five who waited longest got the seats.
    assert set(promoted_ids) == {a.pk for a in waiting[:5]}
    statuses = Counter(Aanmelding.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == {"confirmed": 5, "cancelled": 5, "waitlisted": 2}
    promotion_mails = Counter(
        OutboxMessage.objects.filter(template="aanmelding_doorgeschoven").values_list("aanmelding_id", flat=True)
    )
    assert promotion_mails == dict.fromkeys(promoted_ids, 1)
