"""Retention and data-subject rights: `purge_personal_data` with time travel, and the admin page
where programme staff find, export and erase what is held about one email address."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditLog, ContactBericht, OutboxMessage
from core.privacy import log_export, subject_hash
from rapportage.data import build_report
from regiosessies import services
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import register

pytestmark = pytest.mark.django_db

PERSONAL = [
    "Anna de Vries",
    "anna@example.nl",
    "Gemeente Groningen",
    "beleidsadviseur",
    "rolstoel",
    "graag vegetarisch",
]
SUBJECT_URL = "/admin/core/auditlog/persoonsgegevens/"


@pytest.fixture
def registrations(session_a, session_b):
    """Session A (in 14 days) with three people, two attended; session B (in 21 days) with one."""
    anna = register(
        session_a,
        "anna@example.nl",
        "Anna de Vries",
        organisation="Gemeente Groningen",
        role="beleidsadviseur",
        needs="rolstoel",
        remarks="graag vegetarisch",
    )
    bedrijf = register(session_a, "bas@bedrijf.nl", "Bas Bakker", organisation_type="bedrijf")
    register(session_a, "cor@provincie.nl", "Cor Cats", organisation_type="provincie")
    services.mark_attended(aanmeldingen=Aanmelding.objects.filter(pk__in=[anna.pk, bedrijf.pk]))
    other = register(session_b, "dirk@example.nl", "Dirk Dijk", organisation_type="inwoner")
    # The admin's history remembers the name as it was when staff changed the registration.
    LogEntry.objects.create(
        user_id=_any_user_id(),
        content_type=ContentType.objects.get_for_model(Aanmelding),
        object_id=str(anna.pk),
        object_repr=str(anna),
        action_flag=CHANGE,
        change_message="Aanwezig gemarkeerd",
    )
    return {"anna": anna, "bedrijf": bedrijf, "other": other}


def _any_user_id() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="logger", defaults={"is_staff": True})[0].pk


@pytest.fixture
def contact_messages():
    handled = ContactBericht.objects.create(
        name="Anna de Vries", email="anna@example.nl", subject="Parkeren", message="Waar kan ik parkeren?"
    )
    ContactBericht.objects.filter(pk=handled.pk).update(handled_at=timezone.now())
    open_question = ContactBericht.objects.create(
        name="Eva", email="eva@example.nl", subject="Vraag", message="Nog open"
    )
    return {"handled": handled, "open": open_question}


def run_purge(*args) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def text_of_every_personal_table() -> str:
    rows = []
    for model in (Aanmelding, ContactBericht, OutboxMessage, LogEntry):
        for values in model.objects.values():
            rows.append(json.dumps(values, default=str, ensure_ascii=False))
    return "\n".join(rows)


def test_nothing_personal_is_left_after_the_retention_period_and_the_report_is_unchanged(
    registrations, contact_messages, session_a
):
    assert "anna@example.nl" in text_of_every_personal_table()
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        before = build_report()
        before_a = build_report(session=session_a)
        output = run_purge()
        after = build_report()
        after_a = build_report(session=session_a)

    assert "3 aanmeldingen geanonimiseerd." in output
    assert "1 contactbericht verwijderd." in output
    everything = text_of_every_personal_table()
    for value in PERSONAL:
        assert value not in everything, value
    for value in ("Bas Bakker", "bas@bedrijf.nl", "Cor Cats", "Waar kan ik parkeren"):
        assert value not in everything, value
    # The figures the report needs: organisation types, attended, registered, per session.
    assert after.figures == before.figures
    assert after.participants_by_type == before.participants_by_type
    assert after.sessions == before.sessions
    assert after_a.fingerprint() == before_a.fingerprint()
    assert after.fingerprint() == before.fingerprint()


def test_anonymised_registrations_keep_type_attendance_status_and_session(registrations, session_a):
    anna = registrations["anna"]
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        run_purge()
    anna.refresh_from_db()
    assert (anna.name, anna.email, anna.organisation, anna.role, anna.needs, anna.remarks) == ("", "", "", "", "", "")
    assert anna.anonymised_at is not None
    assert anna.organisation_type == "gemeente" and anna.attended and anna.status == "confirmed"
    assert anna.session_id == session_a.pk
    assert Aanmelding.objects.filter(session=session_a, anonymised_at__isnull=False).count() == 3


def test_the_personal_link_stops_working(client, registrations, session_a):
    link = registrations["anna"].get_absolute_url()
    assert client.get(link).status_code == 200
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        run_purge()
    assert client.get(link).status_code == 404


def test_sessions_still_inside_the_period_are_untouched(registrations, contact_messages, session_a, session_b):
    # At day 105 session A ended 91 days ago, session B only 84.
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        run_purge()
    other = registrations["other"]
    other.refresh_from_db()
    assert other.name == "Dirk Dijk" and other.anonymised_at is None
    assert ContactBericht.objects.filter(pk=contact_messages["open"].pk).exists()  # never answered: kept


def test_nothing_happens_before_the_period_is_over(registrations, contact_messages, session_a):
    with time_machine.travel(session_a.end + timedelta(days=89), tick=False):
        output = run_purge()
    assert "0 aanmeldingen geanonimiseerd." in output
    assert Aanmelding.objects.filter(anonymised_at__isnull=False).count() == 0


def test_days_option_and_dry_run(registrations, contact_messages, session_a):
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        assert "0 aanmeldingen geanonimiseerd." in run_purge("--days", "200")
        # With 30 days session B (ended 84 days ago) is due too.
        output = run_purge("--days", "30", "--dry-run")
        assert output.startswith("Proefdraai, er is niets gewijzigd.")
        assert "4 aanmeldingen geanonimiseerd." in output
        assert "1 contactbericht verwijderd." in output
        assert "bulkmailing" not in output  # a dry run does not count those
        assert Aanmelding.objects.filter(anonymised_at__isnull=False).count() == 0
        assert "anna@example.nl" in text_of_every_personal_table()
        run_purge("--days", "30")
        # A second run finds nothing left to do.
        assert "0 aanmeldingen geanonimiseerd." in run_purge("--days", "30")


def test_each_source_counts_and_words_its_own_records(monkeypatch, registrations, session_a):
    from core import privacy

    class Notes(privacy.PersonalData):
        key = "notes"

        def describe_anonymised(self, count: int) -> str:
            return f"{count} notities geanonimiseerd"

        def due(self, *, cutoff, now):
            return privacy.Due(anonymise=ContactBericht.objects.none())

        def anonymise(self, records, *, now, dry_run=False) -> int:
            return 7

    monkeypatch.setitem(privacy._sources, "notes", Notes())
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        output = run_purge("--dry-run")
        result = privacy.purge_personal_data()
    assert "3 aanmeldingen geanonimiseerd." in output and "7 notities geanonimiseerd." in output
    assert result.anonymised == {"registrations": 3, "notes": 7}
    assert result.reduced == {"registrations": 0}  # Notes reduces nothing, so it has no count there


def test_a_message_never_handled_is_deleted_after_the_longer_maximum(contact_messages, settings):
    settings.CONTACT_MESSAGE_MAX_DAYS = 365
    received = contact_messages["open"].created
    with time_machine.travel(received + timedelta(days=364), tick=False):
        assert "1 contactbericht verwijderd." in run_purge()  # the handled one, 90 days after handling
    assert list(ContactBericht.objects.all()) == [contact_messages["open"]]
    with time_machine.travel(received + timedelta(days=366), tick=False):
        assert "1 contactbericht verwijderd." in run_purge()
    assert not ContactBericht.objects.exists()
    assert "Nog open" not in text_of_every_personal_table()


def test_the_privacy_statement_names_both_periods_for_contact_messages(client, settings):
    settings.CONTACT_MESSAGE_MAX_DAYS = 200
    html = client.get("/privacy/").content.decode()
    assert "nadat ze zijn afgehandeld" in html
    assert "Een bericht dat niet is afgehandeld, verwijderen we uiterlijk 200 dagen na ontvangst." in html


def test_days_must_be_positive():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        run_purge("--days", "0")


# --- Data-subject rights --------------------------------------------------------------------------


def test_only_programme_staff_open_the_subject_page(client, facilitator_a, programmateam, superuser):
    assert client.get(SUBJECT_URL).status_code == 302  # anonymous: to the login
    client.force_login(facilitator_a)
    assert client.get(SUBJECT_URL).status_code == 403
    assert client.post(SUBJECT_URL, {"action": "export", "email": "anna@example.nl"}).status_code == 403
    for user in (programmateam, superuser):
        client.force_login(user)
        assert client.get(SUBJECT_URL).status_code == 200


def test_staff_see_what_is_held_and_the_look_is_logged_without_the_address(
    client, programmateam, registrations, contact_messages
):
    client.force_login(programmateam)
    response = client.post(SUBJECT_URL, {"action": "search", "email": "ANNA@example.nl"})
    html = response.content.decode()
    assert response.status_code == 200
    for value in ("Anna de Vries", "Gemeente Groningen", "rolstoel", "Waar kan ik parkeren?"):
        assert value in html
    assert "Dirk Dijk" not in html
    entry = AuditLog.objects.get()
    assert entry.action == AuditLog.Action.VIEW and entry.actor == programmateam
    assert entry.subject_hash == subject_hash("anna@example.nl")
    assert "anna" not in json.dumps(list(AuditLog.objects.values()), default=str)


def test_export_is_everything_as_json_and_is_logged(client, programmateam, registrations, contact_messages):
    client.force_login(programmateam)
    response = client.post(SUBJECT_URL, {"action": "export", "email": "anna@example.nl"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    [registration] = data["registrations"]
    assert registration["name"] == "Anna de Vries"
    assert registration["needs"] == "rolstoel" and registration["remarks"] == "graag vegetarisch"
    assert [c["message"] for c in data["contact_messages"]] == ["Waar kan ik parkeren?"]
    assert data["emails"] and all(m["recipient"] == "anna@example.nl" for m in data["emails"])
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.actor_username == programmateam.username
    assert entry.record_count == 1 + 1 + len(data["emails"])
    assert entry.created is not None


def test_erase_needs_the_confirmation(client, programmateam, registrations):
    client.force_login(programmateam)
    response = client.post(SUBJECT_URL, {"action": "erase", "email": "anna@example.nl"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vink aan dat u het verzoek hebt gecontroleerd" in html
    assert 'aria-invalid="true"' in html
    registrations["anna"].refresh_from_db()
    assert registrations["anna"].anonymised_at is None
    assert not AuditLog.objects.filter(action=AuditLog.Action.ERASE).exists()


def test_erase_anonymises_registrations_deletes_messages_frees_the_seat_and_is_logged(
    client, programmateam, registrations, contact_messages, session_a
):
    session_a.capacity = 3
    session_a.save()
    waiting = register(session_a, "wim@example.nl", "Wim Wacht", organisation_type="inwoner")
    assert waiting.status == Aanmelding.Status.WAITLISTED
    client.force_login(programmateam)
    response = client.post(SUBJECT_URL, {"action": "erase", "email": "anna@example.nl", "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        "Gewist: 1 aanmelding geanonimiseerd, 1 plaats vrijgegeven, 1 contactbericht verwijderd, "
    )
    anna = Aanmelding.objects.get(pk=registrations["anna"].pk)
    assert anna.anonymised_at is not None and anna.email == "" and anna.status == Aanmelding.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Aanmelding.Status.CONFIRMED  # the freed seat went to the waiting list
    assert not ContactBericht.objects.filter(email__iexact="anna@example.nl").exists()
    assert not OutboxMessage.objects.filter(recipient__iexact="anna@example.nl").exists()
    for value in PERSONAL:
        assert value not in text_of_every_personal_table(), value
    entry = AuditLog.objects.get(action=AuditLog.Action.ERASE)
    assert entry.actor == programmateam and entry.record_count >= 2
    # Afterwards there is nothing left to find.
    html = client.post(SUBJECT_URL, {"action": "search", "email": "anna@example.nl"}).content.decode()
    assert "We hebben niets over anna@example.nl" in html


def test_a_bad_address_gets_a_clear_dutch_message(client, programmateam):
    client.force_login(programmateam)
    html = client.post(SUBJECT_URL, {"action": "search", "email": "geen-adres"}).content.decode()
    assert "Vul een geldig e-mailadres in" in html
    assert "errorlist-summary" in html


def test_what_people_typed_is_escaped_on_the_subject_page(client, programmateam, session_a):
    register(session_a, "x@example.nl", "<script>alert(1)</script>", organisation_type="anders")
    client.force_login(programmateam)
    html = client.post(SUBJECT_URL, {"action": "search", "email": "x@example.nl"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_log_is_read_only_and_searchable_by_address(client, programmateam, superuser):
    log_export(
        actor=programmateam, what="Aanmeldingen (CSV), regiosessie Noord", count=12, subject_email="anna@example.nl"
    )
    client.force_login(superuser)
    response = client.get("/admin/core/auditlog/?q=anna@example.nl")
    assert response.status_code == 200
    assert "Aanmeldingen (CSV), regiosessie Noord" in response.content.decode()
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    entry = AuditLog.objects.get()
    assert client.post(f"/admin/core/auditlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditLog.objects.count() == 1


def test_log_export_records_who_when_what_for_other_exports(programmateam):
    # The hook for the registration and attendance-list exports.
    entry = log_export(actor=programmateam, what="Presentielijst (PDF), regiosessie Noord", count=30)
    assert (entry.actor, entry.actor_username, entry.action, entry.record_count) == (
        programmateam,
        "programma",
        AuditLog.Action.EXPORT,
        30,
    )
    assert entry.subject_hash == ""


# --- Kept only for the results email (RESULTS_FOLLOWUP_UNTIL) ------------------------------------


def test_an_address_kept_for_the_results_keeps_only_address_language_and_session(registrations, session_a, settings):
    # The rule reads the local (Amsterdam) date; a UTC date would be a day early late in the evening.
    settings.RESULTS_FOLLOWUP_UNTIL = timezone.localdate(session_a.end + timedelta(days=200))
    services.set_results_consent(aanmelding=registrations["anna"], consent=True)
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        output = run_purge()
    assert "2 aanmeldingen geanonimiseerd." in output  # Bas and Cor
    assert "1 aanmelding teruggebracht tot het adres voor de resultatenmail." in output
    anna = Aanmelding.objects.get(pk=registrations["anna"].pk)
    assert (anna.email, anna.language, anna.session_id, anna.anonymised_at) == (
        "anna@example.nl",
        "nl",
        session_a.pk,
        None,
    )
    assert (anna.name, anna.organisation, anna.role, anna.needs, anna.remarks) == ("", "", "", "", "")
    assert not OutboxMessage.objects.filter(aanmelding=anna).exists()  # the confirmation held her name
    everything = text_of_every_personal_table()
    for value in ("Anna de Vries", "Gemeente Groningen", "beleidsadviseur", "rolstoel", "graag vegetarisch"):
        assert value not in everything, value


def test_after_the_follow_up_date_the_kept_address_is_anonymised_too(registrations, session_a, settings):
    from core.mailing import Recipient, create_mailing

    # The rule reads the local (Amsterdam) date; a UTC date would be a day early late in the evening.
    settings.RESULTS_FOLLOWUP_UNTIL = timezone.localdate(session_a.end + timedelta(days=200))
    services.set_results_consent(aanmelding=registrations["anna"], consent=True)
    create_mailing(
        kind="resultaten",
        key="publicatie-1",
        template="resultaten",
        render_with="terugkoppeling.emails.render_results",
        recipients=[Recipient("anna@example.nl")],
    )
    with time_machine.travel(session_a.end + timedelta(days=200), tick=False):
        run_purge()
    assert Aanmelding.objects.get(pk=registrations["anna"].pk).anonymised_at is None
    with time_machine.travel(session_a.end + timedelta(days=201, hours=1), tick=False):
        output = run_purge()
    assert "1 aanmelding geanonimiseerd." in output
    assert "1 regel van een bulkmailing verwijderd." in output
    assert Aanmelding.objects.get(pk=registrations["anna"].pk).email == ""
    assert "anna@example.nl" not in text_of_every_personal_table()


def test_someone_who_switched_the_results_off_is_anonymised_at_the_normal_time(registrations, session_a, settings):
    # The rule reads the local (Amsterdam) date; a UTC date would be a day early late in the evening.
    settings.RESULTS_FOLLOWUP_UNTIL = timezone.localdate(session_a.end + timedelta(days=200))
    services.set_results_consent(aanmelding=registrations["anna"], consent=True)
    services.set_results_consent(aanmelding=registrations["anna"], consent=False)
    with time_machine.travel(session_a.end + timedelta(days=91), tick=False):
        assert "3 aanmeldingen geanonimiseerd." in run_purge()


def test_the_privacy_statement_names_the_follow_up_date(client, settings):
    from datetime import date

    settings.RESULTS_FOLLOWUP_UNTIL = date(2027, 12, 31)
    html = client.get("/privacy/").content.decode()
    assert "uiterlijk\n  31 december 2027" in html or "uiterlijk 31 december 2027" in " ".join(html.split())
    english = " ".join(client.get("/en/privacy/").content.decode().split())
    assert "at the latest December 31, 2027" in english or "at the latest 31 December 2027" in english


def test_the_export_and_the_erasure_include_the_bulk_mail_rows(client, programmateam, registrations):
    from core.mailing import Recipient, create_mailing
    from core.models import MailingRecipient
    from core.privacy import erase_personal_data, export_personal_data

    services.set_results_consent(aanmelding=registrations["anna"], consent=True)
    create_mailing(
        kind="resultaten",
        key="publicatie-1",
        template="resultaten",
        render_with="terugkoppeling.emails.render_results",
        recipients=[Recipient("anna@example.nl", "nl")],
    )
    exported = export_personal_data(email="anna@example.nl", actor=programmateam)
    assert exported["registrations"][0]["results_consent"] is True
    assert [row["mailing"] for row in exported["bulk_emails"]] == ["resultaten: publicatie-1"]
    result = erase_personal_data(email="anna@example.nl", actor=programmateam)
    assert not MailingRecipient.objects.exists()
    assert (result.anonymised, result.released, result.contact_messages_deleted) == (
        {"registrations": 1},
        {"registrations": 1},
        0,
    )
