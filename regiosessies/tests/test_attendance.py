"""The printable attendance list: who is on it, in which order, and that rendering stays inside the project."""

from __future__ import annotations

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from pypdf import PdfReader

from core import pdf as core_pdf
from core.pdf import STATIC_BASE_URL, RenderError, RenderTimeout, StaticOnlyURLFetcher
from regiosessies import services
from regiosessies.attendance import attendees, render_attendance_pdf
from regiosessies.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def register(session, name, organisation, **extra):
    return factories.register(
        session, f"{name.split()[0].lower()}@example.nl", name, organisation=organisation, **extra
    )


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def filled_session(session_a):
    session_a.capacity = 3
    session_a.save()
    register(session_a, "Zoë de Vries", "Gemeente Groningen")
    register(session_a, "Anna Bakker", "Provincie Drenthe")
    weg = register(session_a, "Carla Afgemeld", "Waterschap Noorderzijlvest")
    register(session_a, "Bert Wachtlijst", "Hanzehogeschool")  # waiting at first, promoted after Carla cancels
    register(session_a, "Dirk Wachter", "Kennisinstelling Noord")  # stays on the waiting list
    services.cancel_registration(aanmelding=weg)
    return session_a


def test_attendees_are_the_confirmed_registrations_sorted_by_name(filled_session):
    assert [a.name for a in attendees(filled_session)] == ["Anna Bakker", "Bert Wachtlijst", "Zoë de Vries"]


def test_pdf_lists_confirmed_people_with_organisation_and_leaves_out_the_rest(filled_session):
    text, reader = pdf_text(render_attendance_pdf(sessions=[filled_session]))
    assert "Presentielijst" in text
    assert filled_session.title in text
    assert filled_session.venue_name in text
    assert "Handtekening" in text
    for name, organisation in [
        ("Anna Bakker", "Provincie Drenthe"),
        ("Bert Wachtlijst", "Hanzehogeschool"),
        ("Zoë de Vries", "Gemeente Groningen"),
    ]:
        assert name in text
        assert organisation in text
    assert "Carla Afgemeld" not in text
    assert "Dirk Wachter" not in text
    assert text.index("Anna Bakker") < text.index("Bert Wachtlijst") < text.index("Zoë de Vries")
    assert "Pagina 1 van 1" in text
    # A4 portrait: 595 x 842 points.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_long_list_gets_numbered_pages(session_a):
    session_a.capacity = 60
    session_a.save()
    for i in range(45):
        register(session_a, f"Deelnemer{i:02d} Achternaam", f"Organisatie {i}")
    text, reader = pdf_text(render_attendance_pdf(sessions=[session_a]))
    pages = len(reader.pages)
    assert pages >= 2
    assert f"Pagina 1 van {pages}" in text and f"Pagina {pages} van {pages}" in text
    assert "Deelnemer00" in text and "Deelnemer44" in text


def test_names_cannot_pull_in_outside_resources(session_a):
    register(session_a, '<img src="http://127.0.0.1:1/x.png"> Eva', '<link rel="stylesheet" href="file:///etc/passwd">')
    text, _reader = pdf_text(render_attendance_pdf(sessions=[session_a]))
    # Escaped by the template: the markup is printed as text, not fetched.
    assert "Eva" in text and "img src" in text


def test_fetcher_serves_project_static_files_only():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(STATIC_BASE_URL + "css/print-presentielijst.css")
    assert b"@page" in css.read()
    for url in [
        "http://example.com/x.css",
        "file:///etc/passwd",
        STATIC_BASE_URL + "../../consultatie/settings.py",
        STATIC_BASE_URL.replace("/static/", "/media/") + "upload.png",
        STATIC_BASE_URL + "css/bestaat-niet.css",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


@pytest.mark.parametrize("role", ["facilitator_a", "programmateam"])
def test_admin_link_downloads_the_attendance_list(client, request, role, filled_session):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:regiosessies_regiosessie_presentielijst", args=[filled_session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"presentielijst-{filled_session.slug}.pdf" in response["Content-Disposition"]
    text, _reader = pdf_text(response.content)
    assert "Anna Bakker" in text and "Carla Afgemeld" not in text


def test_change_page_links_to_the_attendance_list(client, facilitator_a, session_a):
    client.force_login(facilitator_a)
    response = client.get(reverse("admin:regiosessies_regiosessie_change", args=[session_a.pk]))
    assert reverse("admin:regiosessies_regiosessie_presentielijst", args=[session_a.pk]) in response.content.decode()


def test_admin_action_prints_one_list_per_selected_session(client, programmateam, filled_session, session_b):
    register(session_b, "Henk Zuid", "Gemeente Eindhoven")
    client.force_login(programmateam)
    response = client.post(
        reverse("admin:regiosessies_regiosessie_changelist"),
        {"action": "attendance_pdf", ACTION_CHECKBOX_NAME: [filled_session.pk, session_b.pk]},
    )
    assert response.status_code == 200
    text, reader = pdf_text(response.content)
    assert "Anna Bakker" in text and "Henk Zuid" in text
    # Each session starts on its own page.
    assert "Anna Bakker" in reader.pages[0].extract_text()
    assert "Henk Zuid" in reader.pages[-1].extract_text()
    assert "Henk Zuid" not in reader.pages[0].extract_text()


def test_the_list_uses_the_project_stylesheet_and_nothing_else(monkeypatch, session_a):
    register(session_a, '<img src="http://127.0.0.1:1/x.png"> Eva', "Gemeente Test")
    fetcher = StaticOnlyURLFetcher()
    # Rendered in this process (no fork), so the fetcher's bookkeeping can be read afterwards.
    monkeypatch.setattr(
        "regiosessies.attendance.render_pdf", lambda html, *, time_limit: core_pdf.write_pdf(html, fetcher=fetcher)
    )
    render_attendance_pdf(sessions=[session_a])
    assert fetcher.requested == [STATIC_BASE_URL + "css/print-presentielijst.css"]
    assert fetcher.refused == []


def _slow(html, fetcher=None):
    import time

    time.sleep(30)


def _broken(html, fetcher=None):
    raise RuntimeError("kapot")


def test_a_render_that_runs_too_long_is_stopped(monkeypatch, session_a):
    monkeypatch.setattr(core_pdf, "write_pdf", _slow)  # the forked child looks the name up in the module
    with pytest.raises(RenderTimeout):
        render_attendance_pdf(sessions=[session_a], time_limit=0.5)


def test_a_failed_render_from_the_change_page_shows_a_dutch_message(client, facilitator_a, session_a, monkeypatch):
    monkeypatch.setattr(core_pdf, "write_pdf", _broken)
    client.force_login(facilitator_a)
    response = client.get(reverse("admin:regiosessies_regiosessie_presentielijst", args=[session_a.pk]), follow=True)
    assert response.redirect_chain == [(reverse("admin:regiosessies_regiosessie_change", args=[session_a.pk]), 302)]
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(
        m.startswith("De presentielijst kon niet worden gemaakt. Het maken van de PDF is mislukt.") for m in shown
    )


def test_a_timed_out_render_from_the_admin_action_shows_a_dutch_message(client, programmateam, session_a, monkeypatch):
    def stopped(html, *, time_limit):
        raise RenderTimeout("Het maken van de PDF duurde langer dan 60 seconden en is gestopt.")

    monkeypatch.setattr("regiosessies.attendance.render_pdf", stopped)
    client.force_login(programmateam)
    changelist = reverse("admin:regiosessies_regiosessie_changelist")
    response = client.post(changelist, {"action": "attendance_pdf", ACTION_CHECKBOX_NAME: [session_a.pk]}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "De presentielijst kon niet worden gemaakt." in shown
    assert "duurde langer dan 60 seconden" in shown
    assert issubclass(RenderTimeout, RenderError)
