"""The per-client rate limit on form posts, kept in the shared cache so it holds across processes."""

from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import RequestFactory
from django_redis import get_redis_connection

from core import ratelimit
from core.tests.factories import without_service


@pytest.fixture
def group():
    """A fresh counter name per test, so no test needs to clear a cache that others may share."""
    return f"test-{uuid.uuid4().hex}"


def post_from(address: str, **meta):
    return RequestFactory().post("/x/", REMOTE_ADDR=address, **meta)


def test_the_counter_lives_in_a_shared_cache_not_process_memory():
    backend = django_settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django_redis.cache.RedisCache",
    }


@pytest.mark.django_db
def test_each_client_and_each_form_has_its_own_count(group):
    assert [ratelimit.is_limited(post_from("192.0.2.1"), group=group, limit=2) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert ratelimit.is_limited(post_from("192.0.2.2"), group=group, limit=2) is False
    assert ratelimit.is_limited(post_from("192.0.2.1"), group=group + "-b", limit=2) is False


@pytest.mark.django_db
def test_a_new_window_starts_a_new_count(monkeypatch, group):
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(ratelimit, "_clock", lambda: clock["now"])
    assert ratelimit.is_limited(post_from("192.0.2.3"), group=group, limit=1) is False
    assert ratelimit.is_limited(post_from("192.0.2.3"), group=group, limit=1) is True
    clock["now"] += ratelimit.WINDOW_SECONDS
    assert ratelimit.is_limited(post_from("192.0.2.3"), group=group, limit=1) is False


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(settings, group):
    settings.TRUST_X_FORWARDED_FOR = False
    results = [
        ratelimit.is_limited(post_from("192.0.2.4", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), group=group, limit=1)
        for n in range(2)
    ]
    assert results == [False, True]


@pytest.mark.django_db
def test_a_broken_cache_lets_people_through(monkeypatch, group):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    monkeypatch.setattr(ratelimit.cache, "incr", broken)
    assert ratelimit.is_limited(post_from("192.0.2.5"), group=group, limit=0) is False


# Production and the scale-out test count in Redis, with one pipelined INCR + EXPIRE per POST.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}",
        }
    }
    try:
        caches["default"].get("ping")
    except Exception as exc:  # pragma: no cover - depends on the machine
        without_service(f"no Redis at {REDIS_URL}: {exc}")
    yield caches["default"]


def test_on_redis_the_count_is_one_round_trip_that_expires(redis_cache, group, monkeypatch):
    clock = {"now": 2_000_000.0}
    monkeypatch.setattr(ratelimit, "_clock", lambda: clock["now"])
    assert [ratelimit.is_limited(post_from("192.0.2.6"), group=group, limit=2) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert ratelimit.is_limited(post_from("192.0.2.7"), group=group, limit=2) is False
    # The window's key goes away by itself shortly after the window ends.
    bucket = int(clock["now"] // ratelimit.WINDOW_SECONDS)
    key = redis_cache.make_key(f"ratelimit:{group}:192.0.2.6:{bucket}")
    client = get_redis_connection("default")
    assert int(client.get(key)) == 3
    assert 0 < client.ttl(key) <= ratelimit.WINDOW_SECONDS + 5
    clock["now"] += ratelimit.WINDOW_SECONDS
    assert ratelimit.is_limited(post_from("192.0.2.6"), group=group, limit=2) is False


def test_on_redis_a_broken_connection_lets_people_through(redis_cache, group, monkeypatch):
    def broken(self, *args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr("redis.client.Pipeline.execute", broken)
    assert ratelimit.is_limited(post_from("192.0.2.8"), group=group, limit=0) is False
