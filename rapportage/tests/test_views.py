"""Who may see the report pages, and the PDF cache as a user meets it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.pdf import RenderedPdf
from core.tests.factories import make_staff
from rapportage import services
from rapportage.models import RapportRender

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("rapportage:dashboard")
FULL_PDF = reverse("rapportage:pdf")
XLSX = reverse("rapportage:xlsx")


def _session_pdf(session):
    return reverse("rapportage:session_pdf", kwargs={"slug": session.slug})


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def no_render(monkeypatch):
    """Access tests do not need a real PDF; count the renders instead."""
    calls = []

    def fake_render(html, *, time_limit):
        calls.append(len(html))
        return RenderedPdf(content=b"%PDF-1.7 test", pages=1)

    monkeypatch.setattr(services, "render_pdf", fake_render)
    return calls


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, FULL_PDF, XLSX])
def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [DASHBOARD, FULL_PDF, XLSX])
def test_facilitator_may_not_see_the_whole_report(client, facilitator_a, url):
    client.force_login(facilitator_a)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["programmateam", "superuser"])
def test_programme_staff_and_superuser_see_the_dashboard(client, request, findings, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    content = response.content.decode()
    assert FULL_PDF in content
    assert XLSX in content
    assert reverse("rapportage:voorbeeld") in content
    assert _session_pdf(findings.noord) in content


@pytest.mark.parametrize("role", ["programmateam", "superuser"])
def test_programme_staff_and_superuser_download_the_full_report(client, request, findings, no_render, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(FULL_PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert _body(response) == b"%PDF-1.7 test"


def test_facilitator_downloads_the_report_of_their_own_session(client, facilitator_a, findings, no_render):
    client.force_login(facilitator_a)
    response = client.get(_session_pdf(findings.noord))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_facilitator_may_not_download_another_sessions_report(client, facilitator_b, findings, no_render):
    client.force_login(facilitator_b)
    assert client.get(_session_pdf(findings.noord)).status_code == 403
    assert no_render == []


def test_anonymous_visitor_is_sent_to_log_in_for_a_session_report(client, findings):
    response = client.get(_session_pdf(findings.noord))
    assert response.status_code == 302


def test_unknown_session_gives_404_to_staff(client, programmateam):
    client.force_login(programmateam)
    assert client.get(reverse("rapportage:session_pdf", kwargs={"slug": "bestaat-niet"})).status_code == 404


def test_staff_without_a_group_gets_403(client, findings):
    user = make_staff("los")
    client.force_login(user)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(_session_pdf(findings.noord)).status_code == 403


def test_xlsx_export_holds_every_obstacle(client, programmateam, findings):
    from openpyxl import load_workbook

    client.force_login(programmateam)
    response = client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    titles = {str(cell) for row in rows[1:] for cell in row if cell}
    assert "Te weinig datakennis" in titles
    assert "Cofinanciering onzeker" in titles  # concept ones are exported too, with their status
    assert len(rows) - 1 == 8


# --- cache and background rendering -------------------------------------------------------------


def test_unchanged_report_is_served_from_the_cache(client, programmateam, findings, no_render):
    client.force_login(programmateam)
    first = client.get(FULL_PDF)
    second = client.get(FULL_PDF)
    assert first.status_code == second.status_code == 200
    assert len(no_render) == 1
    assert RapportRender.objects.filter(status="done").count() == 1


def test_a_changed_finding_gives_a_new_pdf(client, programmateam, findings, no_render):
    client.force_login(programmateam)
    client.get(FULL_PDF)
    obstacle = findings.obstacles[2]
    obstacle.title = "Geen structureel budget voor innovatie en beheer"
    obstacle.save()
    client.get(FULL_PDF)
    assert len(no_render) == 2
    assert RapportRender.objects.filter(status="done").values("fingerprint").distinct().count() == 2


def test_a_changed_lamp_post_finding_gives_a_new_pdf(client, programmateam, findings, no_render):
    from belemmeringen.models import LichtmastBevinding

    client.force_login(programmateam)
    client.get(FULL_PDF)
    bevinding = LichtmastBevinding.objects.first()
    bevinding.text += " Aangevuld."
    bevinding.save()
    client.get(FULL_PDF)
    assert len(no_render) == 2


def test_full_and_session_reports_are_cached_separately(client, programmateam, findings, no_render):
    client.force_login(programmateam)
    client.get(FULL_PDF)
    client.get(_session_pdf(findings.noord))
    client.get(_session_pdf(findings.noord))
    assert len(no_render) == 2


def test_cached_file_that_disappeared_is_rendered_again(client, programmateam, findings, no_render):
    client.force_login(programmateam)
    client.get(FULL_PDF)
    render = RapportRender.objects.get()
    render.pdf.storage.delete(render.pdf.name)
    assert client.get(FULL_PDF).status_code == 200
    assert len(no_render) == 2


def test_big_report_is_rendered_in_the_background_with_a_progress_page(
    client, programmateam, findings, no_render, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_MAX_OBSTACLES", 3)
    client.force_login(programmateam)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(FULL_PDF)
    render = RapportRender.objects.get()
    assert render.status == "pending"
    assert response.status_code == 302
    status_url = reverse("rapportage:render_status", kwargs={"pk": render.pk})
    assert response["Location"] == status_url
    assert no_render == []  # the web request did not render

    page = client.get(status_url)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()
    assert "7 belemmeringen wordt op de achtergrond gemaakt" in page.content.decode()

    # Asking again while it is queued does not queue a second render.
    client.get(FULL_PDF)
    assert RapportRender.objects.count() == 1

    # The worker runs the task (immediate backend in tests).
    for callback in callbacks:
        callback()
    render.refresh_from_db()
    assert render.status == "done"
    assert len(no_render) == 1

    page = client.get(status_url).content.decode()
    download = reverse("rapportage:render_download", kwargs={"pk": render.pk})
    # Ready: the progress page sends the browser straight on to the file (no second click), and
    # keeps a button for a browser that does not follow.
    assert f'<meta http-equiv="refresh" content="0;url={download}">' in page
    assert f'href="{download}"' in page
    assert _body(client.get(download)) == b"%PDF-1.7 test"
    # And the next request for the unchanged report gets the file straight away.
    assert client.get(FULL_PDF).status_code == 200


def test_old_download_link_whose_file_was_pruned_leads_to_the_current_report(
    client, programmateam, findings, no_render
):
    client.force_login(programmateam)
    client.get(FULL_PDF)
    render = RapportRender.objects.get()
    render.pdf.storage.delete(render.pdf.name)
    response = client.get(reverse("rapportage:render_download", kwargs={"pk": render.pk}))
    assert response.status_code == 302
    assert response["Location"] == FULL_PDF


def test_a_render_lost_by_a_restarted_worker_does_not_block_new_requests(client, programmateam, findings, no_render):
    from datetime import timedelta

    from django.utils import timezone

    from rapportage.data import build_report

    stuck = RapportRender.objects.create(fingerprint=build_report().fingerprint(), status="running")
    RapportRender.objects.filter(pk=stuck.pk).update(created=timezone.now() - timedelta(hours=2))
    client.force_login(programmateam)
    assert client.get(FULL_PDF).status_code == 200
    assert len(no_render) == 1


def test_render_status_of_a_session_report_follows_that_sessions_access(
    client, facilitator_a, facilitator_b, findings, no_render
):
    render = services.request_report(session=findings.noord)
    url = reverse("rapportage:render_status", kwargs={"pk": render.pk})
    client.force_login(facilitator_a)
    assert client.get(url).status_code == 200
    client.force_login(facilitator_b)
    assert client.get(url).status_code == 403


def test_failed_render_shows_a_dutch_message_not_a_server_error(client, programmateam, findings, monkeypatch):
    def failing(html, *, time_limit):
        raise services.RenderError("Het maken van de PDF duurde langer dan 60 seconden en is gestopt.")

    monkeypatch.setattr(services, "render_pdf", failing)
    client.force_login(programmateam)
    response = client.get(FULL_PDF)
    assert response.status_code == 503
    content = response.content.decode()
    assert "Het rapport kon niet worden gemaakt." in content
    assert "duurde langer dan 60 seconden" in content


@pytest.mark.slow
def test_real_download_is_a_pdf_of_the_report(client, programmateam, findings, monkeypatch):
    monkeypatch.setattr(services, "INLINE_TIME_LIMIT", 600)  # a busy CI machine is not a slow render
    client.force_login(programmateam)
    response = client.get(FULL_PDF)
    reader = PdfReader(io.BytesIO(_body(response)))
    assert "Het boodschappenlijstje" in " ".join(page.extract_text() for page in reader.pages)
