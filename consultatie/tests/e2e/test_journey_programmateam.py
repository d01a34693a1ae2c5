"""Programme staff's journey in a real browser: open the dashboard, download the report, and read the
PDF's text back to see the established findings in it (and the concept ones left out)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from belemmeringen.models import Knelpunt, LichtmastAntwoord, Niveau
from belemmeringen.tests.factories import make_belemmering
from consultatie.tests.e2e.helpers import log_in
from regiosessies.models import Regiosessie

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The live server runs in this process, so the rendered PDF lands in this throw-away folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def _obstacle(session, title: str, *, status: str, thema: str = "Technisch", level: str = Niveau.NATIONAAL):
    entry = make_belemmering(
        session, thema=thema, subthema=None, title=title, level=level, recognised_by=6, status=status
    )
    if status == "vastgesteld":
        # The report counts knelpunten: the programme team groups each established entry under one.
        entry.knelpunt = Knelpunt.objects.create(title=title, thema=entry.thema, level=level)
        entry.save()
    return entry


def test_programme_staff_download_the_report_and_it_holds_the_established_findings(
    page, programmateam, session_a, session_b
):
    _obstacle(session_a, "Sensordata sluiten niet op elkaar aan", status="vastgesteld")
    _obstacle(
        session_b, "Aanbesteding van innovatie loopt vast", status="vastgesteld", thema="Juridisch", level="regionaal"
    )
    _obstacle(session_b, "Nog niet besproken conceptpunt", status="concept")
    # A session's lamp-post answer counts once the session has been held (the report leaves sessions
    # still to come out of the RQ2 tally): Noord was held two days ago.
    held = timezone.now() - timedelta(days=2)
    Regiosessie.objects.filter(pk=session_a.pk).update(start=held, end=held + timedelta(hours=3))
    LichtmastAntwoord.objects.create(session=session_a, verdict="voorwaarden", summary="Alleen met voeding overdag.")

    log_in(page, programmateam.username)
    page.goto("/rapportage/")
    assert page.get_by_role("heading", name="Rapportage", level=1).is_visible()
    figures = page.locator(".key-figures")
    assert figures.locator("div", has_text="Vastgestelde inbreng").locator("dd").inner_text() == "2"
    assert figures.locator("div", has_text="Knelpunten").locator("dd").inner_text() == "2"
    # What stands between the data and the report: the concept entry, linked to the admin's list.
    assert page.get_by_role("link", name="Alle inbreng in concept (1)").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Rapport over alle regiosessies (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((pdf_page.extract_text() or "").split()) for pdf_page in reader.pages)

    assert "Sensordata sluiten niet op elkaar aan" in text
    assert "Aanbesteding van innovatie loopt vast" in text
    assert "Nog niet besproken conceptpunt" not in text
    assert "Noord" in text and "Zuid" in text
    assert "Alleen met voeding overdag." in text
