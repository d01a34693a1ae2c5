"""The published results and open data in a browser: every page in Dutch and English, at 320 and 1280 px
wide, answers 200, has no axe violations (WCAG 2.0/2.1 A and AA), does not scroll sideways and breaks no
rule of the Content-Security-Policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from belemmeringen.services import change_knelpunt_status
from rapportage.tests.factories import make_findings
from resultaten.services import publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["", "/en"]
WIDTHS = [320, 1280]
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture
def published(session_a, session_b):
    findings = make_findings(session_a, session_b)
    publicatie, _ = publish()
    # A change after publication, so the knelpunt page shows a timeline step marked as such.
    change_knelpunt_status(
        knelpunt=findings.knelpunten["K1"],
        status="programma",
        explanation="Komt in het kennisplatform van het programma.",
        at=timezone.now() + timedelta(minutes=1),
    )
    return publicatie


def result_paths(publicatie) -> list[str]:
    paths = [
        "/resultaten/",
        "/resultaten/rapport/",
        "/resultaten/versies/",
        f"/resultaten/versies/{publicatie.version}/",
        "/open-data/",
    ]
    paths += [f"/resultaten/knelpunten/{k['id']}/" for k in publicatie.data["knelpunten"][:2]]
    paths += [f"/resultaten/{r['slug']}/" for r in publicatie.data["regions"]]
    return paths


def check_page(page, axe_check, path: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    failures = []
    wide = page.evaluate(WIDER_THAN_VIEWPORT)
    if wide["scroll"] > wide["width"]:
        failures.append(f"{path} at {width} px scrolls sideways: {wide}")
    try:
        axe_check(page, f"{path} at {width} px")
    except AssertionError as error:
        failures.append(str(error))
    return failures


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_every_results_page_is_accessible_and_reflows(page, axe_check, published, lang):
    blocked: list[str] = []  # what the Content-Security-Policy stopped (the frozen report included)
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    failures = []
    for width in WIDTHS:
        for path in result_paths(published):
            failures += check_page(page, axe_check, f"{lang}{path}", width)
    assert failures == [], "\n\n".join(failures)
    assert blocked == []


@pytest.mark.parametrize("lang", LANGUAGES, ids=["nl", "en"])
def test_pages_before_the_first_publication_are_accessible(page, axe_check, session_a, lang):
    failures = []
    for width in WIDTHS:
        for path in ("/resultaten/", "/open-data/"):
            failures += check_page(page, axe_check, f"{lang}{path}", width)
    assert failures == [], "\n\n".join(failures)


def test_a_visitor_goes_from_home_to_a_knelpunt_and_its_timeline(page, published):
    page.goto("/")
    page.get_by_role("link", name="Bekijk de resultaten").click()
    page.get_by_role("link", name="Pilotresultaten worden niet gedeeld").first.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Pilotresultaten worden niet gedeeld"
    timeline = page.locator("ol.timeline")
    assert "Komt in het kennisplatform van het programma." in timeline.inner_text()
    assert "na de publicatie" in timeline.inner_text()
