"""Who gets a seat: capacity, waiting list, duplicates, closing, cancellation, attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import OutboxMessage
from regiosessies import services
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session


def templates_sent_to(email: str) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=email).order_by("id").values_list("template", flat=True))


@pytest.mark.django_db
class TestRegister:
    def test_first_registrants_get_a_seat_until_capacity(self, register_person):
        session = make_session("klein", capacity=2)
        results = [register_person(session, f"p{i}@example.nl") for i in range(3)]
        assert [r.aanmelding.status for r in results] == ["confirmed", "confirmed", "waitlisted"]
        assert all(r.created for r in results)

    def test_full_session_puts_registrant_on_waiting_list_with_position(self, register_person):
        session = make_session("vol", capacity=1)
        register_person(session, "eerste@example.nl")
        second = register_person(session, "tweede@example.nl").aanmelding
        third = register_person(session, "derde@example.nl").aanmelding
        assert second.waitlist_position() == 1
        assert third.waitlist_position() == 2
        assert templates_sent_to("tweede@example.nl") == ["aanmelding_wachtlijst"]

    def test_confirmed_registration_has_no_waitlist_position(self, participant):
        assert participant.waitlist_position() is None

    def test_email_is_normalised_before_the_duplicate_check(self, session_a, register_person):
        first = register_person(session_a, "  Anna@Example.NL ")
        again = register_person(session_a, "anna@example.nl", name="Iemand anders")
        assert first.aanmelding.email == "anna@example.nl"
        assert again.created is False
        assert again.aanmelding.pk == first.aanmelding.pk
        assert Aanmelding.objects.filter(session=session_a).count() == 1

    def test_duplicate_resends_the_existing_confirmation(self, session_a, register_person):
        register_person(session_a)
        register_person(session_a, "ANNA@example.nl")
        assert templates_sent_to("anna@example.nl") == ["aanmelding_bevestigd", "aanmelding_bevestigd"]

    def test_duplicate_of_waiting_person_resends_waitlist_mail_and_takes_no_seat(self, register_person):
        session = make_session("dubbel", capacity=1)
        register_person(session, "eerste@example.nl")
        register_person(session, "wacht@example.nl")
        again = register_person(session, "wacht@example.nl")
        assert again.created is False
        assert again.aanmelding.status == Aanmelding.Status.WAITLISTED
        assert templates_sent_to("wacht@example.nl") == ["aanmelding_wachtlijst", "aanmelding_wachtlijst"]

    def test_same_address_may_register_for_another_session(self, session_a, session_b, register_person):
        assert register_person(session_a).created
        assert register_person(session_b).created

    def test_cancelled_registration_does_not_block_registering_again(self, participant, register_person):
        services.cancel_registration(aanmelding=participant)
        again = register_person(participant.session)
        assert again.created is True
        assert again.aanmelding.pk != participant.pk

    def test_stores_consent_time_privacy_version_and_themes(self, session_a, register_person):
        from django.apps import apps

        thema = apps.get_model("belemmeringen", "Thema").objects.first()
        now = timezone.now()
        aanmelding = register_person(session_a, themes=[thema], now=now, needs=" rolstoel ").aanmelding
        assert aanmelding.consent_at == now
        assert aanmelding.privacy_version == settings.PRIVACY_STATEMENT_VERSION
        assert list(aanmelding.themes.all()) == [thema]
        assert aanmelding.needs == "rolstoel"
        assert len(aanmelding.token) >= 40

    def test_registration_after_closing_time_is_refused(self, register_person):
        session = make_session("gesloten", registration_closes=timezone.now() - timedelta(minutes=1))
        with pytest.raises(services.RegistrationClosed) as info:
            register_person(session)
        assert info.value.code == "closed"
        assert not Aanmelding.objects.filter(session=session).exists()

    def test_registration_for_cancelled_session_is_refused(self, register_person):
        session = make_session("afgelast", cancelled=True)
        with pytest.raises(services.RegistrationClosed) as info:
            register_person(session)
        assert info.value.code == "cancelled"

    def test_registration_once_the_session_has_started_is_refused(self, register_person):
        session = make_session("begonnen")
        with pytest.raises(services.RegistrationClosed):
            register_person(session, now=session.start + timedelta(minutes=5))

    def test_registration_before_opening_is_refused(self, register_person):
        session = make_session("straks", registration_opens=timezone.now() + timedelta(days=1))
        with pytest.raises(services.RegistrationClosed) as info:
            register_person(session)
        assert info.value.code == "not_yet_open"

    def test_duplicate_for_a_closed_session_sends_nothing(self, participant, register_person):
        session = participant.session
        session.registration_closes = timezone.now() - timedelta(minutes=1)
        session.save()
        with pytest.raises(services.RegistrationClosed):
            register_person(session)
        assert templates_sent_to("anna@example.nl") == ["aanmelding_bevestigd"]

    def test_waiting_people_go_before_a_newcomer_when_capacity_was_raised(self, register_person):
        session = make_session("verhoogd", capacity=1)
        register_person(session, "eerste@example.nl")
        waiting = register_person(session, "wacht@example.nl").aanmelding
        session.capacity = 2
        session.save()
        newcomer = register_person(session, "nieuw@example.nl").aanmelding
        waiting.refresh_from_db()
        assert waiting.status == Aanmelding.Status.CONFIRMED
        assert newcomer.status == Aanmelding.Status.WAITLISTED
        assert "aanmelding_doorgeschoven" in templates_sent_to("wacht@example.nl")

    def test_database_refuses_two_active_registrations_for_one_address(self, participant):
        duplicate = Aanmelding(
            session=participant.session,
            name="Dubbel",
            email=participant.email,
            organisation_type="gemeente",
            consent_at=timezone.now(),
            privacy_version="x",
            status=Aanmelding.Status.WAITLISTED,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()


@pytest.mark.django_db
class TestCancel:
    def test_cancelling_a_seat_promotes_the_first_waiting_person(self, register_person):
        session = make_session("wissel", capacity=1)
        seated = register_person(session, "zit@example.nl").aanmelding
        first = register_person(session, "eerste@example.nl").aanmelding
        second = register_person(session, "tweede@example.nl").aanmelding

        promoted = services.cancel_registration(aanmelding=seated)

        assert promoted.pk == first.pk
        first.refresh_from_db()
        second.refresh_from_db()
        seated.refresh_from_db()
        assert seated.status == Aanmelding.Status.CANCELLED
        assert first.status == Aanmelding.Status.CONFIRMED
        assert second.status == Aanmelding.Status.WAITLISTED
        assert second.waitlist_position() == 1
        assert templates_sent_to("eerste@example.nl")[-1] == "aanmelding_doorgeschoven"
        assert templates_sent_to("zit@example.nl")[-1] == "aanmelding_geannuleerd"

    def test_cancelling_twice_promotes_only_once(self, register_person):
        session = make_session("tweemaal", capacity=1)
        seated = register_person(session, "zit@example.nl").aanmelding
        register_person(session, "eerste@example.nl")
        register_person(session, "tweede@example.nl")
        assert services.cancel_registration(aanmelding=seated) is not None
        assert services.cancel_registration(aanmelding=Aanmelding.objects.get(pk=seated.pk)) is None
        assert Aanmelding.objects.filter(session=session, status="confirmed").count() == 1

    def test_cancelling_a_waiting_place_promotes_nobody(self, register_person):
        session = make_session("wachtend", capacity=1)
        register_person(session, "zit@example.nl")
        waiting = register_person(session, "wacht@example.nl").aanmelding
        later = register_person(session, "later@example.nl").aanmelding
        assert services.cancel_registration(aanmelding=waiting) is None
        later.refresh_from_db()
        assert later.status == Aanmelding.Status.WAITLISTED
        assert later.waitlist_position() == 1

    def test_fill_from_waitlist_needs_a_free_seat(self, register_person):
        session = make_session("promotie", capacity=1)
        register_person(session, "zit@example.nl")
        waiting = register_person(session, "wacht@example.nl").aanmelding
        assert services.fill_from_waitlist(session=session) == []
        session.capacity = 2
        session.save()
        assert [a.pk for a in services.fill_from_waitlist(session=session)] == [waiting.pk]
        assert services.fill_from_waitlist(session=session) == []

    def test_cancel_session_emails_everyone_registered_once(self, register_person):
        session = make_session("afgeblazen", capacity=1)
        register_person(session, "zit@example.nl")
        register_person(session, "wacht@example.nl")
        gone = register_person(session, "weg@example.nl").aanmelding
        services.cancel_registration(aanmelding=gone)

        assert services.cancel_session(session=session) == 2
        assert services.cancel_session(session=session) == 0

        session.refresh_from_db()
        assert session.cancelled
        assert OutboxMessage.objects.filter(template="regiosessie_geannuleerd").count() == 2
        assert "regiosessie_geannuleerd" not in templates_sent_to("weg@example.nl")


@pytest.mark.django_db
class TestOtherOperations:
    def test_resend_confirmation_sends_the_mail_for_the_current_status(self, participant):
        services.resend_confirmation(aanmelding=participant)
        assert templates_sent_to(participant.email) == ["aanmelding_bevestigd", "aanmelding_bevestigd"]

    def test_resend_confirmation_of_a_cancelled_registration_sends_nothing(self, participant):
        services.cancel_registration(aanmelding=participant)
        before = OutboxMessage.objects.count()
        services.resend_confirmation(aanmelding=participant)
        assert OutboxMessage.objects.count() == before

    def test_mark_attended_sets_and_clears_attendance(self, session_a, register_person):
        register_person(session_a, "a@example.nl")
        register_person(session_a, "b@example.nl")
        everyone = Aanmelding.objects.filter(session=session_a)
        assert services.mark_attended(aanmeldingen=everyone) == 2
        assert all(everyone.values_list("attended", flat=True))
        assert services.mark_attended(aanmeldingen=everyone.filter(email="a@example.nl"), attended=False) == 1
        assert list(everyone.order_by("email").values_list("attended", flat=True)) == [False, True]
