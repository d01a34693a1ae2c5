"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per call,
and a counter that expires (`incr_expiring`) for the rate limit.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache operation, and
redis-py's constructor fills a table of some 170 response callbacks each time: about 0.3 ms per call
on the production machine, more than the round trip to Redis itself. Every page served from the page
cache and every rate-limited POST makes such a call. A `redis.Redis` is safe to share between threads
(each command borrows a connection from the pool and returns it) and its pool reconnects after a
fork, so one per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_expiring(self, key, timeout: int, version=None) -> int:
        """Add one to `key` (created at 1 if missing) and let it expire `timeout` seconds from now, in
        one round trip (a pipelined INCR + EXPIRE); returns the new count."""
        key = self.make_and_validate_key(key, version=version)
        pipe = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, timeout)
        count, _ = pipe.execute()
        return int(count)
