"""The public pages: every one answers in Dutch, with its key content and the base layout's landmarks."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from belemmeringen.models import Subthema, Thema
from belemmeringen.reference import THEMAS

# Every page test runs twice: with the page cache off (the test settings) and on (as in production).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_and_without_page_cache")]


def get_html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.parametrize("name", ["home", "privacy", "toegankelijkheid", "regiosessies:list", "regiosessies:kies"])
def test_every_public_page_is_dutch_with_landmarks_and_skip_link(client, name):
    html = get_html(client, reverse(name))
    assert '<html lang="nl">' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html


def test_home_page_explains_the_consultation(client):
    html = get_html(client, "/")
    # The two research questions.
    assert "praktische belemmeringen zijn er op lokaal, regionaal en nationaal niveau" in html
    assert "infrastructuur van de openbare verlichting hergebruikt worden" in html
    # The dimensions of scaling and the partners.
    for word in ("Verticaal", "Horizontaal", "Regionaal", "Nationaal"):
        assert word in html
    assert "Rijkswaterstaat" in html
    assert "Infrastructuur en Waterstaat" in html
    assert "Nationaal Smart City Living Lab" in html
    assert "lichtmast" in html.lower()
    # A clear call to action to the registration.
    assert f'href="{reverse("regiosessies:kies")}"' in html
    assert "Aanmelden voor een regiosessie" in html


def test_home_page_shows_every_theme_and_subtopic_from_the_database(client):
    html = get_html(client, "/")
    assert Thema.objects.count() == 4
    for data in THEMAS:
        assert data["name"] in html
        for sub in data["subthemas"]:
            assert sub in html


def test_home_page_follows_reference_data_edited_in_the_admin(client):
    thema = Thema.objects.get(slug="technisch")
    Subthema.objects.create(thema=thema, name="Beheer van sensornetwerken", order=9)
    assert "Beheer van sensornetwerken" in get_html(client, "/")


def test_home_page_lists_the_sessions(client, session_a, session_b):
    html = get_html(client, "/")
    assert session_a.get_absolute_url() in html
    assert session_b.get_absolute_url() in html


def test_privacy_statement_says_what_why_how_long_and_whom_to_ask(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    html = get_html(client, reverse("privacy"))
    assert "Welke gegevens bewaren we?" in html
    assert "Waarom?" in html
    assert "90 dagen" in html
    assert settings.CONTACT_EMAIL in html
    assert settings.PRIVACY_STATEMENT_VERSION in html


def test_accessibility_statement_names_the_standard(client):
    html = get_html(client, reverse("toegankelijkheid"))
    assert "WCAG" in html and "2.1" in html


def test_pages_load_bootstrap_from_our_own_static_files(client):
    html = get_html(client, "/")
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    # Nothing is loaded from another host: every src/href is a local path, a fragment or mailto.
    external = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]*)"', html)
    assert external == []


def test_english_is_served_under_en(client):
    html = get_html(client, "/en/")
    assert '<html lang="en">' in html


def test_unknown_page_gives_a_friendly_dutch_404_with_contact_address(client, settings):
    html = get_html(client, "/dit-bestaat-niet/", status=404)
    assert "Deze pagina bestaat niet" in html
    assert settings.CONTACT_EMAIL in html
    assert '<html lang="nl">' in html


@override_settings(DEBUG=False)
def test_server_error_gives_a_friendly_dutch_500_with_contact_address(settings):
    from django.test import Client

    from consultatie import views

    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as mp:

        def boom(self, *args, **kwargs):
            raise RuntimeError("kapot")

        mp.setattr(views.PrivacyView, "get", boom)
        response = client.get(reverse("privacy"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis aan onze kant" in html
    assert settings.CONTACT_EMAIL in html
    assert "Traceback" not in html and "kapot" not in html


@override_settings(DEBUG=False)
def test_a_database_outage_outside_a_view_gives_the_503_page_not_the_500_page(rf):
    from django.db import OperationalError

    from consultatie import views

    request = rf.get("/oude-pagina/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        # handler500 is called while the exception is being handled.
        response = views.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
