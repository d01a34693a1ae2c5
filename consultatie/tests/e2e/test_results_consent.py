"""The results-email switch on the personal page and the unsubscribe pages, in a real browser: switching
on and off by keyboard-reachable buttons, the confirmation message, no sideways scrolling at 320 px, and
axe-core at 0 violations (Dutch and English, 320 and 1280 px)."""

from __future__ import annotations

import pytest

from regiosessies import services
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import register
from terugkoppeling.emails import unsubscribe_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def aanmelding(session_a):
    return register(session_a, "sam@example.nl", "Sam de Boer", organisation_type="inwoner")


def consent(aanmelding) -> bool:
    return Aanmelding.objects.get(pk=aanmelding.pk).results_consent


@pytest.mark.parametrize("lang", ["", "/en"], ids=["nl", "en"])
@pytest.mark.parametrize("width", [320, 1280])
def test_switching_the_results_email_on_and_off_on_the_personal_page(page, axe_check, aanmelding, lang, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{lang}{aanmelding.get_absolute_url()}")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{width}px: the personal page scrolls sideways"
    axe_check(page, f"{lang} personal page, results off, {width}px")

    page.locator("#resultaten-titel ~ form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".messages .alert").is_visible()
    assert consent(aanmelding) is True
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{width}px: the page with the message scrolls sideways"
    axe_check(page, f"{lang} personal page, results just switched on, {width}px")

    page.locator("#resultaten-titel ~ form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert consent(aanmelding) is False


@pytest.mark.parametrize("lang", ["", "/en"], ids=["nl", "en"])
def test_unsubscribe_pages_have_no_violations_and_do_not_scroll_sideways(page, axe_check, aanmelding, lang):
    services.set_results_consent(aanmelding=aanmelding, consent=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{lang}/berichten/afmelden/{unsubscribe_token(aanmelding.pk)}/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe_check(page, f"{lang} unsubscribe: confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert consent(aanmelding) is False
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe_check(page, f"{lang} unsubscribe: done")
    page.goto(f"{lang}/berichten/afmelden/{aanmelding.pk}:vals/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe_check(page, f"{lang} unsubscribe: broken link", status=404)
