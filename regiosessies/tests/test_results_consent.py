"""The optional "send me the results" consent: unticked by default on the form, recorded with its
time, switched on and off on the personal page (POST with CSRF), for every registration of the address."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from regiosessies.models import Aanmelding
from regiosessies.tests.test_views import form_data, form_url

pytestmark = pytest.mark.django_db


def toggle_url(aanmelding) -> str:
    return reverse("regiosessies:resultaten_toestemming", kwargs={"token": aanmelding.token})


def test_the_form_offers_the_consent_unticked(client, session_a):
    html = client.get(form_url(session_a)).content.decode()
    checkbox = re.search(r'<input[^>]*name="results_consent"[^>]*>', html).group(0)
    assert 'type="checkbox"' in checkbox
    assert "checked" not in checkbox
    assert "Stuur mij de resultaten van de consultatie" in html


def test_registering_without_ticking_gives_no_consent(client, session_a):
    client.post(form_url(session_a), form_data())
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.results_consent is False
    assert aanmelding.results_consent_at is None


def test_ticking_records_the_consent_and_when(client, session_a):
    client.post(form_url(session_a), form_data(results_consent="on"))
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.results_consent is True
    assert aanmelding.results_consent_at is not None


def test_the_personal_page_switches_it_on_and_off_with_a_message(client, participant):
    page = client.get(participant.get_absolute_url()).content.decode()
    assert f'action="{toggle_url(participant)}"' in page
    assert "Stuur mij de resultaten van de consultatie" in page

    response = client.post(toggle_url(participant), {"results_consent": "1"}, follow=True)
    participant.refresh_from_db()
    assert participant.results_consent is True
    first_at = participant.results_consent_at
    assert first_at is not None
    html = response.content.decode()
    assert "U ontvangt de resultaten van de consultatie per e-mail." in html
    assert "Stuur mij geen resultaten meer" in html

    response = client.post(toggle_url(participant), {"results_consent": "0"}, follow=True)
    participant.refresh_from_db()
    assert participant.results_consent is False
    assert participant.results_consent_at > first_at
    assert "U ontvangt geen e-mail meer over de resultaten." in response.content.decode()


def test_switching_applies_to_every_registration_of_the_address(client, session_a, session_b, register_person):
    first = register_person(session_a, "dirk@example.nl").aanmelding
    second = register_person(session_b, "dirk@example.nl").aanmelding
    other = register_person(session_a, "eva@example.nl").aanmelding
    client.post(toggle_url(first), {"results_consent": "1"})
    assert set(Aanmelding.objects.filter(results_consent=True)) == {first, second}
    assert not Aanmelding.objects.get(pk=other.pk).results_consent


def test_the_switch_needs_a_csrf_token(participant):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(toggle_url(participant), {"results_consent": "1"}).status_code == 403
    participant.refresh_from_db()
    assert participant.results_consent is False


def test_nonsense_changes_nothing_and_says_so(client, participant):
    response = client.post(toggle_url(participant), {"results_consent": "ja"}, follow=True)
    participant.refresh_from_db()
    assert participant.results_consent is False
    assert "Er ging iets mis met uw keuze" in response.content.decode()


def test_get_is_not_allowed_and_an_unknown_token_is_404(client, participant):
    assert client.get(toggle_url(participant)).status_code == 405
    assert (
        client.post(
            reverse("regiosessies:resultaten_toestemming", kwargs={"token": "onbekend"}), {"results_consent": "1"}
        ).status_code
        == 404
    )


def test_a_later_registration_without_the_tick_shows_the_address_still_gets_the_results(
    client, session_a, session_b, register_person
):
    first = register_person(session_a, "dirk@example.nl", results_consent=True).aanmelding
    later = register_person(session_b, "dirk@example.nl").aanmelding
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Stuur mij geen resultaten meer" in page
    client.post(toggle_url(later), {"results_consent": "0"})
    assert not Aanmelding.objects.filter(pk__in=[first.pk, later.pk], results_consent=True).exists()
