"""The Redis cache backend (django-redis, see settings.CACHES): one pooled redis-py client, reused."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from django_redis.cache import RedisCache

from core.tests.factories import without_service

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    try:
        backend.get("ping")
    except Exception as exc:  # pragma: no cover - depends on the machine
        without_service(f"no Redis at {REDIS_URL}: {exc}")
    yield backend
    # Only this test's keys: clear() would flush the whole Redis database, which others share.
    backend.delete_many(["ping", "teller", "a", "b"])


def test_the_client_is_built_once_and_reused(cache):
    first = cache.client.get_client(write=True)
    assert cache.client.get_client(write=True) is first
    assert cache.client.get_client(write=False) is first  # one server: reads use the same client


def test_it_behaves_as_the_django_backend(cache):
    assert cache.add("teller", 1, 30) is True
    assert cache.add("teller", 5, 30) is False
    assert cache.incr("teller") == 2
    cache.set_many({"a": {"x": [1, 2]}, "b": "tekst"}, 30)
    assert cache.get_many(["a", "b", "c"]) == {"a": {"x": [1, 2]}, "b": "tekst"}
    cache.delete("a")
    assert cache.get("a", "weg") == "weg"


def test_the_shared_client_is_safe_across_threads(cache):
    cache.set("teller", 0, 60)
    errors = []

    def bump():
        try:
            for _ in range(50):
                cache.incr("teller")
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("teller") == 400
