"""Registering with the keyboard alone: Tab to move, Space to tick, Enter to follow and send, and
typing into the fields. No mouse, no clicks."""

from __future__ import annotations

import pytest

from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUSED = """() => {
  const el = document.activeElement;
  return el.id || (el.tagName === 'A' ? 'link:' + el.textContent.trim() : el.tagName.toLowerCase() + ':' + el.textContent.trim());
}"""


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def tab_until(page, target: str, limit: int = 40) -> list[str]:
    """Press Tab until `target` has the focus; return every stop on the way (the target included)."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1] == target:
            return stops
    raise AssertionError(f"{target} never got the focus; stops were {stops}")


def test_registration_works_with_the_keyboard_alone(page):
    session = make_session("noord", regio_name="Noord")
    page.goto(session.get_absolute_url())

    tab_until(page, "link:Aanmelden voor deze sessie")
    page.keyboard.press("Enter")
    page.wait_for_url("**/aanmelden/")

    # A mistake first: sending with Enter in an empty form moves the focus to the error summary,
    # and the summary's links take the focus to the field.
    tab_until(page, "id_name")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page) == "foutoverzicht"
    page.keyboard.press("Tab")
    assert focused(page) == "link:Naam: Vul uw naam in."
    page.keyboard.press("Enter")
    assert focused(page) == "id_name"

    # Every field in reading order; the hidden anti-spam field is never a stop.
    page.keyboard.type("Noor Visser")
    stops = tab_until(page, "button:Aanmelden")
    assert stops == [
        "id_email",
        "id_organisation_type",
        "id_organisation",
        "id_role",
        "id_themes_0",
        "id_themes_1",
        "id_themes_2",
        "id_themes_3",
        "id_needs",
        "id_remarks",
        "id_consent",
        "link:privacyverklaring",
        "id_results_consent",
        "button:Aanmelden",
    ]
    assert "id_website" not in stops

    # Back from the button, over the optional results consent and the privacy link, to the consent box.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert focused(page) == "id_consent"
    page.keyboard.press("Space")
    for _ in range(10):  # back up to the e-mail field
        page.keyboard.press("Shift+Tab")
    assert focused(page) == "id_email"
    page.keyboard.type("noor@example.nl")
    page.keyboard.press("Tab")
    page.keyboard.type("Pro")  # a closed select picks the option you type, as a keyboard user would
    page.keyboard.press("Tab")
    page.keyboard.type("Provincie Drenthe")
    tab_until(page, "id_themes_3")
    page.keyboard.press("Space")
    tab_until(page, "button:Aanmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/aanmelden/verstuurd/")

    aanmelding = Aanmelding.objects.get()
    assert (aanmelding.name, aanmelding.email, aanmelding.organisation_type, aanmelding.organisation) == (
        "Noor Visser",
        "noor@example.nl",
        "provincie",
        "Provincie Drenthe",
    )
    assert [thema.name for thema in aanmelding.themes.all()] == ["Technisch"]
    assert aanmelding.status == Aanmelding.Status.CONFIRMED


def test_focus_is_always_visible_on_the_registration_form(page):
    """WCAG 2.4.7: every stop shows a focus outline (or box shadow) the eye can find."""
    session = make_session("noord", regio_name="Noord")
    page.goto(f"{session.get_absolute_url()}aanmelden/")
    invisible = []
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break  # past the last stop of the page
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                 return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                         shadow: s.boxShadow !== 'none'}; }"""
        )
        if not (style["outline"] or style["shadow"]):
            invisible.append(focused(page))
    assert invisible == []
