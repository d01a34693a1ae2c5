"""300 ballots at once give exact totals: real threads with their own connections, no TestCase
transaction around them. Meant for PostgreSQL (DATABASE_URL=postgres://...); runs on SQLite too,
where BEGIN IMMEDIATE serialises the writers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from belemmeringen.tests.factories import make_need
from prioritering import services
from prioritering.models import Stembiljet, Stemregel
from prioritering.tests.factories import make_round
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

PEOPLE = 300
# Threads, each with its own connection: PostgreSQL allows 100 here and other work shares them.
WORKERS = 32


def run_in_threads(function, arguments, *, workers: int = WORKERS):
    """Call `function(arg)` for every argument from `workers` threads released at the same moment;
    return the results and the errors (repr)."""
    start = threading.Event()
    ready = threading.Semaphore(0)

    def call(argument):
        try:
            return ("ok", function(argument))
        except Exception as exc:  # collected and asserted on below
            return ("error", repr(exc))

    def worker(chunk):
        ready.release()
        start.wait(timeout=30)
        try:
            return [call(argument) for argument in chunk]
        finally:
            connection.close()

    chunks = [arguments[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(worker, chunk) for chunk in chunks]
        for _ in chunks:
            ready.acquire(timeout=30)
        start.set()
        outcomes = [outcome for future in futures for outcome in future.result()]
    return [v for kind, v in outcomes if kind == "ok"], [v for kind, v in outcomes if kind == "error"]


def setup_round(people: int):
    session = make_session("drukte", capacity=people)
    Aanmelding.objects.bulk_create(
        [
            Aanmelding(
                session=session,
                name=f"Deelnemer {n}",
                email=f"p{n}@example.nl",
                organisation_type="gemeente",
                consent_at=timezone.now(),
                privacy_version="1",
                status=Aanmelding.Status.CONFIRMED,
                token=f"token-{n:04d}",
            )
            for n in range(people)
        ]
    )
    needs = [make_need(f"Behoefte {n}") for n in range(6)]
    ronde = make_round(needs, starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(days=3))
    return ronde, needs


def test_three_hundred_simultaneous_ballots_give_exact_totals():
    ronde, needs = setup_round(PEOPLE)

    def cast(n):
        # Person n: 5 on need n % 6, 3 on need (n + 1) % 6, 2 on need (n + 2) % 6.
        split = {needs[n % 6].pk: 5, needs[(n + 1) % 6].pk: 3, needs[(n + 2) % 6].pk: 2}
        return services.cast_ballot(token=f"token-{n:04d}", points=split).pk

    results, errors = run_in_threads(cast, list(range(PEOPLE)))

    assert errors == []
    assert len(set(results)) == PEOPLE
    assert Stembiljet.objects.count() == PEOPLE
    totals = dict(Stemregel.objects.values_list("behoefte_id").annotate(total=Sum("points")))
    # Every need is first, second and third for 50 people each: 50 * (5 + 3 + 2) = 500 points.
    assert totals == {need.pk: 500 for need in needs}
    frozen = services.close_round().results
    assert frozen["points_cast"] == PEOPLE * 10 and frozen["ballots"] == PEOPLE


def test_one_person_changing_their_ballot_in_many_tabs_at_once_keeps_exactly_one():
    ronde, needs = setup_round(1)
    splits = [{needs[k % 6].pk: 5, needs[(k + 1) % 6].pk: 5} for k in range(20)]

    results, errors = run_in_threads(
        lambda split: services.cast_ballot(token="token-0000", points=split).pk, splits, workers=20
    )

    assert errors == []
    assert Stembiljet.objects.count() == 1
    lines = dict(Stemregel.objects.values_list("behoefte_id", "points"))
    assert sum(lines.values()) == 10 and lines in splits  # one of the tabs won, whole; never a mix or a sum


def test_ballots_racing_the_close_are_either_in_the_frozen_results_or_refused():
    ronde, needs = setup_round(60)

    def act(n):
        if n == 30:
            return ("closed", services.close_round(ronde=ronde).results["points_cast"])
        try:
            services.cast_ballot(token=f"token-{n:04d}", points={needs[0].pk: 1}, ronde=ronde)
            return ("stored", 1)
        except services.BallotRejected:
            return ("refused", 0)

    results, errors = run_in_threads(act, list(range(60)))

    assert errors == []
    frozen = dict(results)["closed"]
    stored = Stemregel.objects.aggregate(total=Sum("points"))["total"] or 0
    assert stored == frozen, "a ballot was stored after the results were frozen"
