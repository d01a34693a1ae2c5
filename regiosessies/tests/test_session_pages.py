"""Session pages as a visitor meets them: a clear button per card, a closed session that says why, the
route and calendar links; and the English text staff entered, with the Dutch as fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from regiosessies.tests.factories import make_session


@pytest.mark.django_db
class TestCards:
    def test_each_card_has_a_button_and_no_title_link(self, client, session_a):
        html = client.get(reverse("regiosessies:list")).content.decode()
        assert "Bekijk sessie en meld u aan" in html
        assert f'<a href="{session_a.get_absolute_url()}">{session_a.regio.name}:' not in html

    def test_choose_page_offers_registration_and_a_look_at_the_session(self, client, session_a):
        html = client.get(reverse("regiosessies:kies")).content.decode()
        assert "Aanmelden voor Noord" in html and "Bekijk sessie" in html


@pytest.mark.django_db
class TestClosedSaysWhy:
    def test_registration_closed_names_the_date(self, client):
        closes = timezone.now() - timedelta(days=1)
        session = make_session("dicht", registration_closes=closes)
        html = client.get(session.get_absolute_url()).content.decode()
        assert "Aanmelding gesloten op" in html
        form_html = client.get(reverse("regiosessies:aanmelden", args=[session.slug])).content.decode()
        assert "Aanmelding gesloten op" in form_html
        assert "gesloten ." not in form_html and "gesloten\n." not in form_html

    def test_a_held_session_says_it_was_held(self, client):
        session = make_session("geweest", days=-7)
        html = client.get(session.get_absolute_url()).content.decode()
        assert "de sessie is gehouden op" in html

    def test_a_started_session_says_it_started(self):
        session = make_session("bezig", days=0)
        assert session.closed_reason(now=session.start + timedelta(minutes=5)) == "started"


@pytest.mark.django_db
class TestRouteAndCalendar:
    def test_page_links_to_openstreetmap_and_the_calendar_file(self, client, session_a):
        html = client.get(session_a.get_absolute_url()).content.decode()
        assert "https://www.openstreetmap.org/search?query=Stadhuis%2C+Markt+1%2C+Noord" in html
        assert reverse("regiosessies:agenda", args=[session_a.slug]) in html
        assert "<iframe" not in html and '<script src="http' not in html

    def test_calendar_file_is_the_session_without_personal_data(self, client, session_a, register_person):
        register_person(session_a)
        response = client.get(reverse("regiosessies:agenda", args=[session_a.slug]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        [event] = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["SUMMARY"]) == session_a.title
        assert "Markt 1" in str(event["LOCATION"])
        assert "anna" not in response.content.decode().lower()


@pytest.mark.django_db
class TestEnglishText:
    def test_english_site_shows_the_english_title_and_description(self, client):
        session = make_session("engels", title_en="Regional session North", description_en="An afternoon.")
        session.regio.name_en = "The North"
        session.regio.save()
        html = client.get(f"/en{session.get_absolute_url()}").content.decode()
        assert "Regional session North" in html and "An afternoon." in html and "The North" in html
        assert 'lang="nl"' not in html.split("<main", 1)[1].split("</main>")[0]

    def test_without_english_the_dutch_shows_marked_as_dutch(self, client, session_a):
        html = client.get(f"/en{session_a.get_absolute_url()}").content.decode()
        assert f'<h1 lang="nl">{session_a.title}</h1>' in html

    def test_dutch_site_keeps_the_dutch(self, client):
        session = make_session("nl", title_en="Regional session")
        html = client.get(session.get_absolute_url()).content.decode()
        assert f"<h1>{session.title}</h1>" in html

    def test_seeded_themes_and_sub_topics_have_english_names(self, client):
        html = client.get("/en/").content.decode()
        assert "Funding" in html and "Co-financing" in html and "Central or decentral" in html
        assert "Cofinanciering" not in html

    def test_registration_form_lists_themes_in_english(self, client, session_a):
        html = client.get(f"/en{reverse('regiosessies:aanmelden', args=[session_a.slug])}").content.decode()
        assert "Legal" in html and "Juridisch" not in html
