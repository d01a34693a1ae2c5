"""The shared cache on Redis: time per call of a page-cache read and of the rate limit's counter, through
the production backend (django-redis), next to a bare redis-py call on one pooled client (the floor).

Every page served from the page cache makes one such read, and every rate-limited POST one counter call, so
a backend that builds a client per call (Django's own Redis backend does) shows here first. In-process,
one connection, 5,000 calls after 500 of warm-up; wall time per call, median of five rounds.
"""

from __future__ import annotations

import statistics
import time

from bench.common import Result, cli, use_bench_env

CALLS = 5_000
ROUNDS = 5


def _per_call_ms(fn) -> float:
    for _ in range(500):
        fn()
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(CALLS):
            fn()
        rounds.append((time.perf_counter() - started) / CALLS * 1000)
    return round(statistics.median(rounds), 3)


def run() -> list[Result]:
    use_bench_env()
    import redis
    from django.conf import settings
    from django.core.cache import cache

    from core import ratelimit

    backend = settings.CACHES["default"]["BACKEND"]
    cache.set("bench:page", "x" * 20_000)  # about the size of a cached public page
    bare = redis.Redis.from_url(settings.REDIS_URL)
    bare.set("bench:bare", "x" * 20_000)

    read = _per_call_ms(lambda: cache.get("bench:page"))
    read_floor = _per_call_ms(lambda: bare.get("bench:bare"))
    count = _per_call_ms(lambda: ratelimit._count("bench:counter", 60))

    def bare_count():
        pipe = bare.pipeline(transaction=False)
        pipe.incr("bench:bare-counter")
        pipe.expire("bench:bare-counter", 60)
        pipe.execute()

    count_floor = _per_call_ms(bare_count)
    cache.delete_many(["bench:page", "bench:counter"])
    bare.delete("bench:bare", "bench:bare-counter")
    note = f"backend {backend}; {CALLS} calls × {ROUNDS} rounds"
    return [
        Result("cache_calls", "page-cache read (20 KB value)", read, "ms", floor=read_floor, note=note),
        Result("cache_calls", "rate-limit counter (INCR + EXPIRE)", count, "ms", floor=count_floor, note=note),
    ]


if __name__ == "__main__":
    cli(run)
