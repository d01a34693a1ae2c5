"""Registration throughput under gunicorn against PostgreSQL, next to a bare Django view in the same server.

    python -m bench.registrations

1. Recreates the PostgreSQL database `cp_bench` (migrate, cache table, collectstatic).
2. Creates one session with BENCH_SEATS seats (default 200, so both the seat and the waiting-list path run).
3. Starts gunicorn with the repo's gunicorn.conf.py in production mode (DEBUG=0, a bench SECRET_KEY,
   TASK_BACKEND=database so emails are queued in the outbox, not sent; the rate limit raised).
4. Each of BENCH_CLIENTS (32) clients GETs the registration form once for its CSRF cookie and token,
   as a browser does, then POSTs registrations with that token over its keep-alive connection.
   First the same POSTs go to the bare view (the floor, which also warms the workers), then
   BENCH_REGISTRATIONS (3000) registrations go to the real form; most land on the waiting list.
5. Checks the database: exactly min(seats, registrations) confirmed, no session oversold, one row per
   accepted POST, no duplicate addresses.
6. If `wrk` is installed (Debian package `wrk`), measures the same POSTs again with it, on a second
   session, bare view first: a Python client with 32 threads shares the two cores with gunicorn and
   PostgreSQL and spends much of them itself (GIL switching), so it caps what it can measure. wrk
   (C, 2 threads, 32 keep-alive connections, a Lua script that builds each form body with a unique
   address and the CSRF cookie and token fetched once, as a browser would) costs far less. Its run is
   time-bound (BENCH_WRK_SECONDS, default 20), so a few requests may still be in flight when it stops;
   the check allows at most one per connection beyond the answered ones.
"""

from __future__ import annotations

import os
import shutil

from bench.common import (
    Client,
    Result,
    bench_env,
    cli,
    fresh_database,
    gunicorn,
    load_results,
    run_load,
    use_bench_env,
    wrk,
)

BENCH = "registrations"
SEATS = int(os.environ.get("BENCH_SEATS", "200"))
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "3000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
TARGETS = {"throughput": ">= 250 req/s", "p99": "< 200 ms"}
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "20"))

# wrk script: every request is a registration POST with a unique address (bench.common.wrk adds the
# report). The CSRF cookie and the form's token are filled in by Python (fetched with a GET).
WRK_LUA = r"""
local counter = 0
prefix = "x"  -- global: setup() gives each wrk thread its own, so addresses never collide
local threads = {}
function setup(thread)
  thread:set("prefix", "w" .. #threads)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local body = "csrfmiddlewaretoken=__TOKEN__&name=Deelnemer+" .. prefix .. "-" .. counter
    .. "&email=" .. prefix .. "-" .. counter .. "%40wrk.example&organisation_type=gemeente"
    .. "&organisation=Gemeente+Benchmark&role=Adviseur&needs=&remarks=&website=&consent=on"
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
                                  ["Cookie"] = "__COOKIE__"}, body)
end
"""


def create_session(seats: int, *, slug: str = "regiosessie-benchmark"):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from regiosessies.models import Regio, Regiosessie

    regio, _ = Regio.objects.get_or_create(slug="benchmark", defaults={"name": "Benchmark"})
    start = timezone.now() + timedelta(days=30)
    session = Regiosessie.objects.create(
        regio=regio,
        title="Regiosessie Benchmark",
        slug=slug,
        start=start,
        end=start + timedelta(hours=3),
        venue_name="Loopback",
        address="127.0.0.1",
        city="Localhost",
        capacity=seats,
    )
    connection.close()
    return session


def registration_form(client: Client, n: int, *, client_index: int) -> dict:
    return {
        "csrfmiddlewaretoken": client.csrf_token,
        "name": f"Deelnemer {client_index}-{n}",
        "email": f"c{client_index}-{n}@bench.example",
        "organisation_type": "gemeente",
        "organisation": "Gemeente Benchmark",
        "role": "Adviseur",
        "needs": "",
        "remarks": "",
        "website": "",
        "consent": "on",
    }


def verify(session_id: int, seats: int, accepted: int) -> list[Result]:
    from django.db import connection
    from django.db.models import Count

    from regiosessies.models import Aanmelding

    rows = Aanmelding.objects.filter(session_id=session_id)
    confirmed = rows.filter(status=Aanmelding.Status.CONFIRMED).count()
    waitlisted = rows.filter(status=Aanmelding.Status.WAITLISTED).count()
    total = rows.count()
    duplicates = rows.values("email").annotate(n=Count("id")).filter(n__gt=1).count()
    connection.close()
    oversold = max(0, confirmed - seats)
    expected_confirmed = min(seats, accepted)
    return [
        Result(
            BENCH,
            "oversold seats",
            oversold,
            "seats",
            target="== 0",
            ok=oversold == 0,
            note=f"{confirmed} confirmed for {seats} seats; {waitlisted} on the waiting list",
        ),
        Result(
            BENCH,
            "registrations stored vs accepted POSTs",
            total,
            "rows",
            target=f"== {accepted}",
            ok=total == accepted and confirmed == expected_confirmed and duplicates == 0,
            note=f"{accepted} POSTs answered 302; {duplicates} duplicate addresses",
        ),
    ]


def run() -> list[Result]:
    fresh_database()
    use_bench_env()
    session = create_session(SEATS)
    form_path = f"/regiosessies/{session.slug}/aanmelden/"
    with gunicorn(bench_env()) as port:
        clients = [Client(port) for _ in range(CLIENTS)]
        for client in clients:
            client.fetch_csrf(form_path)
        index = {id(c): i for i, c in enumerate(clients)}

        def bare_post(client: Client, n: int):
            # The same form body against the bare view: middleware, CSRF check, no database.
            return "POST", "/__bench__/bare/", registration_form(client, n, client_index=index[id(client)] + 1000)

        def register_post(client: Client, n: int):
            return "POST", form_path, registration_form(client, n, client_index=index[id(client)])

        run_load(clients, bare_post, total=CLIENTS * 10)  # warm-up: every worker has imported everything
        floor = run_load(clients, bare_post, total=REGISTRATIONS)
        measured = run_load(clients, register_post, total=REGISTRATIONS)

    accepted = measured.statuses.get(302, 0)
    results = load_results(BENCH, f"registration POST, {CLIENTS} clients", measured, floor, targets=TARGETS)
    results[0].note = f"{measured.requests} POSTs in {measured.seconds:.1f}s; statuses {dict(measured.statuses)}"
    if floor.statuses.get(200, 0) != floor.requests:
        results[0].note += f"; floor statuses {dict(floor.statuses)}"
    results += verify(session.pk, SEATS, accepted)
    if shutil.which("wrk"):
        results += run_wrk()
    return results


def _wrk(port: int, path: str, script: str) -> dict:
    return wrk(port, path, seconds=WRK_SECONDS, connections=CLIENTS, script=script)


def run_wrk() -> list[Result]:
    """The same registration POSTs generated by wrk (a C client), next to the bare view under wrk."""
    from regiosessies.models import Aanmelding

    session = create_session(SEATS, slug="regiosessie-benchmark-wrk")
    form_path = f"/regiosessies/{session.slug}/aanmelden/"
    with gunicorn(bench_env()) as port:
        browser = Client(port)
        browser.fetch_csrf(form_path)
        script = WRK_LUA.replace("__TOKEN__", browser.csrf_token).replace(
            "__COOKIE__", f"csrftoken={browser.cookies['csrftoken']}"
        )
        _wrk(port, "/__bench__/bare/", script.replace("%40wrk.example", "%40warmup.example"))  # warm-up
        floor = _wrk(port, "/__bench__/bare/", script)
        measured = _wrk(port, form_path, script)
    answered = measured["requests"] - measured["status_errors"] - measured["socket_errors"]
    rows = Aanmelding.objects.filter(session=session)
    stored = rows.count()
    confirmed = rows.filter(status=Aanmelding.Status.CONFIRMED).count()
    what = f"registration POST, wrk, {CLIENTS} connections"
    results = [
        Result(
            BENCH,
            f"{what}: throughput",
            round(measured["requests"] / measured["seconds"], 1),
            "req/s",
            floor=round(floor["requests"] / floor["seconds"], 1),
            target=TARGETS["throughput"],
            ok=measured["requests"] / measured["seconds"] >= 250,
            note=f"{measured['requests']} POSTs in {measured['seconds']:.1f}s; "
            f"{measured['status_errors']} not answered 302, {measured['socket_errors']} socket errors",
        ),
    ]
    for p in ("p50", "p95", "p99"):
        results.append(
            Result(
                BENCH,
                f"{what}: {p} latency",
                round(measured[p], 1),
                "ms",
                floor=round(floor[p], 1),
                target=TARGETS["p99"] if p == "p99" else "",
                ok=measured[p] < 200 if p == "p99" else None,
            )
        )
    results.append(
        Result(
            BENCH,
            "wrk run: oversold seats / rows vs answered POSTs",
            max(0, confirmed - SEATS),
            "seats",
            target="== 0",
            ok=confirmed <= SEATS and answered <= stored <= answered + CLIENTS,
            note=f"{confirmed} confirmed for {SEATS} seats; {stored} rows for {answered} answered POSTs "
            f"(up to {CLIENTS} more may have been in flight when wrk stopped)",
        )
    )
    return results


if __name__ == "__main__":
    cli(run)
