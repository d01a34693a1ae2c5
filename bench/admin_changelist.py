"""The admin's obstacles change list at 100,000 rows: under 300 ms, queries independent of the row count.

    python -m bench.admin_changelist

1. Recreates the PostgreSQL bench database and creates six regions with a session each, a facilitator
   of one session and a programme-staff account (groups and permissions from the migrations).
2. Inserts 1,000 obstacles, counts the queries of the change list, then inserts up to BENCH_ROWS
   (100,000) in total and counts again: the two counts must be equal.
3. Requests each page BENCH_REPEAT (15) times in-process with Django's test client in production
   settings (DEBUG=0) after two warm-up requests; reports the median and the slowest (p95) time:
   the default list for programme staff and for a facilitator (their one session), a filter on
   theme + level + status, a search, and a deep page.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("BENCH_DB", "cp_bench_changelist")

from bench.common import Result, cli, fresh_database, use_bench_env

BENCH = "admin_changelist"
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
TARGET_MS = 300.0


def insert_obstacles(sessions, start: int, stop: int) -> None:
    import random

    from belemmeringen.models import Belemmering, Dimensie, Niveau, Subthema

    rng = random.Random(start)
    subs = list(Subthema.objects.all())
    batch = []
    for i in range(start, stop):
        sub = subs[i % len(subs)]
        batch.append(
            Belemmering(
                session=sessions[i % len(sessions)],
                thema_id=sub.thema_id,
                subthema=sub,
                title=f"Belemmering {i}: {'sensordata sluiten niet aan' if i % 10 == 0 else 'beheer na de pilot onduidelijk'}",
                description="Na de pilot is onduidelijk wie het beheer overneemt.",
                level=Niveau.values[i % 3],
                dimension=Dimensie.values[i % 4],
                recognised_by=rng.randint(0, 25),
                status="vastgesteld" if i % 5 else "concept",
            )
        )
        if len(batch) == 5000:
            Belemmering.objects.bulk_create(batch)
            batch = []
    if batch:
        Belemmering.objects.bulk_create(batch)


def measure(client, path: str) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return timings, len(queries)


def run() -> list[Result]:
    fresh_database(os.environ["BENCH_DB"])
    use_bench_env()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from belemmeringen.models import Thema
    from regiosessies.models import Regio, Regiosessie

    sessions = []
    for n in range(6):
        regio = Regio.objects.create(name=f"Regio {n}", slug=f"regio-{n}")
        start = timezone.now() + timedelta(days=10 + n)
        sessions.append(
            Regiosessie.objects.create(
                regio=regio,
                title=f"Regiosessie {n}",
                slug=f"regiosessie-{n}",
                start=start,
                end=start + timedelta(hours=3),
                venue_name="Zaal",
                address="Markt 1",
                city=f"Stad {n}",
                capacity=40,
            )
        )
    User = get_user_model()
    staff = User.objects.create_user("bench-programma", password="x" * 20, is_staff=True)
    staff.groups.add(Group.objects.get(name="Programmateam"))
    facilitator = User.objects.create_user("bench-facilitator", password="x" * 20, is_staff=True)
    facilitator.groups.add(Group.objects.get(name="Facilitator"))
    sessions[0].facilitators.add(facilitator)

    staff_client, facilitator_client = Client(), Client()
    staff_client.force_login(staff)
    facilitator_client.force_login(facilitator)
    changelist = reverse("admin:belemmeringen_belemmering_changelist")

    insert_obstacles(sessions, 0, 1000)
    _t, queries_small = measure(staff_client, changelist)
    t0 = time.perf_counter()
    insert_obstacles(sessions, 1000, ROWS)
    insert_seconds = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE belemmeringen_belemmering")  # what autovacuum would have done

    thema = Thema.objects.get(name="Technisch")
    pages = [
        ("programme staff, default list", staff_client, changelist),
        ("facilitator of one session, default list", facilitator_client, changelist),
        (
            "filter theme + level + status",
            staff_client,
            f"{changelist}?thema__id__exact={thema.pk}&level__exact=nationaal&status__exact=concept",
        ),
        ("search 'sensordata'", staff_client, f"{changelist}?q=sensordata"),
        ("page 200", staff_client, f"{changelist}?p=200"),
    ]
    results = []
    for label, client, path in pages:
        timings, queries = measure(client, path)
        median = statistics.median(timings)
        p95 = sorted(timings)[max(0, round(0.95 * len(timings)) - 1)]
        results.append(
            Result(
                BENCH,
                f"change list {ROWS:,} rows, {label}: median",
                round(median, 1),
                "ms",
                target=f"< {TARGET_MS:.0f} ms",
                ok=median < TARGET_MS,
                note=f"p95 {p95:.1f} ms, {queries} queries",
            )
        )
        if label == "programme staff, default list":
            queries_large = queries
    results.append(
        Result(
            BENCH,
            "change list queries at 1,000 vs 100,000 rows",
            queries_large,
            "queries",
            target=f"== {queries_small}",
            ok=queries_large == queries_small,
            note=f"{queries_small} queries at 1,000 rows; {ROWS - 1000:,} rows inserted in {insert_seconds:.0f} s",
        )
    )
    return results


if __name__ == "__main__":
    cli(run)
