"""A facilitator's journey in a real browser: log in, enter obstacles and the lamp-post answer on their
session's page, import a spreadsheet, mark the obstacles `vastgesteld`, and find another region's
session out of reach."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import Workbook

from belemmeringen.models import Belemmering, LichtmastAntwoord
from consultatie.tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _spreadsheet(path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.title = "Belemmeringen"
    sheet.append(["Thema", "Subthema", "Titel", "Niveau", "Dimensie", "Herkend door", "Behoeften"])
    sheet.append(["Juridisch", "", "Privacyregels per gemeente anders uitgelegd", "Nationaal", "Nationaal", 7, ""])
    sheet.append(["Financiering", "", "Geen budget na de pilotfase", "Lokaal", "Verticaal", 4, "Opschalingsfonds"])
    book.save(path)
    return str(path)


def test_facilitator_enters_imports_and_establishes_findings_for_their_own_session_only(
    page, facilitator_a, session_a, session_b, tmp_path
):
    log_in(page, facilitator_a.username)

    # Findings per session: the facilitator's own session is the only one listed.
    page.goto(reverse("admin:belemmeringen_sessiebevindingen_changelist"))
    assert page.get_by_role("link", name=session_a.title).is_visible()
    assert page.get_by_role("link", name=session_b.title).count() == 0
    page.get_by_role("link", name=session_a.title).click()
    page.wait_for_url(f"**/sessiebevindingen/{session_a.pk}/change/")

    # Two obstacles in the first empty rows, and the lamp-post verdict.
    page.select_option("#id_belemmeringen-0-thema", label="Technisch")
    page.fill("#id_belemmeringen-0-title", "Sensoren van leveranciers praten niet met elkaar")
    page.select_option("#id_belemmeringen-0-level", value="nationaal")
    page.select_option("#id_belemmeringen-0-dimension", value="nationaal")
    page.fill("#id_belemmeringen-0-recognised_by", "9")
    page.select_option("#id_belemmeringen-1-thema", label="Organisatie")
    page.fill("#id_belemmeringen-1-title", "Geen eigenaar voor data na de pilot")
    page.select_option("#id_belemmeringen-1-level", value="lokaal")
    page.select_option("#id_belemmeringen-1-dimension", value="horizontaal")
    page.select_option("#id_lichtmast_antwoord-0-verdict", value="voorwaarden")
    page.fill("#id_lichtmast_antwoord-0-summary", "Kan, als de voeding ook overdag beschikbaar is.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_load_state("load")
    assert page.locator(".errornote").count() == 0, page.locator("#content").inner_text()

    entered = Belemmering.objects.filter(session=session_a).order_by("title")
    assert [(b.title, b.thema.name, b.level, b.status, b.created_by) for b in entered] == [
        ("Geen eigenaar voor data na de pilot", "Organisatie", "lokaal", "concept", facilitator_a),
        ("Sensoren van leveranciers praten niet met elkaar", "Technisch", "nationaal", "concept", facilitator_a),
    ]
    antwoord = LichtmastAntwoord.objects.get(session=session_a)
    assert (antwoord.verdict, antwoord.summary) == ("voorwaarden", "Kan, als de voeding ook overdag beschikbaar is.")

    # Spreadsheet import: preview first, then confirm.
    page.goto(reverse("admin:belemmeringen_belemmering_import"))
    assert page.locator("#id_session option:checked").inner_text() == str(session_a)
    assert page.locator("#id_session option").all_inner_texts() == ["---------", str(session_a)]
    page.set_input_files("#id_import_file", _spreadsheet(tmp_path / "belemmeringen.xlsx"))
    page.select_option("#id_format", label="xlsx")
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Geen budget na de pilotfase").first.is_visible()
    assert Belemmering.objects.filter(session=session_a).count() == 2  # the preview saved nothing
    page.get_by_role("button", name="Import bevestigen").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Import voltooid: 2 nieuw, 0 bijgewerkt, 0 ongewijzigd.").is_visible()
    assert Belemmering.objects.filter(session=session_a).count() == 4

    # Mark all four `vastgesteld` with the list's action.
    page.goto(reverse("admin:belemmeringen_belemmering_changelist"))
    page.check("#action-toggle")
    page.select_option("select[name=action]", value="markeer_vastgesteld")
    page.get_by_role("button", name="Uitvoeren").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("4 belemmeringen vastgesteld.").is_visible()
    assert set(Belemmering.objects.filter(session=session_a).values_list("status", flat=True)) == {"vastgesteld"}

    # Another region's session is out of reach: its findings page, its obstacles, its report.
    # A plain not-found page, as for a page that does not exist (issue 15), not the admin's bounce.
    response = page.goto(reverse("admin:belemmeringen_sessiebevindingen_change", args=[session_b.pk]))
    assert response.status == 404
    assert page.get_by_text(session_b.title).count() == 0
    assert page.get_by_text("Deze pagina bestaat niet").first.is_visible()
    response = page.goto(reverse("rapportage:session_pdf", kwargs={"slug": session_b.slug}))
    assert response.status == 403
    response = page.goto(reverse("admin:regiosessies_regiosessie_change", args=[session_b.pk]))
    assert response.status in (403, 404) or page.url.endswith("/admin/")
    assert session_b.title not in page.locator("body").inner_text()
