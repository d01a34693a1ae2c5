"""No public page or state scrolls sideways on a phone (WCAG 1.4.10 Reflow: 320 CSS px), in Dutch or
English; the header leaves room for the content; and the personal page's cancel, undo and correct steps
work in a browser without violations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from regiosessies import services
from regiosessies.tests.factories import make_session, register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["", "/en"]
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture
def states(db):
    now = timezone.now()
    sessions = {
        "open": make_session(
            "open-sessie", regio_name="Noord-Nederland", title="Regiosessie Toegankelijkheidsverklaringsvoorbeeld"
        ),
        "full": make_session("volle-sessie", regio_name="Oost", capacity=1),
        "closed": make_session("gesloten-sessie", regio_name="West", registration_closes=now - timedelta(days=1)),
        "held": make_session("gehouden-sessie", regio_name="Zuidwest", days=-7),
        "not_yet_open": make_session("nog-niet-open", regio_name="Zuid", registration_opens=now + timedelta(days=3)),
        "cancelled": make_session("geannuleerde-sessie", regio_name="Midden", cancelled=True),
    }

    def sam(session, email):
        return register(session, email, "Sam de Boer", organisation_type="inwoner")

    people = {
        "confirmed": sam(sessions["open"], "zit@example.nl"),
        "full_seat": sam(sessions["full"], "bezet@example.nl"),
        "waiting": sam(sessions["full"], "wacht@example.nl"),
        "undoable": sam(sessions["open"], "terug@example.nl"),
    }
    services.cancel_registration(aanmelding=people["undoable"])
    # Cancelled after the seat went to the waiting list: the page explains why undo is not possible.
    people["seat_gone"] = people["full_seat"]
    services.cancel_registration(aanmelding=people["seat_gone"])
    return sessions, people


def public_paths(sessions, people) -> list[str]:
    paths = [
        "/",
        "/privacy/",
        "/toegankelijkheid/",
        "/regiosessies/",
        "/aanmelden/",
        "/contact/",
        "/contact/verzonden/",
    ]
    for session in sessions.values():
        paths += [session.get_absolute_url(), f"/regiosessies/{session.slug}/aanmelden/"]
    paths.append(f"/regiosessies/{sessions['open'].slug}/aanmelden/verstuurd/")
    for aanmelding in people.values():
        token = aanmelding.token
        paths += [f"/aanmelding/{token}/", f"/aanmelding/{token}/annuleren/", f"/aanmelding/{token}/wijzigen/"]
    paths.append("/bestaat-niet/")
    return paths


def assert_no_sideways_scroll(page, label: str) -> None:
    result = page.evaluate(WIDER_THAN_VIEWPORT)
    assert result["scroll"] <= result["width"], f"{label} scrolls sideways: {result}"


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_no_public_page_or_state_scrolls_sideways_on_a_phone(page, states, lang, width):
    sessions, people = states
    page.set_viewport_size({"width": width, "height": 800})
    failures = []
    for path in public_paths(sessions, people):
        page.goto(f"{lang}{path}")
        try:
            assert_no_sideways_scroll(page, f"{lang}{path}")
        except AssertionError as error:
            failures.append(str(error))
    # States that exist only after a submit: the forms with every error shown.
    for path in (
        f"/regiosessies/{sessions['open'].slug}/aanmelden/",
        "/contact/",
        f"/aanmelding/{people['confirmed'].token}/wijzigen/",
    ):
        page.goto(f"{lang}{path}")
        if path.endswith("/wijzigen/"):
            page.locator("#id_name").fill("")
        page.locator("form.cp-form button[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.locator("#foutoverzicht").is_visible()
        try:
            assert_no_sideways_scroll(page, f"{lang}{path} with errors")
        except AssertionError as error:
            failures.append(str(error))
    assert failures == []


def test_the_check_catches_a_page_that_is_too_wide(page):
    # Guards the guard: a fixed-width element must make the check fail.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    page.evaluate(
        "() => { const d = document.createElement('div'); d.style.width = '400px'; d.textContent = 'x';"
        " document.querySelector('main').append(d); }"
    )
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_no_sideways_scroll(page, "home with a 400 px block")


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_phone_header_leaves_the_first_screen_to_the_content(page, lang):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{lang}/")
    top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert top <= 170, f"the header takes {top} px of a 640 px screen"
    # Every menu link is still there and reachable, without a script.
    for name in (
        ["Over de consultatie", "Regiosessies", "Aanmelden"]
        if not lang
        else ["About the consultation", "Regional sessions", "Register"]
    ):
        assert page.get_by_role("navigation").get_by_role("link", name=name, exact=True).is_visible()


def test_cancel_asks_then_undo_gives_the_seat_back(page, axe_check, states):
    sessions, people = states
    aanmelding = people["confirmed"]
    page.goto(aanmelding.get_absolute_url())
    page.get_by_role("link", name="Aanmelding annuleren").click()
    assert page.get_by_role("heading", name="Weet u het zeker?").is_visible()
    axe_check(page, "cancel: are you sure")
    page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("status").get_by_text("Uw aanmelding is geannuleerd").is_visible()
    axe_check(page, "cancelled, undo offered")
    page.get_by_role("button", name="Annulering terugdraaien").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("U bent aangemeld en heeft een plaats").is_visible()
    aanmelding.refresh_from_db()
    assert aanmelding.status == "confirmed"


def test_seat_gone_page_explains_and_offers_registering_again(page, axe_check, states):
    sessions, people = states
    page.goto(people["seat_gone"].get_absolute_url())
    assert page.get_by_text("naar iemand van de wachtlijst gegaan", exact=False).is_visible()
    assert page.get_by_role("button", name="Annulering terugdraaien").count() == 0
    assert page.get_by_role("link", name="Opnieuw aanmelden").is_visible()
    axe_check(page, "cancelled, seat went to the waiting list")


def test_details_can_be_corrected_and_a_colleague_registered(page, states):
    sessions, people = states
    aanmelding = people["confirmed"]
    page.goto(aanmelding.get_absolute_url())
    page.get_by_role("link", name="Naam, organisatie of wensen wijzigen").click()
    assert page.get_by_text("Uw e-mailadres kunt u hier niet wijzigen", exact=False).is_visible()
    page.locator("#id_name").fill("Sam van Dijk")
    page.locator("#id_needs").fill("Rolstoeltoegankelijk")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Uw gegevens zijn bijgewerkt.").is_visible()
    assert page.get_by_text("Rolstoeltoegankelijk").is_visible()
    page.get_by_role("link", name="Een collega aanmelden voor deze sessie").click()
    page.wait_for_url(f"**/regiosessies/{sessions['open'].slug}/aanmelden/")


def test_session_page_links_route_and_calendar(page, axe_check, states):
    sessions, _ = states
    page.goto(sessions["open"].get_absolute_url())
    route = page.get_by_role("link", name="Route en kaart (OpenStreetMap)")
    assert route.get_attribute("href").startswith("https://www.openstreetmap.org/search?query=")
    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in uw agenda (.ics)").click()
    assert download.value.suggested_filename == "open-sessie.ics"
    page.goto(sessions["closed"].get_absolute_url())
    assert page.get_by_text("Aanmelding gesloten op", exact=False).is_visible()
    page.goto("/regiosessies/")
    assert page.get_by_role("link", name="Bekijk sessie").count() >= 4
    axe_check(page, "session list with buttons")
