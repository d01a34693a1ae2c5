"""The knelpunten pages in a real browser: axe finds no WCAG 2.1 A/AA violation, and no page scrolls
sideways at 320 or 1280 px (wide tables scroll inside their own box)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from belemmeringen import services
from belemmeringen.tests.factories import make_belemmering
from belemmeringen.tests.test_admin_browser import in_browser
from consultatie.tests.e2e.conftest import WCAG_TAGS
from regiosessies.tests.factories import make_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_grouping_pages_pass_axe_and_fit_320_and_1280_px(reference_data, staff_groups, programmateam, live_server):
    sessions = [make_session(slug, days=-d) for slug, d in (("groningen", 40), ("zwolle", 30), ("utrecht", 20))]
    pilot = [
        make_belemmering(s, title=t, description="Na afloop van een pilot verdwijnt de kennis met de projectleider.")
        for s, t in zip(
            sessions,
            [
                "Pilotresultaten worden niet gedeeld",
                "pilotresultaten  worden niet gedeeld",
                "Resultaten van pilots worden niet gedeeld",
            ],
            strict=False,
        )
    ]
    make_belemmering(sessions[0], title="Geen structureel budget na de pilot")
    make_belemmering(sessions[2], title="Geen structureel budget na afloop van de pilot")
    knelpunt = services.create_knelpunt(belemmeringen=pilot[:2], user=programmateam)
    services.change_knelpunt_status(knelpunt=knelpunt, status="programma", explanation="Spoor 1.")
    client = Client()
    client.force_login(programmateam)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    paths = [
        reverse("admin:belemmeringen_knelpunt_changelist"),
        reverse("admin:belemmeringen_knelpunt_change", args=[knelpunt.pk]),
        reverse("admin:belemmeringen_knelpunt_suggesties"),
        reverse("admin:belemmeringen_knelpunt_splitsen", args=[knelpunt.pk]),
        reverse("admin:belemmeringen_knelpunt_samenvoegen", args=[knelpunt.pk]),
        reverse("admin:belemmeringen_belemmering_changelist") + "?knelpunt=geen",
    ]
    problems: list[str] = []

    def steps(page):
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                response = page.goto(path)
                if response.status != 200:  # an error page must not stand in for the page axe should check
                    problems.append(f"{path} at {width} px answered {response.status}")
                    continue
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    problems.append(f"{path} at {width} px is {wide} px wide")
                results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                if results.violations_count:
                    problems.append(f"{path} at {width} px:\n{results.generate_report()}")
        assert "Maak één knelpunt van 2 belemmeringen" in page.goto(paths[2]).text()

    in_browser(live_server.url, cookies, steps)
    assert not problems, "\n".join(problems)
