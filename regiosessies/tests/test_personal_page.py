"""The personal page behind the link in the emails: cancel after a confirmation step, undo while the
seat is still free, correct one's details (never the address), register a colleague."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from regiosessies import services
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_registration, make_session


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.REGISTRATION_RATE_LIMIT = 1000


def cancel_url(aanmelding):
    return reverse("regiosessies:annuleren", args=[aanmelding.token])


@pytest.mark.django_db
class TestCancelAsksFirst:
    def test_the_confirm_page_explains_and_does_not_cancel(self, client, participant):
        response = client.get(cancel_url(participant))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Weet u het zeker?" in html and "Ja, annuleer mijn aanmelding" in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        participant.refresh_from_db()
        assert participant.status == Aanmelding.Status.CONFIRMED

    def test_posting_the_confirm_page_cancels_and_mails(self, client, participant):
        response = client.post(cancel_url(participant), follow=True)
        participant.refresh_from_db()
        assert participant.status == Aanmelding.Status.CANCELLED
        assert "Uw aanmelding is geannuleerd" in response.content.decode()
        assert OutboxMessage.objects.filter(aanmelding=participant, template="aanmelding_geannuleerd").count() == 1


@pytest.mark.django_db
class TestUndo:
    def test_undo_gives_the_seat_back_while_it_is_free(self, client, participant):
        client.post(cancel_url(participant))
        html = client.get(participant.get_absolute_url()).content.decode()
        assert "Annulering terugdraaien" in html

        response = client.post(reverse("regiosessies:herstellen", args=[participant.token]), follow=True)

        participant.refresh_from_db()
        assert participant.status == Aanmelding.Status.CONFIRMED
        assert "Uw annulering is teruggedraaid" in response.content.decode()
        # A fresh confirmation (with the calendar file) follows the undo.
        assert OutboxMessage.objects.filter(aanmelding=participant, template="aanmelding_bevestigd").count() == 2

    def test_undo_is_refused_once_the_seat_went_to_the_waiting_list(self, client, register_person):
        session = make_session("krap", capacity=1)
        seated = register_person(session, "zit@example.nl").aanmelding
        waiting = register_person(session, "wacht@example.nl").aanmelding
        client.post(cancel_url(seated))
        waiting.refresh_from_db()
        assert waiting.status == Aanmelding.Status.CONFIRMED

        html = client.get(seated.get_absolute_url()).content.decode()
        assert "Annulering terugdraaien" not in html
        assert "naar iemand van de wachtlijst gegaan" in html
        assert reverse("regiosessies:aanmelden", args=[session.slug]) in html

        response = client.post(reverse("regiosessies:herstellen", args=[seated.token]), follow=True)
        seated.refresh_from_db()
        assert seated.status == Aanmelding.Status.CANCELLED
        assert "kan niet worden teruggedraaid" in response.content.decode()

    def test_undo_is_refused_after_registering_again_with_the_address(self, participant, register_person):
        services.cancel_registration(aanmelding=participant)
        register_person(participant.session, participant.email)
        with pytest.raises(services.SeatNoLongerFree):
            services.undo_cancellation(aanmelding=participant)

    def test_undo_is_refused_when_registration_has_closed(self, participant):
        services.cancel_registration(aanmelding=participant)
        participant.session.cancelled = True
        participant.session.save()
        with pytest.raises(services.SeatNoLongerFree):
            services.undo_cancellation(aanmelding=participant)

    def test_undo_is_post_only(self, client, participant):
        assert client.get(reverse("regiosessies:herstellen", args=[participant.token])).status_code == 405


@pytest.mark.django_db
class TestCorrectDetails:
    def url(self, aanmelding):
        return reverse("regiosessies:wijzigen", args=[aanmelding.token])

    def test_name_organisation_role_and_needs_can_be_corrected(self, client, participant):
        response = client.post(
            self.url(participant),
            {
                "name": " Anna de Wit ",
                "organisation_type": "provincie",
                "organisation": "Provincie Utrecht",
                "role": "Adviseur",
                "needs": "Ringleiding",
                "email": "kaper@example.nl",  # not a field of this form: ignored
            },
            follow=True,
        )
        participant.refresh_from_db()
        assert (participant.name, participant.organisation_type, participant.organisation) == (
            "Anna de Wit",
            "provincie",
            "Provincie Utrecht",
        )
        assert (participant.role, participant.needs) == ("Adviseur", "Ringleiding")
        assert participant.email == "anna@example.nl"
        assert participant.status == Aanmelding.Status.CONFIRMED
        assert "Uw gegevens zijn bijgewerkt." in response.content.decode()

    def test_the_form_says_why_the_address_cannot_change(self, client, participant):
        html = client.get(self.url(participant)).content.decode()
        assert participant.email in html
        assert "Uw e-mailadres kunt u hier niet wijzigen" in html
        assert 'name="email"' not in html

    def test_an_empty_name_is_refused_and_nothing_is_lost(self, client, participant):
        response = client.post(
            self.url(participant), {"name": "  ", "organisation_type": "gemeente", "organisation": "Nieuw"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Vul uw naam in." in html and 'value="Nieuw"' in html
        participant.refresh_from_db()
        assert participant.name == "Anna de Vries"

    def test_unknown_token_is_404(self, client, participant):
        assert client.get(reverse("regiosessies:wijzigen", args=["x" * 43])).status_code == 404


@pytest.mark.django_db
def test_personal_page_links_to_register_a_colleague_for_the_same_session(client, participant):
    html = client.get(participant.get_absolute_url()).content.decode()
    assert "Een collega aanmelden voor deze sessie" in html
    assert reverse("regiosessies:aanmelden", args=[participant.session.slug]) in html


@pytest.mark.django_db
def test_calendar_file_after_an_undo_outranks_the_cancellation(participant, django_capture_on_commit_callbacks):
    from django.core import mail
    from icalendar import Calendar

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(aanmelding=participant)
        services.undo_cancellation(aanmelding=participant)
    *_, cancelled, confirmed_again = mail.outbox

    def sequence(message):
        [event] = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
        return int(event["SEQUENCE"]), str(event["STATUS"])

    assert sequence(cancelled) == (1, "CANCELLED")
    assert sequence(confirmed_again) == (2, "CONFIRMED")


@pytest.mark.django_db
def test_no_cancelling_once_the_session_has_been_held(client, register_person):
    session = make_session("geweest", days=-3)
    aanmelding = make_registration(session, "sam@example.nl", name="Sam", organisation_type="inwoner")
    assert cancel_url(aanmelding) not in client.get(aanmelding.get_absolute_url()).content.decode()
    response = client.post(cancel_url(aanmelding), follow=True)
    aanmelding.refresh_from_db()
    assert aanmelding.status == Aanmelding.Status.CONFIRMED
    assert "kan niet meer worden geannuleerd" in response.content.decode()
