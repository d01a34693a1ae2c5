"""Browser fixtures: Playwright driving Debian's Chromium against Django's live server.

Chromium comes from the system (`apt-get install chromium`), never from a download: this network is closed.
Without it the browser tests are skipped locally, but fail in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run there
# unless told that this thread is synchronous test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install it (apt-get install chromium).")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _record_document_status(page)
    yield page
    context.close()


def _record_document_status(page) -> None:
    """Remember the HTTP status of the document the page shows: the last main-frame navigation response
    (after a redirect, the page it landed on), whether reached by goto, a link or a form post."""
    page.document_status = None

    def on_response(response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            page.document_status = response.status

    page.on("response", on_response)


@pytest.fixture
def axe_check():
    """Run axe-core on the page for the WCAG 2.0/2.1 A and AA rules; fail with the report on any violation.

    The page's status is asserted first (200 unless `status` says otherwise): an error page that passes
    axe must not stand in for the page the test meant to check."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str = "", *, status: int = 200) -> None:
        page.wait_for_load_state("load")
        assert page.document_status == status, f"{label or page.url}: status {page.document_status}, not {status}"
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{label or page.url}:\n{results.generate_report()}"

    return check


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Every browser test starts with an empty cache. The database cache table is not flushed between
    transactional tests, so the per-client registration counters (10 a minute from 127.0.0.1) carried
    over: in a fast run the suite's earlier form posts made a later test's post a 429."""
    if "live_server" not in request.fixturenames and "page" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def seeded_data(request):
    """The rows migrations seed (themes, sub-topics, staff groups with their permissions), present in
    every browser test. serialized_rollback restores them after other transactional tests flush the
    tables (the root conftest.py requires it of every transactional test); re-seeding is idempotent and
    keeps the browser tests independent of that."""
    if "live_server" not in request.fixturenames and "page" not in request.fixturenames:
        return
    request.getfixturevalue("db")  # the module's django_db(transaction=True, ...) mark decides how
    import importlib

    from django.apps import apps

    from belemmeringen.tests.factories import seed_reference_data
    from core.permissions import sync_role_groups

    seed_reference_data()
    # The English names 0008_english_names gives the seeded themes, lost with the flush like the rows.
    importlib.import_module("belemmeringen.migrations.0008_english_names").fill_english(apps, None)
    # The role groups, as every migrate leaves them (core.permissions).
    sync_role_groups(create_missing=True)
