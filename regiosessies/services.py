"""Who gets a seat: registration, waiting list, cancellation and attendance.

Capacity is counted, never decremented. Every write that can change who holds a seat first locks
the session row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the settings open every transaction
with BEGIN IMMEDIATE, which serialises writers), then counts the confirmed registrations, then
writes. Emails go into the outbox inside the same transaction and are delivered after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from regiosessies import emails
from regiosessies.models import Aanmelding, Availability, Regiosessie

logger = logging.getLogger(__name__)


class RegistrationClosed(ValidationError):
    """The session accepts no registrations (closed, not yet open, started or cancelled)."""


@dataclass(frozen=True)
class RegistrationResult:
    aanmelding: Aanmelding
    created: bool  # False: the address already had an active registration (neutral message, resend)


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively: `Jan@X.nl ` and `jan@x.nl` are one person."""
    return (email or "").strip().lower()


def _current_language() -> str:
    """The active language if the site offers it (the registration form's language), else the default."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _lock_session(session: Regiosessie | int | str) -> Regiosessie:
    """Lock the session row and return it fresh: a Regiosessie, its pk, or its slug.

    The registration form locks by slug, so a registration needs no separate lookup before the lock.
    Raises Regiosessie.DoesNotExist for an unknown one.
    """
    locked = Regiosessie.objects.select_for_update()
    if isinstance(session, str):
        return locked.get(slug=session)
    return locked.get(pk=session if isinstance(session, int) else session.pk)


def _closed_error(session: Regiosessie, now: datetime) -> RegistrationClosed:
    state = session.availability(now)
    if state == Availability.CANCELLED:
        message = _("Deze regiosessie is geannuleerd; aanmelden is niet meer mogelijk.")
        code = "cancelled"
    elif state == Availability.NOT_YET_OPEN:
        message = _("De aanmelding voor deze regiosessie is nog niet geopend.")
        code = "not_yet_open"
    else:
        message = _("De aanmelding voor deze regiosessie is gesloten.")
        code = "closed"
    return RegistrationClosed(message, code=code)


def _send_current_status(aanmelding: Aanmelding) -> None:
    if aanmelding.status == Aanmelding.Status.CONFIRMED:
        emails.send_confirmation(aanmelding)
    elif aanmelding.status == Aanmelding.Status.WAITLISTED:
        emails.send_waitlisted(aanmelding)


def _resend_existing(*, session: Regiosessie, email: str) -> RegistrationResult | None:
    existing = Aanmelding.objects.active().filter(session=session, email=email).select_related("session").first()
    if existing is None:
        return None
    _send_current_status(existing)
    return RegistrationResult(aanmelding=existing, created=False)


def register(
    *,
    session: Regiosessie | str,
    name: str,
    email: str,
    organisation_type: str,
    organisation: str = "",
    role: str = "",
    themes: Iterable = (),
    needs: str = "",
    remarks: str = "",
    privacy_version: str | None = None,
    results_consent: bool = False,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register one person: a seat while there is one, otherwise a place on the waiting list.

    An address that already holds an active registration for this session gets no second one; its
    current confirmation (or waiting-list mail) is sent again and `created` is False, so the caller
    can show the same neutral page either way. Raises RegistrationClosed when the session takes no
    registrations. `session` may be given by its slug (the form does: the lock is then the only
    lookup); an unknown slug raises Regiosessie.DoesNotExist.
    """
    now = now or timezone.now()
    # Built before the lock is taken: under the lock only the seat is decided and the row written.
    aanmelding = _new_registration(
        name=name,
        email=normalise_email(email),
        organisation_type=organisation_type,
        organisation=organisation,
        role=role,
        needs=needs,
        remarks=remarks,
        privacy_version=privacy_version,
        results_consent=results_consent,
        now=now,
    )
    try:
        with transaction.atomic():
            _seat_or_waitlist(aanmelding, session=_lock_session(session), now=now)
            # An existing registration of this address is not looked up first: the partial unique constraint
            # (one active registration per address and session) refuses the insert, and the IntegrityError
            # below resends the existing one. Duplicates are rare; every registration saves the lookup.
            aanmelding.save(force_insert=True)
            if themes:
                # A new row has no themes yet: add() inserts without first reading the current set.
                aanmelding.themes.add(*themes)
            _send_current_status(aanmelding)
            return RegistrationResult(aanmelding=aanmelding, created=True)
    except IntegrityError:
        # The address already has an active registration here (the whole attempt, promotions included,
        # was rolled back). Same neutral outcome: the existing confirmation or waiting-list mail again.
        with transaction.atomic():
            result = _resend_existing(session=_lock_session(session), email=aanmelding.email)
        if result is None:
            raise
        return result


def _new_registration(
    *,
    name: str,
    email: str,
    organisation_type: str,
    organisation: str,
    role: str,
    needs: str,
    remarks: str,
    privacy_version: str | None,
    results_consent: bool,
    now: datetime,
) -> Aanmelding:
    """The unsaved registration as the person submitted it, with the consent recorded; no session, no status."""
    return Aanmelding(
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        organisation_type=organisation_type,
        role=role.strip(),
        needs=needs.strip(),
        remarks=remarks.strip(),
        consent_at=now,
        privacy_version=privacy_version or settings.PRIVACY_STATEMENT_VERSION,
        language=_current_language(),
        results_consent=results_consent,
        results_consent_at=now if results_consent else None,
    )


def _seat_or_waitlist(aanmelding: Aanmelding, *, session: Regiosessie, now: datetime) -> None:
    """Give the unsaved registration its session and its status: a seat if one is free, else the waiting list.

    The caller holds the session lock. Everything between the lock and the commit makes every other
    registration for this session wait, so only what decides the seat happens here: one count, and
    a look at the waiting list only when a seat is free. Raises RegistrationClosed.
    """
    if not session.is_open_for_registration(now):
        raise _closed_error(session, now)
    confirmed = Aanmelding.objects.confirmed().filter(session=session).count()
    # Waiting people go first: if seats are free while people wait (capacity was raised), they are
    # promoted before this newcomer is counted. A seat still free after that means nobody is
    # waiting, so the newcomer may take it.
    if confirmed < session.capacity and Aanmelding.objects.waitlist().filter(session=session).exists():
        confirmed += len(_fill_free_seats(session, confirmed=confirmed))
    aanmelding.session = session
    aanmelding.status = Aanmelding.Status.CONFIRMED if confirmed < session.capacity else Aanmelding.Status.WAITLISTED


def _fill_free_seats(session: Regiosessie, *, confirmed: int | None = None) -> list[Aanmelding]:
    """Promote waiting people into free seats, first come first served, each with a mail. Caller holds
    the session lock. Nobody is promoted once the session started or was cancelled.

    `confirmed` may be passed when the caller has just counted it under the same lock.
    """
    promoted: list[Aanmelding] = []
    if not session.is_upcoming():
        return promoted
    if confirmed is None:
        confirmed = Aanmelding.objects.confirmed().filter(session=session).count()
    free = session.capacity - confirmed
    if free <= 0:
        return promoted
    for aanmelding in Aanmelding.objects.waitlist().filter(session=session).select_related("session")[:free]:
        aanmelding.status = Aanmelding.Status.CONFIRMED
        aanmelding.save(update_fields=["status", "updated"])
        emails.send_promoted(aanmelding)
        promoted.append(aanmelding)
    return promoted


def fill_from_waitlist(*, session: Regiosessie) -> list[Aanmelding]:
    """Give every free seat to the people waiting longest (each gets a mail). Returns who was promoted:
    nobody when no seat is free, nobody waits, or the session started or was cancelled."""
    with transaction.atomic():
        return _fill_free_seats(_lock_session(session))


class CapacityBelowConfirmed(ValidationError):
    """The new number of seats is below the confirmed registrations."""


def _refuse_below_confirmed(session: Regiosessie, capacity: int) -> int:
    """Count the confirmed registrations (caller holds the lock); raise CapacityBelowConfirmed if
    `capacity` is lower. Returns the count."""
    confirmed = Aanmelding.objects.confirmed().filter(session=session).count()
    if capacity < confirmed:
        # A confirmed seat is a promise to a person; lowering capacity never takes it away.
        raise CapacityBelowConfirmed(
            _(
                "Er zijn al %(confirmed)s bevestigde aanmeldingen. Het aantal plaatsen kan niet lager "
                "worden; annuleer eerst aanmeldingen als dat echt nodig is."
            ),
            code="capacity_below_confirmed",
            params={"confirmed": confirmed},
        )
    return confirmed


def check_capacity(*, session: Regiosessie, capacity: int) -> None:
    """Raise CapacityBelowConfirmed if `capacity` is below the session's confirmed registrations.

    For a form, before `change_capacity`. It locks the session row: inside the caller's transaction
    (the admin validates and saves in one) no registration can take a seat between check and save.
    """
    with transaction.atomic():
        _refuse_below_confirmed(_lock_session(session), capacity)


def change_capacity(*, session: Regiosessie, capacity: int) -> list[Aanmelding]:
    """Set the number of seats. Lock, count, write: never below the confirmed registrations (raises
    CapacityBelowConfirmed); seats that come free go to the waiting list at once, first come first
    served, each with a mail. Returns who was promoted."""
    with transaction.atomic():
        locked = _lock_session(session)
        confirmed = _refuse_below_confirmed(locked, capacity)
        if locked.capacity != capacity:
            locked.capacity = capacity
            locked.save(update_fields=["capacity"])
        session.capacity = capacity
        return _fill_free_seats(locked, confirmed=confirmed)


def cancel_registration(*, aanmelding: Aanmelding) -> Aanmelding | None:
    """Cancel one registration; a freed seat goes to the first waiting person in the same transaction.

    Returns the promoted registration, if any. Cancelling twice (two tabs, two staff members) is
    harmless: the second call finds it already cancelled and promotes nobody.
    """
    with transaction.atomic():
        locked = _lock_session(aanmelding.session_id)
        current = Aanmelding.objects.select_for_update().select_related("session").get(pk=aanmelding.pk)
        if current.status == Aanmelding.Status.CANCELLED:
            aanmelding.status = current.status
            return None
        held_seat = current.status == Aanmelding.Status.CONFIRMED
        current.status = Aanmelding.Status.CANCELLED
        current.save(update_fields=["status", "updated"])
        aanmelding.status = current.status
        emails.send_cancellation(current)
        if not held_seat:
            return None
        promoted = _fill_free_seats(locked)
        return promoted[0] if promoted else None


def cancel_session(*, session: Regiosessie) -> int:
    """Mark the session cancelled and email everyone registered or waiting. Returns how many were emailed.

    The registrations keep their status as a record of who was registered; the session's cancelled
    flag is what closes it. Cancelling an already cancelled session emails nobody again.
    """
    with transaction.atomic():
        locked = _lock_session(session)
        if locked.cancelled:
            return 0
        locked.cancelled = True
        locked.save(update_fields=["cancelled"])
        session.cancelled = True
        count = 0
        for aanmelding in Aanmelding.objects.active().filter(session=locked).select_related("session"):
            emails.send_session_cancelled(aanmelding)
            count += 1
        return count


def resend_confirmation(*, aanmelding: Aanmelding) -> None:
    """Send the mail that fits the current status again: confirmation, or waiting list with position.

    A cancelled registration gets nothing: there is nothing to confirm.
    """
    with transaction.atomic():
        current = Aanmelding.objects.select_related("session").get(pk=aanmelding.pk)
        _send_current_status(current)


def set_results_consent(*, aanmelding: Aanmelding, consent: bool, now: datetime | None = None) -> int:
    """Switch the results email on or off for this person: every registration of the address, since
    the email goes to the address once (a person registered for two sessions does not switch twice).
    Records when. Returns how many registrations changed."""
    now = now or timezone.now()
    with transaction.atomic():
        return (
            Aanmelding.objects.filter(email=aanmelding.email, anonymised_at__isnull=True)
            .exclude(results_consent=consent)
            .update(results_consent=consent, results_consent_at=now, updated=now)
        )


def mark_attended(*, aanmeldingen: QuerySet[Aanmelding], attended: bool = True) -> int:
    """Record attendance for the given registrations. Returns how many rows were updated."""
    return aanmeldingen.update(attended=attended, updated=timezone.now())


class SeatNoLongerFree(ValidationError):
    """Undoing a cancellation found the seat given away (or the session closed) in the meantime."""


def undo_cancellation(*, aanmelding: Aanmelding, now: datetime | None = None) -> Aanmelding:
    """Give a cancelled registration its seat back, if a seat is still free and registration is still open.

    Only a seat is given back, never a place on the waiting list: the order of the waiting list is
    first come, first served, so someone who left it and wants back in registers again (and joins at
    the back). Raises SeatNoLongerFree when the seat went to the waiting list, the session closed or
    the address registered again since.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_session(aanmelding.session_id)
        current = Aanmelding.objects.select_for_update().select_related("session").get(pk=aanmelding.pk)
        if current.status != Aanmelding.Status.CANCELLED:
            return current
        if not current.undo_possible(session=locked, now=now):
            raise SeatNoLongerFree(_("Uw plaats is niet meer vrij."), code="seat_taken")
        current.status = Aanmelding.Status.CONFIRMED
        current.save(update_fields=["status", "updated"])
        emails.send_confirmation(current)
        return current


def update_details(
    *,
    aanmelding: Aanmelding,
    name: str,
    organisation_type: str,
    organisation: str = "",
    role: str = "",
    needs: str = "",
) -> Aanmelding:
    """Correct what a registrant told us about themselves. Never the address: see the personal page.

    The seat is untouched, so no session lock is needed; the row is locked so two tabs cannot interleave.
    """
    with transaction.atomic():
        current = Aanmelding.objects.select_for_update().get(pk=aanmelding.pk)
        current.name = name.strip()
        current.organisation_type = organisation_type
        current.organisation = organisation.strip()
        current.role = role.strip()
        current.needs = needs.strip()
        current.save(update_fields=["name", "organisation_type", "organisation", "role", "needs", "updated"])
        return current


#: How long before the start of a session its confirmed registrants get a reminder.
REMINDER_BEFORE = timedelta(days=2)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue a reminder for every confirmed registration whose session starts within two days. Returns how many.

    Idempotent: each registration is marked (reminder_sent_at) in the same transaction as its outbox
    row, and only unmarked ones are picked, so a second run, or two runs at once, send nobody twice.
    A session that already started gets none (a reminder after the fact helps nobody), and neither
    does a registration made within those two days: its confirmation, with the same details, has
    only just arrived.
    """
    now = now or timezone.now()
    due = (
        Aanmelding.objects.confirmed()
        .filter(
            anonymised_at__isnull=True,
            reminder_sent_at__isnull=True,
            session__cancelled=False,
            session__start__gt=now,
            session__start__lte=now + REMINDER_BEFORE,
            created__lte=F("session__start") - REMINDER_BEFORE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            # Claimed with one UPDATE: a concurrent run that got here first leaves 0 rows to claim.
            if not Aanmelding.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                continue
            emails.send_reminder(Aanmelding.objects.select_related("session").get(pk=pk))
            sent += 1
    return sent


# --- Messages from staff to a session's participants ----------------------------------------------


def send_session_message(*, session: Regiosessie, subject: str, body: str, audience: str) -> int:
    """Queue one email per recipient (through the outbox, delivered after commit). Returns how many."""
    written_in = _current_language()
    count = 0
    with transaction.atomic():
        for aanmelding in session.aanmeldingen.message_recipients(audience):
            emails.send_session_message(aanmelding, subject=subject, body=body, written_in=written_in)
            count += 1
    return count
