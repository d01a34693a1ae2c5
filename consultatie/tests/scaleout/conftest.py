"""Fixtures for the scale-out test: one production stack for the module, torn down whatever happens.

Runs only with `-m scaleout` (pytest.ini deselects it by default: it restarts PostgreSQL in CI) and only
when DATABASE_URL names a PostgreSQL server; the stack gets a fresh database of its own on that server.
"""

from __future__ import annotations

import itertools
import os

import pytest

from consultatie.tests.scaleout.harness import Stack, is_postgres_url

_slugs = itertools.count(1)


@pytest.fixture(scope="module")
def stack(request):
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres_url(url):
        pytest.skip("The scale-out test needs DATABASE_URL pointing at PostgreSQL (see docs/deploy.md).")
    stack = Stack(url, redis_db=int(os.environ.get("SCALEOUT_REDIS_DB", "6")))
    request.addfinalizer(stack.close)
    try:
        stack.start()
    except Exception as exc:
        pytest.fail(f"The stack did not start: {exc}\n{stack.logs()}")
    return stack


@pytest.fixture
def web(stack):
    """Both web instances running and healthy at the start of each test."""
    stack.ensure_web()
    return stack


@pytest.fixture
def session_factory(stack):
    """A fresh regional session with few seats, so each test counts only its own registrations."""

    def make(capacity: int) -> dict:
        return stack.probe("create-session", f"scaleout-{next(_slugs)}", str(capacity))

    return make
