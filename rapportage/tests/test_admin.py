"""The report texts in the admin: one row, editable by programme staff, shown escaped in the report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapportage.data import build_report
from rapportage.models import RapportTekst
from rapportage.pdf import report_html

pytestmark = pytest.mark.django_db


def test_programme_staff_edit_the_report_texts(client, programmateam):
    tekst = RapportTekst.load()
    client.force_login(programmateam)
    url = reverse("admin:rapportage_rapporttekst_change", args=[tekst.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Eindrapport consultatie",
            "subtitle": "Zes regio's",
            "author": "Programmateam",
            "publication_date": "2026-12-15",
            "version": "1.0",
            "introduction": "Eerste alinea.\n\nTweede <b>alinea</b>.",
            "answer_rq1": "Vooral nationaal.\n- standaarden\n- <script>x</script>",
            "rq2_verdict": "voorwaarden",
            "answer_rq2": "Ja, als de voeding overdag er is.",
            "conclusions": "",
            "method": "Zes sessies.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    texts = build_report().texts
    assert texts.title == "Eindrapport consultatie"
    assert str(texts.publication_date) == "2026-12-15"
    html = report_html(build_report())
    # Blank lines become paragraphs, "- " lines a list; typed HTML stays text.
    assert '<p class="typed">Eerste alinea.</p>' in html
    assert '<p class="typed">Tweede &lt;b&gt;alinea&lt;/b&gt;.</p>' in html
    assert "<li>standaarden</li><li>&lt;script&gt;x&lt;/script&gt;</li>" in html
    assert "Oordeel van het programmateam: Ja, onder voorwaarden." in html
    # The chapter nobody wrote is said to be missing, not left out.
    assert "Dit onderdeel is nog niet geschreven: de conclusies." in html


def test_programme_staff_write_the_programme_proposal(client, programmateam, findings):
    client.force_login(programmateam)
    response = client.post(
        reverse("admin:rapportage_programmaonderdeel_add"),
        {
            "title": "Landelijk kennisplatform",
            "order": "1",
            "aim": "Pilotresultaten delen.",
            "offer": "- een platform\n- een community",
            "first_steps": "Kwartiermaker aanstellen.",
            "level": "nationaal",
            "organiser": "IenW met VNG",
            "behoeften": [findings.needs["N1"].pk],
            "knelpunten": [findings.knelpunten["K1"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = build_report().programme[0]
    assert (item.title, item.needs, item.knelpunten) == (
        "Landelijk kennisplatform",
        ["Kennisplatform pilots"],
        ["Pilotresultaten worden niet gedeeld"],
    )


def test_facilitator_cannot_open_the_programme_proposal(client, facilitator_a):
    client.force_login(facilitator_a)
    assert client.get(reverse("admin:rapportage_programmaonderdeel_changelist")).status_code == 403


def test_there_is_only_one_row_of_texts(client, superuser):
    client.force_login(superuser)
    assert RapportTekst.objects.count() == 1  # made by the migration
    assert client.get(reverse("admin:rapportage_rapporttekst_add")).status_code == 403
    tekst = RapportTekst.objects.get()
    assert client.get(reverse("admin:rapportage_rapporttekst_delete", args=[tekst.pk])).status_code == 403


def test_facilitator_cannot_edit_the_report_texts(client, facilitator_a):
    client.force_login(facilitator_a)
    tekst = RapportTekst.load()
    assert client.get(reverse("admin:rapportage_rapporttekst_change", args=[tekst.pk])).status_code == 403


def test_programme_staff_see_rendered_reports_read_only(client, programmateam):
    client.force_login(programmateam)
    assert client.get(reverse("admin:rapportage_rapportrender_changelist")).status_code == 200
    assert client.get(reverse("admin:rapportage_rapportrender_add")).status_code == 403
