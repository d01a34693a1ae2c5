"""A per-client limit on form submissions that holds across web processes.

Counts live in the shared Django cache (Redis or the database cache, see settings.CACHES), in a
fixed window per client address. On Redis (django-redis) one pipelined INCR + EXPIRE counts atomically. On other
caches `cache.add` starts the window and `cache.incr` counts in it; on the database cache `incr` is
read-then-write, so under a burst a few extra requests may slip through, which is acceptable for
abuse control (capacity is guarded elsewhere).
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.shortcuts import render
from django_redis import get_redis_connection
from django_redis.cache import RedisCache

from core.security import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def _clock() -> float:
    return time.time()


def _count(key: str, window: int) -> int:
    """Add one to `key` in the current window and return the new count."""
    if isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache):
        # Every POST passes here: one round trip instead of `add` followed by `incr`.
        return _count_in_redis(key, timeout=window + 5)
    try:
        cache.add(key, 0, timeout=window + 5)
        return cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this is the first request of a new window.
        cache.add(key, 1, timeout=window + 5)
        return 1


def _count_in_redis(key: str, *, timeout: int) -> int:
    """Add one to `key` (created at 1 if missing) and let it expire `timeout` seconds from now, in one
    round trip (a pipelined INCR + EXPIRE, on django-redis's pooled client); returns the new count."""
    key = caches[DEFAULT_CACHE_ALIAS].make_key(key)
    pipe = get_redis_connection(DEFAULT_CACHE_ALIAS).pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, timeout)
    count, _ = pipe.execute()
    return int(count)


def is_limited(request, *, group: str, limit: int | None = None, window: int = WINDOW_SECONDS) -> bool:
    """Count this request for its client in `group`; True once the client is over `limit` per window."""
    limit = limit if limit is not None else settings.REGISTRATION_RATE_LIMIT
    ip = client_ip(request) or "unknown"
    bucket = int(_clock() // window)
    try:
        count = _count(f"ratelimit:{group}:{ip}:{bucket}", window)
    except Exception:
        # A cache that is down must not stop people from registering; the other protections remain.
        logger.exception("Rate limit cache unavailable; request allowed.")
        return False
    return count > limit


def too_many_requests(request):
    """The Dutch 429 page."""
    response = render(
        request,
        "429.html",
        {"retry_after_seconds": WINDOW_SECONDS},
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def ratelimit_post(group: str):
    """Decorator for a view (function or `dispatch`): POSTs over the limit get the 429 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            # Works for plain views (request first) and for methods (self, request, ...).
            request = args[0] if hasattr(args[0], "method") else args[1]
            if request.method == "POST" and is_limited(request, group=group):
                return too_many_requests(request)
            return view(*args, **kwargs)

        return wrapped

    return decorator
