"""The public pages: session list, choosing a region, detail, the form, the neutral result page and
the personal link. Bad input always gets a Dutch answer, never a 500."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session, register

# Every view test runs twice: with the page cache off (the test settings) and on (as in production).
pytestmark = pytest.mark.usefixtures("with_and_without_page_cache")


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    # These tests post many times from one address; the rate limit has its own tests below.
    settings.REGISTRATION_RATE_LIMIT = 1000


def form_data(**overrides) -> dict:
    data = {
        "name": "Anna de Vries",
        "email": "Anna@Example.nl",
        "organisation_type": "gemeente",
        "organisation": "Gemeente Zwolle",
        "role": "Projectleider",
        "needs": "",
        "remarks": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def form_url(session) -> str:
    return reverse("regiosessies:aanmelden", kwargs={"slug": session.slug})


def fill(session, capacity_used: int):
    for n in range(capacity_used):
        register(session, f"p{n}@example.nl", f"P{n}")


@pytest.mark.django_db
class TestLists:
    def test_list_shows_each_sessions_availability(self, client):
        open_session = make_session("open", regio_name="Open", capacity=3)
        fill(open_session, 1)
        full = make_session("vol", regio_name="Vol", capacity=1)
        fill(full, 2)
        make_session("dicht", regio_name="Dicht", registration_closes=timezone.now() - timedelta(hours=1))
        make_session("weg", regio_name="Weg", cancelled=True)

        html = client.get(reverse("regiosessies:list")).content.decode()

        assert "Nog 2 plaatsen vrij" in html
        assert "Vol, wachtlijst open" in html
        assert "Aanmelding gesloten" in html
        assert "Geannuleerd" in html
        assert open_session.venue_name in html and open_session.city in html

    def test_a_registration_changes_the_seat_count_shown(self, client, django_capture_on_commit_callbacks):
        session = make_session("open", regio_name="Open", capacity=3)
        pages = [reverse("regiosessies:list"), session.get_absolute_url()]
        for page in pages:
            assert "Nog 3 plaatsen vrij" in client.get(page).content.decode()

        # The form's POST commits, as a request does; the page cache's invalidation runs on that commit.
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(form_url(session), form_data()).status_code == 302

        for page in pages:
            html = client.get(page).content.decode()
            assert "Nog 2 plaatsen vrij" in html and "Nog 3 plaatsen vrij" not in html

    @pytest.mark.parametrize("url_name", ["regiosessies:list", "regiosessies:kies"])
    def test_query_count_does_not_grow_with_the_number_of_sessions(self, client, url_name):
        make_session("een")
        client.get(reverse(url_name))  # warm up
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(url_name))
        for n in range(8):
            fill(make_session(f"extra-{n}"), 1)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse(url_name))
        assert len(many) == len(few)

    def test_choose_page_links_only_to_forms_that_take_registrations(self, client):
        open_session = make_session("open")
        closed = make_session("dicht", registration_closes=timezone.now() - timedelta(hours=1))
        html = client.get(reverse("regiosessies:kies")).content.decode()
        assert form_url(open_session) in html
        assert form_url(closed) not in html

    def test_detail_shows_programme_and_a_prominent_button(self, client, session_a):
        html = client.get(session_a.get_absolute_url()).content.decode()
        assert "Programma" in html
        assert "Opening en toelichting per thema" in html
        assert "Belemmeringen vaststellen" in html
        assert form_url(session_a) in html

    def test_detail_of_a_full_session_offers_the_waiting_list(self, client):
        full = make_session("vol", capacity=1)
        fill(full, 1)
        html = client.get(full.get_absolute_url()).content.decode()
        assert "Aanmelden voor de wachtlijst" in html

    def test_unknown_session_is_404(self, client):
        assert client.get("/regiosessies/bestaat-niet/").status_code == 404
        assert client.get("/regiosessies/bestaat-niet/aanmelden/").status_code == 404

    @pytest.mark.parametrize("valid", [True, False], ids=["valid-form", "form-with-errors"])
    def test_posting_to_an_unknown_session_is_404_and_stores_nothing(self, client, valid):
        # A valid POST finds its session only through the lock in services.register.
        data = form_data() if valid else form_data(email="geen-adres")
        assert client.post("/regiosessies/bestaat-niet/aanmelden/", data).status_code == 404
        assert not Aanmelding.objects.exists()


@pytest.mark.django_db
class TestRegistrationForm:
    def test_form_has_labels_consent_link_and_honeypot_hidden_from_everyone(self, client, session_a):
        html = client.get(form_url(session_a)).content.decode()
        assert re.search(r'<label\s+for="id_name"', html)
        assert 'href="/privacy/"' in html
        assert 'class="cp-hp"' in html and 'aria-hidden="true"' in html and "hidden" in html
        assert 'maxlength="200"' in html

    def test_full_session_says_before_submitting_that_you_join_the_waiting_list(self, client):
        full = make_session("vol", capacity=1)
        fill(full, 1)
        html = client.get(form_url(full)).content.decode()
        assert "u meldt zich aan voor de wachtlijst" in html

    def test_valid_registration_redirects_to_the_neutral_page(
        self, client, session_a, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(form_url(session_a), form_data())
        assert response.status_code == 302
        assert response["Location"] == reverse("regiosessies:verstuurd", kwargs={"slug": session_a.slug})
        aanmelding = Aanmelding.objects.get()
        assert aanmelding.email == "anna@example.nl"
        assert aanmelding.status == "confirmed"
        assert aanmelding.consent_at is not None
        assert mail.outbox[0].to == ["anna@example.nl"]
        page = client.get(response["Location"]).content.decode()
        assert "Controleer uw mailbox" in page

    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_neutral_page_says_what_the_email_tells_and_what_to_do_without_one(self, client, session_a, prefix):
        """Issue 15: the page keeps the same answer for a new and a known address, yet says what the email
        will tell (a seat or a place on the waiting list) and what to do when none arrives."""
        contact = prefix + reverse("contact")
        page = client.get(prefix + reverse("regiosessies:verstuurd", kwargs={"slug": session_a.slug})).content.decode()
        if prefix:
            assert "you have a seat" in page and "waiting list" in page and "No email received?" in page
        else:
            assert "u heeft een plaats" in page and "u staat op de wachtlijst" in page
            assert "Geen e-mail ontvangen?" in page and "ongewenste e-mail (spam)" in page
        assert f'href="{contact}"' in page

    def test_duplicate_gets_the_same_neutral_page_and_a_resent_confirmation(
        self, client, session_a, django_capture_on_commit_callbacks
    ):
        first = client.post(form_url(session_a), form_data())
        with django_capture_on_commit_callbacks(execute=True):
            second = client.post(form_url(session_a), form_data(email=" anna@EXAMPLE.nl", name="Ander"))
        assert second.status_code == first.status_code == 302
        assert second["Location"] == first["Location"]
        assert Aanmelding.objects.count() == 1
        assert OutboxMessage.objects.filter(template="aanmelding_bevestigd").count() == 2

    def test_errors_are_shown_next_to_fields_and_summarised_at_the_top(self, client, session_a):
        response = client.post(form_url(session_a), form_data(name="", email="geen-adres", consent=""))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="foutoverzicht"' in html and 'tabindex="-1"' in html
        assert 'href="#id_name"' in html and 'href="#id_email"' in html and 'href="#id_consent"' in html
        assert html.count("Vul uw naam in.") == 2  # in the summary and next to the field
        assert "Vul een geldig e-mailadres in" in html
        assert "js/foutoverzicht.js" in html
        assert 'value="geen-adres"' in html  # what was typed is kept
        assert Aanmelding.objects.count() == 0

    @pytest.mark.parametrize(
        "overrides",
        [
            {"name": "x" * 201},
            {"email": "a" * 250 + "@example.nl"},
            {"remarks": "x" * 2001},
            {"organisation_type": "ruimtevaart"},
            {"themes": ["abc"]},
            {"themes": ["999999"]},
            {"name": "   "},
        ],
        ids=[
            "long-name",
            "long-email",
            "long-remarks",
            "bad-type",
            "theme-not-a-number",
            "theme-unknown",
            "blank-name",
        ],
    )
    def test_bad_input_gets_a_dutch_error_not_a_500(self, client, session_a, overrides):
        response = client.post(form_url(session_a), form_data(**overrides))
        assert response.status_code == 200
        assert 'id="foutoverzicht"' in response.content.decode()
        assert Aanmelding.objects.count() == 0

    def test_filled_honeypot_looks_like_success_but_stores_nothing(self, client, session_a):
        response = client.post(form_url(session_a), form_data(website="http://spam.example"))
        assert response.status_code == 302
        assert Aanmelding.objects.count() == 0
        assert OutboxMessage.objects.count() == 0

    def test_closed_session_shows_no_form_and_refuses_a_post(self, client):
        closed = make_session("dicht", registration_closes=timezone.now() - timedelta(hours=1))
        html = client.get(form_url(closed)).content.decode()
        assert '<form method="post" class="cp-form"' not in html
        assert "Aanmelding gesloten" in html
        response = client.post(form_url(closed), form_data())
        assert response.status_code == 200
        assert "De aanmelding voor deze regiosessie is gesloten." in response.content.decode()
        assert Aanmelding.objects.count() == 0

    def test_cancelled_session_refuses_a_post(self, client):
        cancelled = make_session("weg", cancelled=True)
        response = client.post(form_url(cancelled), form_data())
        assert "Deze regiosessie is geannuleerd" in response.content.decode()
        assert Aanmelding.objects.count() == 0

    def test_post_without_csrf_token_is_refused(self, session_a):
        client = Client(enforce_csrf_checks=True)
        response = client.post(form_url(session_a), form_data())
        assert response.status_code == 403
        assert Aanmelding.objects.count() == 0

    def test_too_many_posts_from_one_address_get_the_dutch_429_page(self, client, session_a, settings):
        settings.REGISTRATION_RATE_LIMIT = 2
        # A fresh address per run: with a Redis cache, counts outlive the test's transaction.
        address = {"REMOTE_ADDR": f"2001:db8::{uuid.uuid4().hex[:4]}"}
        statuses = [
            client.post(form_url(session_a), form_data(email=f"p{n}@example.nl"), **address).status_code
            for n in range(3)
        ]
        assert statuses == [302, 302, 429]
        blocked = client.post(form_url(session_a), form_data(email="p9@example.nl"), **address)
        assert "Te veel verzoeken" in blocked.content.decode()
        assert blocked["Retry-After"]
        assert Aanmelding.objects.count() == 2
        # Another client is not affected, and reading pages is never limited.
        assert (
            client.post(
                form_url(session_a), form_data(email="x@example.nl"), REMOTE_ADDR=f"2001:db8:1::{uuid.uuid4().hex[:4]}"
            ).status_code
            == 302
        )
        assert client.get(form_url(session_a), **address).status_code == 200


@pytest.mark.django_db
class TestPersonalLink:
    def test_shows_the_registration_with_a_link_to_cancel(self, client, participant):
        response = client.get(participant.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert participant.name in html and participant.session.title in html
        assert "U bent aangemeld en heeft een plaats" in html
        assert reverse("regiosessies:annuleren", args=[participant.token]) in html
        assert "csrfmiddlewaretoken" in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    def test_waiting_person_sees_their_position(self, client, register_person):
        session = make_session("vol", capacity=1)
        register_person(session, "zit@example.nl")
        waiting = register_person(session, "wacht@example.nl").aanmelding
        html = client.get(waiting.get_absolute_url()).content.decode()
        assert "U staat op de wachtlijst (plaats 1)" in html

    def test_cancel_frees_the_seat_for_the_first_waiting_person(self, client, register_person):
        session = make_session("wissel", capacity=1)
        seated = register_person(session, "zit@example.nl").aanmelding
        waiting = register_person(session, "wacht@example.nl").aanmelding

        response = client.post(reverse("regiosessies:annuleren", args=[seated.token]), follow=True)

        seated.refresh_from_db()
        waiting.refresh_from_db()
        assert seated.status == "cancelled"
        assert waiting.status == "confirmed"
        html = response.content.decode()
        assert "Uw aanmelding is geannuleerd" in html
        assert reverse("regiosessies:annuleren", args=[seated.token]) not in html

    def test_cancelling_again_changes_nothing(self, client, participant):
        cancel_url = reverse("regiosessies:annuleren", args=[participant.token])
        client.post(cancel_url)
        response = client.post(cancel_url, follow=True)
        assert "Deze aanmelding was al geannuleerd." in response.content.decode()
        assert OutboxMessage.objects.filter(template="aanmelding_geannuleerd").count() == 1

    @pytest.mark.parametrize("token", ["bestaat-niet", "a" * 43, "x" * 300])
    def test_bad_token_is_404(self, client, participant, token):
        assert client.get(f"/aanmelding/{token}/").status_code == 404
        assert client.post(f"/aanmelding/{token}/annuleren/").status_code == 404

    def test_anonymised_registration_is_404(self, client, participant):
        Aanmelding.objects.filter(pk=participant.pk).update(anonymised_at=timezone.now())
        assert client.get(participant.get_absolute_url()).status_code == 404
