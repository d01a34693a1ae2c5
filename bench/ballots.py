"""Ballots per second on the prioritisation page under gunicorn with 32 wrk connections, next to the bare view.

    BENCH_DB=cp_bench_ballots python -m bench.ballots

1. Recreates the PostgreSQL bench database (migrate, cache table, collectstatic).
2. Creates BENCH_BALLOT_PEOPLE (default 300) confirmed registrations with known personal tokens,
   eight needs and an open round (10 points, at most 5 per need).
3. Starts gunicorn with the repo's gunicorn.conf.py in production mode (as bench.registrations).
4. wrk (C, 2 threads, 32 keep-alive connections, BENCH_WRK_SECONDS each, default 20) POSTs ballots:
   every request goes to the next person's `/aanmelding/<token>/prioriteiten/` with 5, 3 and 2 points
   on three needs chosen from the request number, the CSRF cookie and token fetched once as a browser
   would. People come round again once all have voted, so later POSTs replace ballots (the real
   write: lock, delete the old lines, insert the new). First the same POSTs go to the bare view (the
   floor), after a warm-up.
5. Checks the database: one ballot per person at most, every ballot within the rules, and its lines
   the same as the last body that person's token was sent (the pattern is deterministic per token
   and round, so a replaced ballot must equal the one built for its last visit, never a mix).
"""

from __future__ import annotations

import os
import shutil

from bench.common import Client, Result, bench_env, cli, fresh_database, gunicorn, use_bench_env, wrk

BENCH = "ballots"
PEOPLE = int(os.environ.get("BENCH_BALLOT_PEOPLE", "300"))
NEEDS = 8
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "20"))

# Each wrk thread takes every other person (thread 0 even, thread 1 odd) so no two connections of
# different threads post for the same person at once. Needs and points depend on the person only:
# whatever the order of the requests, a person's ballot is always the same, which `verify` checks.
WRK_LUA = r"""
local counter = 0
offset = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
request = function()
  local person = (offset + 2 * counter) % __PEOPLE__
  counter = counter + 1
  local ids = {__NEED_IDS__}
  local a = ids[(person % #ids) + 1]
  local b = ids[((person + 1) % #ids) + 1]
  local c = ids[((person + 3) % #ids) + 1]
  local body = "csrfmiddlewaretoken=__TOKEN__&punten-" .. a .. "=5&punten-" .. b .. "=3&punten-" .. c .. "=2"
  local path = "__PATH__" ~= "" and "__PATH__" or string.format("/aanmelding/bench-%05d/prioriteiten/", person)
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded",
                                   ["Cookie"] = "__COOKIE__"}, body)
end
"""


def expected_lines(person: int, need_ids: list[int]) -> dict[int, int]:
    n = len(need_ids)
    return {need_ids[person % n]: 5, need_ids[(person + 1) % n]: 3, need_ids[(person + 3) % n]: 2}


def create_round(people: int) -> list[int]:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from belemmeringen.models import Behoefte
    from prioritering.models import Ronde
    from regiosessies.models import Aanmelding, Regio, Regiosessie

    regio, _ = Regio.objects.get_or_create(slug="benchmark", defaults={"name": "Benchmark"})
    start = timezone.now() - timedelta(days=10)
    session = Regiosessie.objects.create(
        regio=regio,
        title="Regiosessie Benchmark",
        slug="regiosessie-benchmark",
        start=start,
        end=start + timedelta(hours=3),
        venue_name="Loopback",
        address="127.0.0.1",
        city="Localhost",
        capacity=people,
    )
    now = timezone.now()
    Aanmelding.objects.bulk_create(
        [
            Aanmelding(
                session=session,
                name=f"Deelnemer {n}",
                email=f"p{n}@bench.example",
                organisation_type="gemeente",
                consent_at=now,
                privacy_version="1",
                status=Aanmelding.Status.CONFIRMED,
                attended=True,
                token=f"bench-{n:05d}",
            )
            for n in range(people)
        ],
        batch_size=1000,
    )
    needs = [
        Behoefte.objects.create(title=f"Behoefte {n}", level="nationaal", support_type="kennis") for n in range(NEEDS)
    ]
    ronde = Ronde.objects.create(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=3))
    ronde.behoeften.set(needs)
    connection.close()
    return [need.pk for need in needs]


def verify(need_ids: list[int], people: int, *, answered: int) -> Result:
    from django.db import connection
    from django.db.models import Count

    from prioritering.models import Stembiljet, Stemregel

    ballots = Stembiljet.objects.count()
    doubles = Stembiljet.objects.values("aanmelding").annotate(n=Count("id")).filter(n__gt=1).count()
    lines: dict[str, dict[int, int]] = {}
    for token, need_id, points in Stemregel.objects.values_list(
        "stembiljet__aanmelding__token", "behoefte_id", "points"
    ):
        lines.setdefault(token, {})[need_id] = points
    wrong = sum(1 for token, got in lines.items() if got != expected_lines(int(token.split("-")[1]), need_ids))
    connection.close()
    return Result(
        BENCH,
        "ballots not as last posted (mixed, added up or doubled)",
        wrong + doubles,
        "ballots",
        target="== 0",
        # Every answered POST was for a person in turn, so all of them (up to one per connection still
        # in flight when wrk stopped) must have a ballot: a page answered 200 with errors would not.
        ok=wrong == 0 and doubles == 0 and min(people, answered) - CLIENTS <= ballots <= people,
        note=f"{ballots} ballots for {people} people after {answered} answered POSTs; {doubles} people with two ballots",
    )


def run() -> list[Result]:
    if not shutil.which("wrk"):
        raise SystemExit("bench.ballots needs wrk (apt-get install wrk).")
    fresh_database()
    use_bench_env()
    need_ids = create_round(PEOPLE)
    with gunicorn(bench_env()) as port:
        browser = Client(port)
        browser.fetch_csrf("/aanmelding/bench-00000/prioriteiten/")
        script = (
            WRK_LUA.replace("__TOKEN__", browser.csrf_token)
            .replace("__COOKIE__", f"csrftoken={browser.cookies['csrftoken']}")
            .replace("__PEOPLE__", str(PEOPLE))
            .replace("__NEED_IDS__", ", ".join(map(str, need_ids)))
        )
        bare = script.replace("__PATH__", "/__bench__/bare/")
        real = script.replace("__PATH__", "")
        wrk(port, "/", seconds=5, connections=CLIENTS, script=bare)  # warm-up: every worker imports everything
        floor = wrk(port, "/", seconds=WRK_SECONDS, connections=CLIENTS, script=bare)
        measured = wrk(port, "/", seconds=WRK_SECONDS, connections=CLIENTS, script=real)
    what = f"ballot POST, wrk, {CLIENTS} connections"
    rate, floor_rate = measured["requests"] / measured["seconds"], floor["requests"] / floor["seconds"]
    results = [
        Result(
            BENCH,
            f"{what}: throughput",
            round(rate, 1),
            "req/s",
            floor=round(floor_rate, 1),
            note=f"{measured['requests']} POSTs in {measured['seconds']:.1f}s for {PEOPLE} people (after the first "
            f"{PEOPLE}, each replaces a ballot); {measured['status_errors']} not answered 302, "
            f"{measured['socket_errors']} socket errors",
        ),
    ]
    for p in ("p50", "p95", "p99"):
        results.append(Result(BENCH, f"{what}: {p} latency", round(measured[p], 1), "ms", floor=round(floor[p], 1)))
    results.append(verify(need_ids, PEOPLE, answered=measured["requests"] - measured["status_errors"]))
    return results


if __name__ == "__main__":
    cli(run)
