"""The public pages: query counts that must not grow with the number of sessions, and throughput
under gunicorn next to the bare view.

    python -m bench.public_pages

1. Recreates `cp_bench`, creates 6 sessions (each with some registrations), then counts the queries
   of the home page, the session list (/regiosessies/), the region chooser (/aanmelden/) and a session
   detail page with Django's test client and CaptureQueriesContext; then the same with 60 sessions.
2. Serves the 60-session database with gunicorn (production settings) and lets BENCH_CLIENTS (32)
   clients GET the session list and the home page, next to GETs of the bare view.
"""

from __future__ import annotations

import os
import time

from bench.common import Client, Result, bench_env, cli, fresh_database, gunicorn, load_results, run_load, use_bench_env

BENCH = "public_pages"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "2000"))
PAGES = {
    "home page": "/",
    "session list": "/regiosessies/",
    "region chooser": "/aanmelden/",
    "session detail": "/regiosessies/bench-sessie-1/",
    "bare view": "/__bench__/bare/",
}


def add_sessions(upto: int) -> None:
    """Sessions 1..upto (idempotent), each with a few confirmed registrations and one on the waiting list."""
    from datetime import timedelta

    from django.utils import timezone

    from regiosessies.models import Aanmelding, Regio, Regiosessie

    now = timezone.now()
    for i in range(1, upto + 1):
        regio, _ = Regio.objects.get_or_create(slug=f"bench-regio-{i}", defaults={"name": f"Regio {i}", "order": i})
        start = now + timedelta(days=10 + i)
        session, created = Regiosessie.objects.get_or_create(
            slug=f"bench-sessie-{i}",
            defaults={
                "regio": regio,
                "title": f"Regiosessie {i}",
                "start": start,
                "end": start + timedelta(hours=3),
                "venue_name": "Stadhuis",
                "address": "Markt 1",
                "city": f"Stad {i}",
                "capacity": 3,
            },
        )
        if created:
            for n, status in enumerate(["confirmed"] * 3 + ["waitlisted"]):
                Aanmelding.objects.create(
                    session=session,
                    name=f"Persoon {i}-{n}",
                    email=f"p{i}-{n}@bench.example",
                    organisation_type="gemeente",
                    consent_at=now,
                    privacy_version="bench",
                    status=status,
                )


def count_queries() -> dict[str, tuple[int, float]]:
    """Queries and mean in-process milliseconds per page (Django test client, warmed up)."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient()
    figures = {}
    for label, path in PAGES.items():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} gave {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Read now: captured_queries is a view on the connection's log, which the next request clears.
        query_count = len(queries)
        started = time.perf_counter()
        for _ in range(50):
            client.get(path)
        figures[label] = (query_count, (time.perf_counter() - started) / 50 * 1000)
    return figures


def run() -> list[Result]:
    fresh_database()
    use_bench_env()
    results: list[Result] = []
    counts = {}
    for n in (6, 60):
        add_sessions(n)
        counts[n] = count_queries()
    bare_q6, bare_ms6 = counts[6]["bare view"]
    for label in PAGES:
        if label == "bare view":
            continue
        q6, ms6 = counts[6][label]
        q60, ms60 = counts[60][label]
        results.append(
            Result(
                BENCH,
                f"{label}: queries with 60 sessions",
                q60,
                "queries",
                floor=counts[60]["bare view"][0],
                target=f"== {q6} (as with 6 sessions)",
                ok=q60 == q6,
                note=f"{q6} queries with 6 sessions",
            )
        )
        results.append(
            Result(
                BENCH,
                f"{label}: in-process time with 60 sessions",
                round(ms60, 2),
                "ms",
                floor=round(counts[60]["bare view"][1], 2),
                note=f"{ms6:.2f} ms with 6 sessions",
            )
        )

    from django.db import connection

    connection.close()
    with gunicorn(bench_env()) as port:
        clients = [Client(port) for _ in range(CLIENTS)]

        def get(path):
            return lambda client, n: ("GET", path, None)

        run_load(clients, get(PAGES["bare view"]), total=CLIENTS * 10)  # warm-up
        floor = run_load(clients, get(PAGES["bare view"]), total=REQUESTS)
        for label in ("session list", "home page"):
            measured = run_load(clients, get(PAGES[label]), total=REQUESTS)
            rows = load_results(BENCH, f"{label} GET, 60 sessions, {CLIENTS} clients", measured, floor)
            bad = {k: v for k, v in measured.statuses.items() if k != 200}
            rows[0].note = f"{measured.requests} GETs in {measured.seconds:.1f}s" + (f"; non-200: {bad}" if bad else "")
            results += rows
    return results


if __name__ == "__main__":
    cli(run)
