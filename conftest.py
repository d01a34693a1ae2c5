"""Fixtures shared by every app's tests: the standing roles.

participant (a registration's link holder) lives in regiosessies' fixtures; here are the accounts:
facilitator of session A, facilitator of session B, programme staff, superuser; plus two sessions.
They are built by the owning apps' factories (core/tests/factories.py, regiosessies/tests/factories.py).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from core.tests.factories import make_staff, make_superuser
from regiosessies.tests.factories import make_session


def pytest_collection_modifyitems(config, items):
    """Every transactional test rolls back by serialisation (`django_db(transaction=True,
    serialized_rollback=True)`). A transactional test without it ends with a flush that runs post_migrate,
    which creates the content types, permissions and role groups again under new ids; the next test with
    serialized_rollback then restores the saved rows over them and fails at setup with `UNIQUE constraint
    failed: django_content_type...`. With it, every flush leaves the tables empty for the next restore."""

    def transactional(item) -> bool:
        mark = item.get_closest_marker("django_db")
        by_fixture = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        return bool((mark and mark.kwargs.get("transaction")) or by_fixture)

    def serialized(item) -> bool:
        mark = item.get_closest_marker("django_db")
        return bool(mark and mark.kwargs.get("serialized_rollback"))

    lacking = [item.nodeid for item in items if transactional(item) and not serialized(item)]
    if lacking:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True as well (see conftest.py): " + ", ".join(lacking)
        )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "page_cache: runs with the public page cache on (the with_and_without_page_cache fixture)"
    )


@pytest.fixture
def page_cache_on(settings):
    """The public page cache on, as in production, in a local-memory cache of this test's own (the test
    settings turn the cache off). A write's invalidation runs on commit: wrap writes whose effect a later
    GET should show in django_capture_on_commit_callbacks(execute=True), as a request's commit would."""
    import uuid

    from django.core.cache import caches

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"pc-{uuid.uuid4()}"}
    }
    local = caches["default"]
    yield
    # This object, not `cache`: a test may have switched to Redis, where clear() empties the whole database.
    local.clear()


@pytest.fixture(params=["cache off", pytest.param("cache on", marks=pytest.mark.page_cache)])
def with_and_without_page_cache(request):
    """Runs a test twice: as the test settings have it (cache off) and with the page cache on, the path
    production takes. A module opts in with `pytest.mark.usefixtures("with_and_without_page_cache")`;
    `-m page_cache` runs the cache-on half alone."""
    if request.param == "cache on":
        request.getfixturevalue("page_cache_on")


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in Dutch. A request to /en/ activates English for the thread (LocaleMiddleware
    does not switch back), which would otherwise leak into the next test's reverse() and templates."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def session_a(db):
    return make_session("noord", regio_name="Noord")


@pytest.fixture
def session_b(db):
    return make_session("zuid", regio_name="Zuid", days=21)


@pytest.fixture
def facilitator_a(db, session_a):
    user = make_staff("fac-a", "Facilitator")
    session_a.facilitators.add(user)
    return user


@pytest.fixture
def facilitator_b(db, session_b):
    user = make_staff("fac-b", "Facilitator")
    session_b.facilitators.add(user)
    return user


@pytest.fixture
def programmateam(db):
    return make_staff("programma", "Programmateam")


@pytest.fixture
def superuser(db):
    return make_superuser("root")
