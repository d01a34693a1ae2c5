"""The public pages as a visitor sees them: accessible (axe, WCAG 2.1 A/AA) and usable with the keyboard."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("path", ["/", "/privacy/", "/toegankelijkheid/", "/regiosessies/", "/aanmelden/", "/en/"])
def test_public_page_has_no_accessibility_violations(page, axe_check, path):
    page.goto(path)
    axe_check(page, path)


def test_404_page_has_no_accessibility_violations(page, axe_check):
    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    axe_check(page, "404", status=404)


def test_phone_width_has_no_accessibility_violations(page, axe_check):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    axe_check(page, "home on a phone")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_home_page_shows_the_themes_and_leads_to_registration(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    for thema in ("Organisatie", "Financiering", "Juridisch", "Technisch"):
        assert page.get_by_role("heading", name=thema).is_visible()
    page.get_by_role("link", name="Aanmelden voor een regiosessie").first.click()
    page.wait_for_url("**/aanmelden/")
