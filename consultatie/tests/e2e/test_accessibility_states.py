"""axe-core (WCAG 2.0/2.1 A and AA) on every state a visitor can meet, in Dutch and in English:
open, full, closed, not yet open and cancelled sessions; the form with errors; the 'check your
mailbox' page; the personal page of a confirmed, a waiting and a cancelled registration; the
contact form with and without errors; the 429 and 404 pages. Any violation fails the test (and CI)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultatie.tests.e2e.helpers import log_in
from regiosessies import services
from regiosessies.tests.factories import make_session, register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["", "/en"]  # Dutch at the unprefixed URLs, English under /en/


@pytest.fixture
def axe_collect(axe_check):
    """Check many pages in one test and report every failing page at once."""
    failures: dict[str, str] = {}

    def check(page, label: str, *, status: int = 200) -> None:
        try:
            axe_check(page, label, status=status)
        except AssertionError as error:
            failures[label] = str(error)

    check.failures = failures
    return check


@pytest.fixture
def sessions(db):
    now = timezone.now()
    sessions = {
        "open": make_session("open-sessie", regio_name="Noord"),
        "full": make_session("volle-sessie", regio_name="Oost", capacity=1),
        "closed": make_session("gesloten-sessie", regio_name="West", registration_closes=now - timedelta(days=1)),
        "not_yet_open": make_session("nog-niet-open", regio_name="Zuid", registration_opens=now + timedelta(days=3)),
        "cancelled": make_session("geannuleerde-sessie", regio_name="Midden", cancelled=True),
    }
    register(sessions["full"], "bezet@example.nl", "Bezet", organisation_type="bedrijf")
    return sessions


def _register(session, email: str):
    return register(session, email, "Sam de Boer", organisation_type="inwoner")


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_every_session_state_and_its_form_have_no_violations(page, axe_collect, sessions, lang):
    for state, session in sessions.items():
        page.goto(f"{lang}{session.get_absolute_url()}")
        axe_collect(page, f"{lang} detail {state}")
        page.goto(f"{lang}/regiosessies/{session.slug}/aanmelden/")
        axe_collect(page, f"{lang} form {state}")
    page.goto(f"{lang}/regiosessies/")
    axe_collect(page, f"{lang} list with every state")
    page.goto(f"{lang}/aanmelden/")
    axe_collect(page, f"{lang} choose a region with every state")
    assert axe_collect.failures == {}, "\n\n".join(axe_collect.failures.values())


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_form_with_errors_and_the_pages_after_registering_have_no_violations(page, axe_collect, sessions, lang):
    page.goto(f"{lang}/regiosessies/{sessions['open'].slug}/aanmelden/")
    page.locator("form.cp-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#foutoverzicht").is_visible()
    axe_collect(page, f"{lang} form with every error")

    page.locator("#id_email").fill("geen-adres")
    page.locator("form.cp-form button[type=submit]").click()
    page.wait_for_load_state("load")
    axe_collect(page, f"{lang} form with an invalid address")

    page.locator("#id_name").fill("Sam de Boer")
    page.locator("#id_email").fill("sam@example.nl")
    page.locator("#id_organisation_type").select_option("inwoner")
    page.locator("#id_consent").check()
    page.locator("form.cp-form button[type=submit]").click()
    page.wait_for_url("**/verstuurd/")
    axe_collect(page, f"{lang} check your mailbox")

    confirmed = _register(sessions["open"], f"bevestigd{lang.strip('/')}@example.nl")
    waiting = _register(sessions["full"], f"wachtend{lang.strip('/')}@example.nl")
    cancelled_session = _register(sessions["open"], f"sessie-weg{lang.strip('/')}@example.nl")
    page.goto(f"{lang}{confirmed.get_absolute_url()}")
    axe_collect(page, f"{lang} personal page, confirmed")
    page.goto(f"{lang}{waiting.get_absolute_url()}")
    axe_collect(page, f"{lang} personal page, waiting list")

    page.goto(f"{lang}/aanmelding/{waiting.token}/annuleren/")
    axe_collect(page, f"{lang} cancel: are you sure?")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".messages .alert").is_visible()
    axe_collect(page, f"{lang} personal page just cancelled, with message")
    page.goto(f"{lang}/aanmelding/{confirmed.token}/wijzigen/")
    axe_collect(page, f"{lang} change your details")
    page.locator("#id_name").fill("")
    page.locator("form.cp-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#foutoverzicht").is_visible()
    axe_collect(page, f"{lang} change your details, with an error")

    services.cancel_session(session=sessions["open"])
    page.goto(f"{lang}{cancelled_session.get_absolute_url()}")
    axe_collect(page, f"{lang} personal page, session cancelled")
    assert axe_collect.failures == {}, "\n\n".join(axe_collect.failures.values())


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_contact_404_and_static_pages_have_no_violations(page, axe_collect, lang):
    page.goto(f"{lang}/contact/")
    axe_collect(page, f"{lang} contact form")
    page.locator("form.cp-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#foutoverzicht").is_visible()
    axe_collect(page, f"{lang} contact form with errors")
    page.locator("#id_name").fill("Sam de Boer")
    page.locator("#id_email").fill("sam@example.nl")
    page.locator("#id_subject").fill("Parkeren")
    page.locator("#id_message").fill("Is er parkeergelegenheid bij de locatie?")
    page.locator("form.cp-form button[type=submit]").click()
    page.wait_for_url("**/verzonden/")
    axe_collect(page, f"{lang} contact sent")

    for path in ["/", "/privacy/", "/toegankelijkheid/"]:
        page.goto(f"{lang}{path}")
        axe_collect(page, f"{lang}{path}")
    response = page.goto(f"{lang}/bestaat-niet/")
    assert response.status == 404
    axe_collect(page, f"{lang} 404", status=404)
    assert axe_collect.failures == {}, "\n\n".join(axe_collect.failures.values())


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_too_many_requests_page_has_no_violations(page, axe_check, settings, sessions, lang):
    settings.REGISTRATION_RATE_LIMIT = 0  # the very first form post is one too many
    page.goto(f"{lang}/contact/")
    with page.expect_response(lambda r: r.request.method == "POST") as response_info:
        page.locator("form.cp-form button[type=submit]").click()
    assert response_info.value.status == 429
    page.wait_for_load_state("load")
    axe_check(page, f"{lang} 429", status=429)


def test_report_dashboard_has_no_violations(page, axe_check, programmateam, session_a):
    log_in(page, programmateam.username)
    page.goto("/rapportage/")
    axe_check(page, "report dashboard")


def test_a_page_that_breaks_a_rule_fails_the_check(page, axe_check):
    # Guards the guard: if axe stopped reporting (wrong tags, broken script), every test above would pass.
    page.goto("/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/img/favicon.svg';"
        " document.querySelector('main').append(img); }"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page, "home with an image without alt text")


CONTRAST = """(selector) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((c) => {
      c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null).map((el) => {
    const edge = lum(getComputedStyle(el).borderTopColor), page = lum('rgb(255, 255, 255)');
    return [el.id, (Math.max(edge, page) + 0.05) / (Math.min(edge, page) + 0.05)];
  });
}"""


def test_form_fields_and_checkboxes_have_edges_with_enough_contrast(page, session_a):
    """WCAG 1.4.11 (axe does not check it): a field's edge must stand out 3:1 from the white page."""
    page.goto(f"/regiosessies/{session_a.slug}/aanmelden/")
    ratios = page.evaluate(CONTRAST, ".cp-form input, .cp-form select, .cp-form textarea")
    assert len(ratios) >= 10
    assert [(field, round(ratio, 2)) for field, ratio in ratios if ratio < 3] == []


def test_labels_of_required_fields_are_not_coloured_like_errors(page, session_a):
    page.goto(f"/regiosessies/{session_a.slug}/aanmelden/")
    label = page.evaluate("getComputedStyle(document.querySelector('label[for=id_name]')).color")
    body = page.evaluate("getComputedStyle(document.body).color")
    assert label == body
