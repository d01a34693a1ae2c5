"""Grouping suggestions for 5,000 ungrouped entries over six sessions on PostgreSQL (pg_trgm).

    python -m bench.knelpunt_suggestions [--json FILE]

1. Recreates the PostgreSQL bench database and creates six regions with a session each.
2. Inserts BENCH_ENTRIES (5,000) ungrouped entries describing BENCH_KNELPUNTEN (800) distinct obstacles:
   each obstacle is raised by a random number of the sessions, some sessions name it twice, and every
   entry words it a little differently (case, spacing, a word added, dropped or swapped, a typo).
   Titles and descriptions are made of real Dutch words from the portal's own texts (about 1,100).
3. Times `belemmeringen.grouping.suggest()` (the trigram join through the GIN indexes of migration
   0006), median of three runs; reports how many suggested groups hold one obstacle only (purity)
   and how many entries they cover.
4. Times the same pairs computed by the plain-Python fallback (what SQLite runs) on the same rows,
   the admin's suggestions page (programme staff, in-process test client) and accepting every
   suggestion scoring 0.75 or more (what `suggest_knelpunten --apply-above 0.75` does).
"""

from __future__ import annotations

import os
import random
import statistics
import time

os.environ.setdefault("BENCH_DB", "cp_bench_knelpunten")

from bench.common import Result, cli, fresh_database, use_bench_env

BENCH = "knelpunt_suggestions"
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "5000"))
KNELPUNTEN = int(os.environ.get("BENCH_KNELPUNTEN", "800"))
# Real Dutch words, taken from the portal's own texts (the demo findings, the themes, the Dutch of the
# message catalogue): their trigrams are as unevenly spread as in real entries, where "de", "niet",
# "pilot" or "gemeente" come back in many titles and give the index long posting lists.
COMMON = [
    "de",
    "het",
    "van",
    "niet",
    "worden",
    "voor",
    "met",
    "bij",
    "geen",
    "een",
    "op",
    "in",
    "en",
    "te",
    "is",
    "zijn",
    "na",
    "door",
    "om",
    "over",
    "data",
    "pilot",
    "gemeente",
    "sensoren",
    "regio",
]
SOURCES = ["belemmeringen/demo.py", "belemmeringen/reference.py", "locale/en/LC_MESSAGES/django.po"]


def vocabulary(rng: random.Random) -> list[str]:
    import re

    from bench.common import REPO

    words: set[str] = set()
    for source in SOURCES:
        text = (REPO / source).read_text(encoding="utf-8")
        if source.endswith(".po"):
            text = "\n".join(re.findall(r'^msgid "(.*)"$', text, re.M))  # the Dutch side only
        words.update(re.findall(r"[a-zà-ÿ]{4,}", text.lower()))
    return sorted(words - set(COMMON))


def sentence(rng: random.Random, words: list[str], content: int, common: int) -> str:
    parts = rng.sample(words, content) + rng.sample(COMMON, common)
    rng.shuffle(parts)
    return " ".join(parts)


def reword(rng: random.Random, title: str, words: list[str]) -> str:
    """One region's wording: the same obstacle, said a little differently."""
    parts = title.split()
    change = rng.randrange(6)
    if change == 1:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(["de", "het", "een", "vaak", "nog"]))
    elif change == 2 and len(parts) > 4:
        parts.pop(rng.randrange(len(parts)))
    elif change == 3:
        i = rng.randrange(len(parts) - 1)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    elif change == 4:
        i = rng.randrange(len(parts))
        word = parts[i]
        if len(word) > 4:
            j = rng.randrange(1, len(word) - 1)
            parts[i] = word[:j] + word[j + 1 :]  # a typo: one letter dropped
    text = " ".join(parts)
    return text.lower() if change == 5 else text[:1].upper() + text[1:]


def insert_entries(sessions) -> int:
    from belemmeringen.models import Belemmering, Dimensie, Niveau, Subthema

    rng = random.Random(12)
    words = vocabulary(rng)
    subs = list(Subthema.objects.all())
    batch = []
    for k in range(KNELPUNTEN):
        title = sentence(rng, words, rng.randint(3, 5), rng.randint(1, 3))
        description = sentence(rng, words, rng.randint(6, 12), rng.randint(4, 8))
        sub = subs[k % len(subs)]
        raised = rng.sample(sessions, rng.randint(3, 6))
        for session in raised:
            for _ in range(2 if rng.random() < 0.4 else 1):
                batch.append(
                    Belemmering(
                        session=session,
                        thema_id=sub.thema_id,
                        subthema=sub,
                        title=reword(rng, title, words)[:200],
                        description=description if rng.random() < 0.7 else "",
                        level=rng.choice(Niveau.values),
                        dimension=rng.choice(Dimensie.values),
                        recognised_by=rng.randint(0, 25),
                        status="vastgesteld",
                        # Kept in `support_needed` only to tell afterwards which obstacle an entry describes.
                        support_needed=f"bench-knelpunt-{k}",
                    )
                )
    rng.shuffle(batch)
    Belemmering.objects.bulk_create(batch[:ENTRIES], batch_size=2000)
    return min(len(batch), ENTRIES)


def setup():
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from regiosessies.models import Regio, Regiosessie

    sessions = []
    for n in range(6):
        regio = Regio.objects.create(name=f"Regio {n}", slug=f"regio-{n}")
        start = timezone.now() - timedelta(days=60 - 7 * n)
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
    inserted = insert_entries(sessions)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE belemmeringen_belemmering")  # what autovacuum would have done
    staff = get_user_model().objects.create_user("bench-programma", password="x" * 20, is_staff=True)
    staff.groups.add(Group.objects.get(name="Programmateam"))
    return inserted, staff


def run() -> list[Result]:
    fresh_database(os.environ["BENCH_DB"])
    use_bench_env()
    from django.test import Client
    from django.urls import reverse

    from belemmeringen import grouping
    from belemmeringen.models import Belemmering, Knelpunt

    inserted, staff = setup()
    truth = dict(Belemmering.objects.values_list("pk", "support_needed"))

    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        suggestions = grouping.suggest()
        timings.append(time.perf_counter() - t0)
    pg_seconds = statistics.median(timings)
    pure = sum(1 for s in suggestions if len({truth[pk] for pk in s.entry_ids}) == 1)
    covered = sum(len(s.entry_ids) for s in suggestions)

    t0 = time.perf_counter()
    py_pairs = grouping._entry_pairs_py(grouping.DEFAULT_THRESHOLD)
    py_seconds = time.perf_counter() - t0
    pg_pairs = grouping._entry_pairs_pg(grouping.DEFAULT_THRESHOLD)

    client = Client()
    client.force_login(staff)
    t0 = time.perf_counter()
    response = client.get(reverse("admin:belemmeringen_knelpunt_suggesties"))
    page_seconds = time.perf_counter() - t0
    assert response.status_code == 200

    chosen = [s for s in suggestions if s.score >= 0.75]
    t0 = time.perf_counter()
    accepted = grouping.accept(suggestions=chosen)
    accept_seconds = time.perf_counter() - t0

    size = f"{inserted:,} entries, {KNELPUNTEN} obstacles, 6 sessions"
    return [
        Result(
            BENCH,
            f"suggestions on PostgreSQL (pg_trgm), {size}: median of 3",
            round(pg_seconds, 2),
            "s",
            note=f"{len(suggestions)} suggestions, {pure} of one obstacle only, covering {covered:,} entries; "
            f"{len(pg_pairs):,} pairs (slowest run {max(timings):.1f} s)",
        ),
        Result(
            BENCH,
            f"the same pairs in plain Python (the SQLite fallback), {size}",
            round(py_seconds, 2),
            "s",
            note=f"{len(py_pairs):,} pairs (compares within a theme only)",
        ),
        Result(
            BENCH,
            f"admin suggestions page, {len(suggestions)} suggestions",
            round(page_seconds, 2),
            "s",
            note=f"{len(response.content) // 1024:,} KiB of HTML",
        ),
        Result(
            BENCH,
            f"accepting the {len(chosen)} suggestions scoring 0.75 or more",
            round(accept_seconds, 2),
            "s",
            note=f"{len(accepted.created)} knelpunten made; {Knelpunt.objects.count()} in total; "
            f"{Belemmering.objects.ungrouped().count():,} entries left ungrouped",
        ),
    ]


if __name__ == "__main__":
    cli(run)
