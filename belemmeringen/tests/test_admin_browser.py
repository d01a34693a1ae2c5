"""The findings page in a real browser: the sub-topic list follows the chosen theme (static JS, no inline
script), and the page raises no script errors or CSP violations."""

from __future__ import annotations

import os
import threading

import pytest
from django.test import Client
from django.urls import reverse

from consultatie.tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def in_browser(base_url: str, cookies: list[dict], steps) -> None:
    """Run `steps(page)` in Chromium, in a thread of its own: the browser tests in consultatie/tests/e2e keep
    a session-wide Playwright event loop in the main thread, and Playwright's sync API refuses to start a
    second one there."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    failure: list[BaseException] = []

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(
                        base_url=base_url, locale="nl-NL", viewport={"width": 1400, "height": 900}
                    )
                    context.add_cookies(cookies)
                    page = context.new_page()
                    page.set_default_timeout(20_000)
                    steps(page)
                finally:
                    browser.close()
        except BaseException as e:
            failure.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(180)
    if failure:
        raise failure[0]
    assert not thread.is_alive(), "the browser did not finish within 3 minutes"


def visible_options(page, name: str) -> list[str]:
    return page.evaluate(
        "name => Array.from(document.querySelector(`select[name='${name}']`).options)"
        ".filter(o => !o.hidden && o.value).map(o => o.text)",
        name,
    )


def test_subthema_choices_follow_the_theme_on_the_findings_page(
    reference_data, staff_groups, facilitator_a, session_a, live_server
):
    client = Client()
    client.force_login(facilitator_a)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    problems: list[str] = []

    def steps(page):
        # Script errors, CSP refusals, and failed requests other than the browser's own favicon probe.
        page.on(
            "console",
            lambda m: (
                problems.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None,
        )

        page.goto(reverse("admin:belemmeringen_sessiebevindingen_change", args=[session_a.pk]))
        page.select_option("select[name='belemmeringen-0-thema']", label="Technisch")
        assert visible_options(page, "belemmeringen-0-subthema") == ["Standaarden", "Centraal of decentraal"]
        page.select_option("select[name='belemmeringen-0-subthema']", label="Standaarden")
        page.select_option("select[name='belemmeringen-0-thema']", label="Juridisch")
        assert visible_options(page, "belemmeringen-0-subthema") == [
            "Nieuwe samenwerkingsvormen",
            "Dataprotectie",
            "Aanbesteden van innovatie",
        ]
        # A sub-topic of the previous theme is cleared rather than left behind.
        assert page.input_value("select[name='belemmeringen-0-subthema']") == ""
        # A row added with "Nog een ... toevoegen" is filtered too.
        page.get_by_text("Nog een Belemmering toevoegen").click()
        page.select_option("select[name='belemmeringen-3-thema']", label="Financiering")
        assert visible_options(page, "belemmeringen-3-subthema") == [
            "Budgetallocatie binnen de lopende begroting",
            "Cofinanciering",
            "Use cases en vraagbundeling",
        ]

    in_browser(live_server.url, cookies, steps)
    assert problems == []
