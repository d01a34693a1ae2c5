"""Writes of the prioritisation round: open, close, cast a ballot, invite and remind.

Rules the server enforces on a ballot (`cast_ballot`):
- whole numbers of 0 or more, at most `max_per_need` on one need;
- the sum at most `points_per_person`. A partial ballot is fine (a person may keep points back when
  only a few needs matter to them); a ballot of 0 points in total is refused, since it says nothing;
- only needs in the round; only while the round is open and between its dates;
- only a registration that may take part (`selectors.ineligibility_reason`).
Anything else raises `BallotRejected` (a ValidationError with a Dutch message per field) and stores
nothing.

One voice per address: a person registered for two sessions holds two personal links, but their
last ballot (through either link) is their only one; it replaces their earlier one.

Locks (PostgreSQL; SQLite serialises every writer with BEGIN IMMEDIATE):
- a ballot takes a KEY SHARE lock on the round row, so ballots never wait for each other, then a
  row lock on the registrations of its address, so one person's two tabs are applied one after the
  other (the last one counts, never both);
- closing takes FOR UPDATE on the round row: it waits for ballots in flight and makes new ones wait,
  so every ballot is either in the frozen results or refused as late.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.mail import enqueue_or_leave_due
from prioritering import emails
from prioritering.models import Ronde, Stembiljet, Stemregel, Uitnodiging
from prioritering.selectors import compute_results, eligible_registrations, ineligibility_reason
from regiosessies.models import Aanmelding

# Rows per transaction when enrolling, inviting and reminding: a round with thousands of
# registrants never holds one long transaction, and a killed worker loses at most one batch, which
# the next run redoes (the flags are written in the same transaction as the outbox rows).
BATCH_SIZE = 200
REMIND_BEFORE_END = timedelta(days=2)


class RoundError(ValidationError):
    """A round cannot be opened or closed as asked."""


class BallotRejected(ValidationError):
    """A ballot breaks a rule; nothing was stored. Errors are keyed by form field (`punten-<id>`)."""


def field_name(need_id: int) -> str:
    return f"punten-{need_id}"


def address_key(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


# --- Opening and closing --------------------------------------------------------------------------


def open_round(
    *,
    ends_at: datetime,
    behoeften,
    starts_at: datetime | None = None,
    points_per_person: int = 10,
    max_per_need: int = 5,
    attended_only: bool = False,
    opened_by=None,
) -> Ronde:
    """Open a round over `behoeften`; the invitations go out after commit, in batches (a task)."""
    starts_at = starts_at or timezone.now()
    needs = list(behoeften)
    check_round_settings(
        starts_at=starts_at,
        ends_at=ends_at,
        points_per_person=points_per_person,
        max_per_need=max_per_need,
        behoeften=needs,
    )
    try:
        with transaction.atomic():
            if Ronde.objects.select_for_update().open().exists():
                raise _already_open()
            ronde = Ronde.objects.create(
                starts_at=starts_at,
                ends_at=ends_at,
                points_per_person=points_per_person,
                max_per_need=max_per_need,
                participants=Ronde.Deelnemers.ATTENDED if attended_only else Ronde.Deelnemers.ALL,
                opened_by=opened_by,
            )
            ronde.behoeften.set(needs)
            transaction.on_commit(lambda: _enqueue_invitations(ronde.pk))
    except IntegrityError:
        # Two rounds opened at the same moment: the partial unique index let only one through.
        raise _already_open() from None
    return ronde


def check_round_settings(*, starts_at, ends_at, points_per_person: int, max_per_need: int, behoeften) -> None:
    """Raise RoundError if a round with these settings cannot be opened now (the admin form asks too)."""
    if points_per_person < 1:
        raise RoundError(_("Geef elke deelnemer ten minste 1 punt."), code="budget")
    if not 1 <= max_per_need <= points_per_person:
        raise RoundError(
            _("Het hoogste aantal punten op één behoefte ligt tussen 1 en het aantal punten per persoon."),
            code="max_per_need",
        )
    if ends_at <= max(starts_at, timezone.now()):
        raise RoundError(_("Het einde van de ronde moet in de toekomst en na het begin liggen."), code="dates")
    if not len(behoeften):
        raise RoundError(_("Er staan geen behoeften op het boodschappenlijstje om te prioriteren."), code="no_needs")
    if Ronde.objects.open().exists():
        raise _already_open()


def _already_open() -> RoundError:
    return RoundError(
        _("Er loopt al een prioriteringsronde. Sluit die eerst voordat u een nieuwe opent."), code="already_open"
    )


def _enqueue_invitations(round_id: int) -> None:
    from prioritering.tasks import invite_participants

    # The hourly `priority_round invite` invites whoever was missed if the queue is unavailable.
    enqueue_or_leave_due(invite_participants, round_id, run_after=None, what="invitations of round")


def close_round(*, ronde: Ronde | None = None, now: datetime | None = None) -> Ronde:
    """Close the round (the open one if none is given) and freeze its results."""
    now = now or timezone.now()
    with transaction.atomic():
        if ronde is None:
            ronde = Ronde.objects.select_for_update().open().first()
            if ronde is None:
                raise RoundError(_("Er loopt geen prioriteringsronde om te sluiten."), code="none_open")
        else:
            ronde = Ronde.objects.select_for_update().get(pk=ronde.pk)
        if not ronde.is_open:
            raise RoundError(_("Deze prioriteringsronde is al gesloten."), code="already_closed")
        ronde.results = compute_results(ronde)
        ronde.status = Ronde.Status.CLOSED
        ronde.closed_at = now
        ronde.save(update_fields=["results", "status", "closed_at"])
        # Who was mailed matters only while the round runs; the address keys would otherwise outlive
        # the registrations' anonymisation.
        Uitnodiging.objects.filter(ronde=ronde).delete()
    return ronde


# --- Casting a ballot -----------------------------------------------------------------------------


def _key_share_lock(ronde_id: int) -> Ronde | None:
    """Read the round under a lock that ballots share and closing excludes (see the module docstring)."""
    if connection.vendor == "postgresql":
        # Locked and read in one round trip: a locking read returns the latest committed row.
        return next(
            iter(Ronde.objects.raw("SELECT * FROM prioritering_ronde WHERE id = %s FOR KEY SHARE", [ronde_id])), None
        )
    return Ronde.objects.filter(pk=ronde_id).first()


def _reject(message, code: str, field: str = NON_FIELD_ERRORS) -> BallotRejected:
    return BallotRejected({field: [ValidationError(message, code=code)]})


def validate_points(ronde: Ronde, points: Mapping[int, object], need_ids: set[int]) -> dict[int, int]:
    """The ballot's lines (need id -> points, zeros left out) if every rule holds; else BallotRejected."""
    errors: dict[str, list[ValidationError]] = {}
    unknown = [need_id for need_id in points if need_id not in need_ids]
    if unknown:
        errors[NON_FIELD_ERRORS] = [
            ValidationError(
                _("Het formulier noemt een behoefte die niet in deze ronde staat. Laad de pagina opnieuw."),
                code="unknown_need",
            )
        ]
    lines: dict[int, int] = {}
    total, absurd = 0, False
    for need_id, value in points.items():
        if need_id in unknown:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[field_name(need_id)] = [ValidationError(_("Vul een heel getal in van 0 of meer."), code="invalid")]
            continue
        total += value
        absurd = absurd or value > ronde.points_per_person
        if value > ronde.max_per_need:
            errors[field_name(need_id)] = [
                ValidationError(
                    _("Geef één behoefte ten hoogste %(max)s punten."),
                    code="max_per_need",
                    params={"max": ronde.max_per_need},
                )
            ]
        elif value:
            lines[need_id] = value
    # Every rule that is broken is reported at once, so a person fixes the ballot in one go; a sum
    # with a number beyond the whole budget in it (10**30) says nothing more than that field's error.
    if total > ronde.points_per_person and not absurd:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            ValidationError(
                _("U heeft %(total)s punten verdeeld; u heeft er %(budget)s. Haal er %(over)s weg."),
                code="over_budget",
                params={"total": total, "budget": ronde.points_per_person, "over": total - ronde.points_per_person},
            )
        )
    elif total == 0 and not errors:
        errors[NON_FIELD_ERRORS] = [ValidationError(_("Verdeel ten minste 1 punt over de behoeften."), code="empty")]
    if errors:
        raise BallotRejected(errors)
    return lines


def cast_ballot(
    *, token: str, points: Mapping[int, object], ronde: Ronde | None = None, now: datetime | None = None
) -> Stembiljet:
    """Store this person's division of points, replacing their earlier one. One transaction.

    `points` maps need ids to whole numbers. Raises Aanmelding.DoesNotExist for an unknown or
    anonymised token, BallotRejected for anything else that is wrong.
    """
    now = now or timezone.now()
    with transaction.atomic():
        target = ronde or Ronde.objects.open().first()
        locked = _key_share_lock(target.pk) if target else None
        if locked is None or not locked.accepts_ballots(now):
            raise _closed_message(locked, now)
        # One person at a time per address: lock every registration of this token's address in one
        # query (their other registrations' ballots are theirs too).
        address = Aanmelding.objects.filter(token=token, anonymised_at__isnull=True).values("email")[:1]
        same_address = list(Aanmelding.objects.select_for_update().filter(email=Subquery(address)).order_by("pk"))
        aanmelding = next((a for a in same_address if a.token == token and a.anonymised_at is None), None)
        if aanmelding is None:
            raise Aanmelding.DoesNotExist
        reason = ineligibility_reason(locked, aanmelding)
        if reason:
            raise _reject(reason, "not_eligible")
        lines = validate_points(locked, points, set(locked.behoeften.values_list("pk", flat=True)))

        ballot = None
        for existing in Stembiljet.objects.filter(ronde=locked, aanmelding__in=same_address):
            if existing.aanmelding_id == aanmelding.pk:
                ballot = existing
            else:
                existing.delete()  # this person's earlier ballot through their other link
        if ballot is None:
            ballot = Stembiljet.objects.create(ronde=locked, aanmelding=aanmelding)
        else:
            Stemregel.objects.filter(stembiljet=ballot).delete()
            Stembiljet.objects.filter(pk=ballot.pk).update(updated=now)
        Stemregel.objects.bulk_create(
            [Stemregel(stembiljet=ballot, behoefte_id=need_id, points=value) for need_id, value in lines.items()]
        )
    return ballot


def _closed_message(ronde: Ronde | None, now: datetime) -> BallotRejected:
    if ronde is None or not ronde.is_open or now >= ronde.ends_at:
        return _reject(_("De prioriteringsronde is gesloten. Uw punten zijn niet opgeslagen."), "closed")
    return _reject(_("De prioriteringsronde is nog niet begonnen."), "not_started")


# --- Invitations and reminders --------------------------------------------------------------------


def enrol_participants(*, ronde: Ronde, batch_size: int = BATCH_SIZE) -> int:
    """Give every eligible address one invitation row (idempotent). Returns the number of new rows.

    Per address the registration whose link is mailed is the one marked present, else the newest.
    """
    existing = set(Uitnodiging.objects.filter(ronde=ronde).values_list("address_key", flat=True))
    registrations = eligible_registrations(ronde).order_by("email", "-attended", "-created").values_list("pk", "email")
    new_rows, created = [], 0
    for pk, email in registrations.iterator(chunk_size=2000):
        key = address_key(email)
        if key in existing:
            continue
        existing.add(key)
        new_rows.append(Uitnodiging(ronde=ronde, address_key=key, aanmelding_id=pk))
        if len(new_rows) >= batch_size:
            created += _store_rows(new_rows)
            new_rows = []
    return created + _store_rows(new_rows)


def _store_rows(rows: list[Uitnodiging]) -> int:
    with transaction.atomic():
        # ignore_conflicts: a second enrolment running at once may have written the same address.
        Uitnodiging.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def send_invitations(*, ronde: Ronde, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Mail every enrolled address that has no invitation yet, batch by batch. Returns how many.

    Nothing before the round starts (a round may be opened ahead of time): the hourly
    `priority_round invite` sends them once it has, and also invites whoever became eligible later
    (marked present after the round opened).
    """
    now = now or timezone.now()
    if not ronde.is_open or ronde.starts_at > now or ronde.ends_at <= now:
        return 0
    return _mail_in_batches(
        Uitnodiging.objects.filter(ronde=ronde, invited_at__isnull=True),
        lambda row: emails.send_invitation(ronde=ronde, aanmelding=row.aanmelding),
        "invited_at",
        batch_size,
    )


def send_reminders(*, ronde: Ronde | None = None, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """In the last two days of an open round, remind every invited address that has not taken part.

    Nobody gets two reminders: `reminded_at` is set in the transaction that queues the mail. Run it
    as often as you like (the daily job does); outside the last two days it does nothing.
    """
    now = now or timezone.now()
    ronde = ronde or Ronde.objects.open().first()
    if ronde is None or not ronde.is_open or not (ronde.ends_at - REMIND_BEFORE_END <= now < ronde.ends_at):
        return 0
    voted = Stembiljet.objects.filter(ronde=ronde, aanmelding__email=OuterRef("aanmelding__email"))
    todo = Uitnodiging.objects.filter(ronde=ronde, invited_at__isnull=False, reminded_at__isnull=True).exclude(
        Exists(voted)
    )
    eligible = eligible_registrations(ronde).values("pk")
    return _mail_in_batches(
        todo.filter(aanmelding__in=eligible),
        lambda row: emails.send_reminder(ronde=ronde, aanmelding=row.aanmelding),
        "reminded_at",
        batch_size,
    )


def _mail_in_batches(todo, send, flag: str, batch_size: int) -> int:
    """Lock a batch of rows still to mail (skipping rows another worker holds), queue a mail for each,
    set their flag, commit; repeat until none is left."""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                todo.select_for_update(skip_locked=True, of=("self",))
                .select_related("aanmelding")
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return sent
            for row in rows:
                send(row)
            Uitnodiging.objects.filter(pk__in=[row.pk for row in rows]).update(**{flag: timezone.now()})
            sent += len(rows)
