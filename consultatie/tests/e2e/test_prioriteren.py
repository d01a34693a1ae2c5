"""The ballot page in a real browser: casting a ballot with the keyboard alone, the running total,
and axe-core with and without errors at 320 and 1280 px, with no sideways scrolling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from belemmeringen.models import Behoefte, Niveau
from belemmeringen.tests.factories import make_need
from consultatie.tests.e2e.test_keyboard import focused, tab_until
from prioritering.models import Stemregel
from prioritering.selectors import ballot_order
from prioritering.tests.factories import make_round
from regiosessies.tests.factories import make_session, register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def ballot(db):
    session = make_session("noord", regio_name="Noord")
    aanmelding = register(session, "noor@example.nl", "Noor Visser")
    description = "Een landelijke plek waar gemeenten hun ervaringen met opschalen delen en terugvinden."
    needs = [
        make_need(title, level=level, support_type=Behoefte.Ondersteuning.KENNIS, description=description)
        for title, level in [
            ("Kennisnetwerk opschaling", Niveau.NATIONAAL),
            ("Meerjarig innovatiebudget in de begroting", Niveau.LOKAAL),
            ("Regionale inkoopsamenwerking", Niveau.REGIONAAL),
            ("Landelijke datastandaard voor sensoren in de openbare ruimte", Niveau.NATIONAAL),
        ]
    ]
    ronde = make_round(needs, starts_at=timezone.now() - timedelta(hours=1))
    order = ballot_order(needs, token=aanmelding.token, round_id=ronde.pk)
    return aanmelding, ronde, order


def path(aanmelding) -> str:
    return f"/aanmelding/{aanmelding.token}/prioriteiten/"


def test_a_ballot_can_be_cast_with_the_keyboard_alone(page, ballot):
    aanmelding, ronde, order = ballot
    fields = [f"id_punten-{need.pk}" for need in order]
    page.goto(aanmelding.get_absolute_url())
    tab_until(page, "link:Mijn punten verdelen", limit=60)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{path(aanmelding)}")

    # A mistake first: 6 on one need. Enter sends; the focus lands on the error summary, whose link
    # takes it to the field.
    tab_until(page, fields[0], limit=60)
    page.keyboard.type("6")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page) == "foutoverzicht"
    page.keyboard.press("Tab")
    assert focused(page).startswith("link:")
    page.keyboard.press("Enter")
    assert focused(page) == fields[0]

    # Now 5, 3 and 2, field after field with Tab; the running total follows.
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    assert focused(page) == fields[1]
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    total = page.locator("#puntentotaal")
    assert total.inner_text().strip() == "U heeft 10 van de 10 punten verdeeld. Nog 0 over."
    assert total.get_attribute("aria-live") == "polite"
    page.keyboard.press("Tab")
    assert focused(page) == fields[3]
    page.keyboard.press("Tab")
    assert focused(page) == "button:Punten opslaan"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Uw punten zijn opgeslagen" in page.content()
    stored = dict(Stemregel.objects.values_list("behoefte_id", "points"))
    assert stored == {order[0].pk: 5, order[1].pk: 3, order[2].pk: 2}


def test_the_running_total_warns_when_over_budget(page, ballot):
    aanmelding, ronde, order = ballot
    page.goto(path(aanmelding))
    for need in order[:3]:
        page.fill(f"#id_punten-{need.pk}", "4")
    total = page.locator("#puntentotaal")
    assert total.inner_text().strip() == "U heeft 12 van de 10 punten verdeeld: 2 te veel."
    assert "is-over" in total.get_attribute("class")


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["", "/en"], ids=["nl", "en"])
def test_the_ballot_page_has_no_violations_and_no_sideways_scroll(page, axe_check, ballot, width, lang):
    aanmelding, ronde, order = ballot
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{lang}{path(aanmelding)}")
    axe_check(page, f"{lang} ballot {width}px")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{lang} ballot scrolls sideways at {width}px"

    # With errors: too many on one need, too many in total.
    for need in order:
        page.fill(f"#id_punten-{need.pk}", "6")
    with page.expect_navigation():
        page.locator("form.ballot button[type=submit]").click()
    assert page.locator("#foutoverzicht").count() == 1
    axe_check(page, f"{lang} ballot with errors {width}px")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{lang} ballot with errors scrolls sideways at {width}px"


@pytest.mark.parametrize("width", [320, 1280])
def test_the_personal_page_with_the_ballot_link_has_no_violations(page, axe_check, ballot, width):
    aanmelding, ronde, order = ballot
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(aanmelding.get_absolute_url())
    assert page.get_by_role("link", name="Mijn punten verdelen").count() == 1
    axe_check(page, f"personal page with ballot link {width}px")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
