"""Staff pages in a real browser (issue 15): the findings page and the obstacle list fit a 1280 px screen
with "Behoeften" and "Status" in view, the 403 page is the site's own and passes axe, and a finished
report downloads without a second click."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from belemmeringen.models import Niveau, Subthema
from belemmeringen.tests.factories import make_belemmering, make_need
from consultatie.tests.e2e.helpers import log_in
from rapportage.models import RapportRender

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_TITLE = "Inkopers kennen de markt voor slimme toepassingen in de openbare ruimte van middelgrote gemeenten niet"


def _entries(session, count: int = 8) -> None:
    subthema = Subthema.objects.filter(thema__name="Technisch").first()
    needs = [
        make_need(f"Landelijk opschalingsprogramma voor gedeelde sensordata, deel {i}", level=Niveau.NATIONAAL)
        for i in range(3)
    ]
    for i in range(count):
        entry = make_belemmering(
            session,
            thema="Technisch",
            subthema=subthema.name,
            title=f"{LONG_TITLE} ({i})",
            dimension="horizontaal",
            recognised_by=12,
        )
        entry.behoeften.set(needs)


def _no_sideways_scroll(page) -> dict:
    return page.evaluate(
        """() => ({
            doc: document.documentElement.scrollWidth, viewport: window.innerWidth,
            overflowing: [...document.querySelectorAll('#content-main, #content-main *')]
                .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
                              && el.tagName !== 'TEXTAREA' && el.tagName !== 'SELECT' && el.tagName !== 'INPUT')
                .map(el => `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
        })"""
    )


def test_findings_page_fits_1280_px_with_needs_and_status_in_view(page, facilitator_a, session_a):
    _entries(session_a)
    log_in(page, facilitator_a.username)
    page.goto(reverse("admin:belemmeringen_sessiebevindingen_change", args=[session_a.pk]))
    widths = _no_sideways_scroll(page)
    assert widths["doc"] <= widths["viewport"] == 1280, widths
    assert widths["overflowing"] == [], widths
    column = page.locator("#content-main").bounding_box()
    for field in ("behoeften", "status"):
        box = page.locator(f".field-{field}").first.bounding_box()
        assert box["x"] + box["width"] <= column["x"] + column["width"] + 1, (field, box, column)
    # Every field keeps its own label.
    assert page.get_by_label("Status").first.is_visible()
    assert page.get_by_text("Concept-belemmeringen komen pas in het rapport", exact=False).is_visible()


@pytest.mark.parametrize("role", ["facilitator_a", "programmateam"])
def test_obstacle_list_shows_its_columns_at_1280_px(page, request, role, session_a):
    _entries(session_a, count=3)
    user = request.getfixturevalue(role)
    log_in(page, user.username)
    page.goto(reverse("admin:belemmeringen_belemmering_changelist"))
    widths = _no_sideways_scroll(page)
    assert widths["doc"] <= widths["viewport"], widths
    assert widths["overflowing"] == [], widths
    headers = [h.strip().lower() for h in page.locator("#result_list thead th").all_inner_texts() if h.strip()]
    assert headers[:4] == ["titel en regio", "status", "thema / subthema", "niveau"], headers


@pytest.mark.parametrize(("prefix", "width"), [("", 1280), ("", 320), ("/en", 1280), ("/en", 320)])
def test_403_page_is_the_sites_own_accessible_page(page, facilitator_a, axe_check, prefix, width):
    log_in(page, facilitator_a.username)
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(f"{prefix}/rapportage/")
    assert response.status == 403
    assert page.locator("h1").inner_text() in (
        "U heeft geen toegang tot deze pagina",
        "You do not have access to this page",
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page, f"403 {prefix or '/'} at {width} px", status=403)


def test_finished_report_downloads_without_a_second_click(page, programmateam):
    render = RapportRender.objects.create(fingerprint="d" * 64, status=RapportRender.Status.DONE, page_count=3)
    render.pdf.save("klaar.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    log_in(page, programmateam.username)
    with page.expect_download() as download:
        page.goto(reverse("rapportage:render_status", kwargs={"pk": render.pk}))
    assert download.value.suggested_filename.endswith(".pdf")
    # The page itself says it is ready and keeps a button, should the browser not follow.
    assert page.get_by_role("link", name="Download het rapport (PDF)").is_visible()


SEARCHED_LISTS = [
    "admin:belemmeringen_belemmering_changelist",
    "admin:belemmeringen_knelpunt_changelist",
    "admin:regiosessies_regiosessie_changelist",
    "admin:regiosessies_aanmelding_changelist",
    "admin:belemmeringen_sessiebevindingen_changelist",
]


@pytest.mark.parametrize("width", [1280, 320])
def test_searched_change_lists_pass_axe_with_their_show_all_link(page, programmateam, session_a, axe_check, width):
    """A search shows "N resultaten (Alles tonen)": that link sits in a line of text, so it must be
    underlined (axe link-in-text-block), also at 320 px; so must the concept notice's link."""
    _entries(session_a, count=3)  # concept entries: the findings list shows its notice with a link
    log_in(page, programmateam.username)
    page.set_viewport_size({"width": width, "height": 800})
    for name in SEARCHED_LISTS:
        page.goto(reverse(name) + "?q=Noord")
        show_all = page.locator("#changelist-search .quiet a")
        if show_all.count():
            assert "underline" in show_all.first.evaluate("a => getComputedStyle(a).textDecorationLine"), name
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        axe_check(page, f"{name}, searched, at {width} px")
    page.goto(reverse("admin:belemmeringen_belemmering_changelist") + "?q=Inkopers")
    assert page.locator("#changelist-search a", has_text="Alles tonen").is_visible()
