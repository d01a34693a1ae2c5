"""The browser preview (same template as the PDF) and the dashboard of what is missing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from belemmeringen.models import LichtmastAntwoord
from rapportage.tests.factories import set_texts
from regiosessies.models import Aanmelding

pytestmark = pytest.mark.django_db

PREVIEW = reverse("rapportage:voorbeeld")
DASHBOARD = reverse("rapportage:dashboard")


def _session_preview(session):
    return reverse("rapportage:session_preview", kwargs={"slug": session.slug})


@pytest.mark.parametrize("role", ["programmateam", "superuser"])
def test_programme_staff_preview_the_whole_report_as_a_web_page(client, request, findings, role):
    client.force_login(request.getfixturevalue(role))
    set_texts(answer_rq1="Vooral nationale knelpunten.")
    response = client.get(PREVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "Vooral nationale knelpunten." in html
    assert "Bijlage A: alle knelpunten" in html
    # A web page: the site's static files, a link to the PDF, one h1.
    assert "/static/css/rapport-web.css" in html and "static.invalid" not in html
    assert reverse("rapportage:pdf") in html
    assert html.count("<h1") == 1


def test_facilitator_previews_their_own_sessions_report_only(client, facilitator_a, findings):
    client.force_login(facilitator_a)
    response = client.get(_session_preview(findings.noord))
    assert response.status_code == 200
    assert "Regiosessie Noord" in response.content.decode()
    assert client.get(_session_preview(findings.zuid)).status_code == 403
    assert client.get(PREVIEW).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in_for_the_preview(client, findings):
    for url in (PREVIEW, _session_preview(findings.noord)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_preview_of_an_unknown_session_is_404_for_staff(client, programmateam):
    client.force_login(programmateam)
    assert client.get(reverse("rapportage:session_preview", kwargs={"slug": "bestaat-niet"})).status_code == 404


def _missing(response) -> dict[str, str]:
    """The dashboard's to-do items by key, as their HTML."""
    html = response.content.decode()
    items = {}
    for key in ("chapters", "programme", "ungrouped", "concept", "attendance", "verdict"):
        start = html.index(f'id="ontbreekt-{key}"')
        items[key] = html[start : html.index("</li>\n", start)]
    return items


def test_dashboard_lists_what_stands_between_the_data_and_a_sendable_report(client, programmateam, findings):
    # Zuid held, but nobody marked present; Noord's lamp-post verdict still unknown.
    Aanmelding.objects.filter(session=findings.zuid).update(attended=False)
    LichtmastAntwoord.objects.filter(session=findings.noord).update(verdict=LichtmastAntwoord.Oordeel.ONBEKEND)
    set_texts(introduction="Voorwoord.", answer_rq1="", rq2_verdict="", answer_rq2="", conclusions="", method="")
    client.force_login(programmateam)
    items = _missing(client.get(DASHBOARD))

    assert "Antwoord op onderzoeksvraag 1" in items["chapters"]
    assert "Eindoordeel onderzoeksvraag 2" in items["chapters"]
    assert "Voorwoord" not in items["chapters"]
    assert reverse("admin:rapportage_programmaonderdeel_add") in items["programme"]
    # The counts link to the admin's filtered lists, and the entries are named.
    assert "?knelpunt=geen&amp;status__exact=vastgesteld" in items["ungrouped"]
    assert "Te weinig datakennis" in items["ungrouped"]
    concept_list = reverse("admin:belemmeringen_belemmering_changelist") + "?status__exact=concept"
    assert f'href="{concept_list}">Alle inbreng in concept (1)</a>' in items["concept"]
    assert "Cofinanciering onzeker" in items["concept"]
    presentielijst = reverse("admin:regiosessies_regiosessie_presentielijst", args=[findings.zuid.pk])
    assert presentielijst in items["attendance"] and "Regiosessie Zuid" in items["attendance"]
    assert "Regiosessie Noord" not in items["attendance"]
    bevindingen = reverse("admin:belemmeringen_sessiebevindingen_change", args=[findings.noord.pk])
    assert bevindingen in items["verdict"] and "Regiosessie Zuid" not in items["verdict"]


def test_dashboard_says_in_order_when_nothing_is_missing(client, programmateam, findings):
    from belemmeringen.models import Belemmering
    from rapportage.models import ProgrammaOnderdeel

    set_texts(introduction="a", answer_rq1="b", rq2_verdict="voorwaarden", answer_rq2="c", conclusions="d", method="e")
    ProgrammaOnderdeel.objects.create(title="Onderdeel", aim="Doel.", offer="Aanbod.")
    Belemmering.objects.filter(status="concept").delete()
    Belemmering.objects.filter(knelpunt__isnull=True).update(knelpunt=findings.knelpunten["K1"])
    client.force_login(programmateam)
    items = _missing(client.get(DASHBOARD))
    for key, html in items.items():
        assert "In orde" in html, key
