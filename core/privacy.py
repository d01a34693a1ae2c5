"""Personal data: keeping it no longer than needed, and the rights of the person it is about.

- Retention: `purge_personal_data` deletes old handled contact messages and sent emails, and asks every
  registered source (`PersonalData`) to anonymise its records past the retention period
  (`PERSONAL_DATA_RETENTION_DAYS`). The report's figures survive; nothing that identifies a person does.
- Data-subject rights: programme staff find everything held about an email address, export it as
  JSON, or erase it (admin page "Persoonsgegevens opvragen of wissen", `core.admin.AuditLogAdmin`).
- Accountability: every export of personal data and every erasure is written to `AuditLog` (who,
  when, what, how many records). Other exports (registration lists, attendance lists) call
  `log_export` to do the same.

Core holds the contact messages and the emails; a domain app that holds personal data of its own
subclasses `PersonalData` and registers it with `register()` in its `AppConfig.ready()`
(regiosessies: the registrations, `regiosessies/privacy.py`).
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import AuditLog, ContactBericht, MailingRecipient, OutboxMessage

# --- The registry of personal data held by domain apps -----------------------------------------


@dataclass(frozen=True)
class Due:
    """A source's records past the retention period, as querysets (evaluated where they are used)."""

    #: Records whose personal data goes now.
    anonymise: QuerySet
    #: Records kept a while longer for one purpose, reduced to what that purpose needs.
    reduce: QuerySet | None = None


class PersonalData:
    """Personal data one domain app holds, for the retention purge and a person's requests.

    Subclass it and register an instance with `register()` from the app's `AppConfig.ready()`. Records
    found for a person come as lists (`find`), records due for the purge as querysets (`due`).
    """

    #: The key of these records in the JSON export and in the purge's and erasure's counts ("registrations").
    key: str
    #: The template that lists them on the data-subject admin page; it gets `records`.
    template: str

    # What was done, in the source's own words: a translated line with the count ("3 aanmeldingen
    # geanonimiseerd"), for the erasure's message in the admin and the purge command's output.
    def describe_anonymised(self, count: int) -> str:
        """How many records were anonymised (by the purge or an erasure)."""
        raise NotImplementedError

    def describe_reduced(self, count: int) -> str:
        """How many records were reduced; needed only by a source whose `due` has a `reduce`."""
        raise NotImplementedError

    def describe_released(self, count: int) -> str:
        """How many records gave something back before an erasure ("" if the source holds nothing to give)."""
        return ""

    # A person's request.
    def find(self, email: str) -> list:
        """The records about the person with this address (case-insensitive), in a stable order."""
        raise NotImplementedError

    def export(self, record) -> dict:
        """One record as a JSON-ready dict, everything personal in it included."""
        raise NotImplementedError

    def linked_emails(self, records) -> Q:
        """A filter on `OutboxMessage` for the emails written about these records."""
        return Q(pk__in=[])

    def release(self, records, *, now: datetime) -> int:
        """Before an erasure: give back what the records still hold (a seat); how many were released."""
        return 0

    def erase(self, records, *, now: datetime) -> int:
        """Anonymise (or delete) these records; how many (in words: `describe_anonymised`)."""
        raise NotImplementedError

    # Retention.
    def due(self, *, cutoff: datetime, now: datetime) -> Due:
        """The records past the retention period that ended at `cutoff`."""
        raise NotImplementedError

    def anonymise(self, records: QuerySet, *, now: datetime, dry_run: bool = False) -> int:
        """Blank what identifies the person; with `dry_run`, only count."""
        raise NotImplementedError

    def reduce(self, records: QuerySet, *, now: datetime, dry_run: bool = False) -> int:
        """Blank all but what the later purpose needs; with `dry_run`, only count."""
        return 0

    def addresses(self, records: QuerySet) -> set[str]:
        """The email addresses in these records."""
        return set()

    def addresses_in_use(self, emails: set[str]) -> set[str]:
        """Which of these addresses a record still holds (their bulk-mail rows stay)."""
        return set()


_sources: dict[str, PersonalData] = {}


def register(source: PersonalData) -> None:
    """Include `source` in the purge, the search, the export and the erasure. Call it from the domain
    app's `AppConfig.ready()`; registering the same key again replaces the earlier one."""
    _sources[source.key] = source


def sources() -> list[PersonalData]:
    return list(_sources.values())


def _linked_emails(held) -> Q:
    """The emails about the records in `held`, pairs of (source, records)."""
    return functools.reduce(operator.or_, (source.linked_emails(records) for source, records in held), Q(pk__in=[]))


# --- Audit log and shared helpers ---------------------------------------------------------------


def subject_hash(email: str) -> str:
    """A keyed hash of the address: the log can later answer "did you erase x@y?" without keeping it."""
    return salted_hmac("core.privacy.subject", email.strip().lower()).hexdigest()


def log_export(
    *, actor, what: str, count: int, subject_email: str = "", action: str = AuditLog.Action.EXPORT
) -> AuditLog:
    """Record that `actor` exported (or viewed, or erased) personal data. Call it for every export
    of personal data: `what` says which data and in which form, `count` how many records."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        what=what[:300],
        record_count=count,
        subject_hash=subject_hash(subject_email) if subject_email else "",
    )


def scrub_admin_log(model, ids) -> None:
    """Blank the admin history's names of these objects: it keeps each object's name as it was
    ("Anna de Vries – Regiosessie Noord")."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=str(_("(geanonimiseerd)")), change_message="")


def retention_cutoff(*, days: int, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


# --- Retention ----------------------------------------------------------------------------------


def describe_contact_messages_deleted(count: int) -> str:
    return ngettext("%(count)d contactbericht verwijderd", "%(count)d contactberichten verwijderd", count) % {
        "count": count
    }


def describe_emails_deleted(count: int) -> str:
    return ngettext("%(count)d e-mail verwijderd", "%(count)d e-mails verwijderd", count) % {"count": count}


def describe_bulk_emails_deleted(count: int) -> str:
    return ngettext(
        "%(count)d regel van een bulkmailing verwijderd", "%(count)d regels van bulkmailings verwijderd", count
    ) % {"count": count}


@dataclass(frozen=True)
class PurgeResult:
    """What the purge did (or, with `dry_run`, would do); per source the counts are keyed by `PersonalData.key`."""

    anonymised: dict[str, int]
    #: Kept a while longer for one purpose (registrations: the results email), reduced to what it needs.
    #: Only sources whose `due` has a `reduce` appear.
    reduced: dict[str, int]
    contact_messages_deleted: int
    emails_deleted: int
    #: Not counted by a dry run (None).
    bulk_emails_deleted: int | None = None

    def describe(self) -> list[str]:
        """One translated line per count: each source in its own words, then core's."""
        lines = []
        for source in sources():
            lines.append(source.describe_anonymised(self.anonymised.get(source.key, 0)))
            if source.key in self.reduced:
                lines.append(source.describe_reduced(self.reduced[source.key]))
        lines += [
            describe_contact_messages_deleted(self.contact_messages_deleted),
            describe_emails_deleted(self.emails_deleted),
        ]
        if self.bulk_emails_deleted is not None:
            lines.append(describe_bulk_emails_deleted(self.bulk_emails_deleted))
        return lines


def _delete_bulk_emails_of(emails: set[str]) -> int:
    """Bulk-mail rows of addresses no record holds any more."""
    live = set().union(*(source.addresses_in_use(emails) for source in sources()))
    deleted, _per_model = MailingRecipient.objects.filter(email__in=emails - live).delete()
    return deleted


def _contact_messages_due(*, cutoff: datetime, now: datetime) -> QuerySet[ContactBericht]:
    # Handled messages go after the retention period; a message nobody marked as handled does not
    # stay forever either: it goes CONTACT_MESSAGE_MAX_DAYS after it came in.
    return ContactBericht.objects.filter(
        Q(handled_at__isnull=False, handled_at__lt=cutoff)
        | Q(handled_at__isnull=True, created__lt=retention_cutoff(days=settings.CONTACT_MESSAGE_MAX_DAYS, now=now))
    )


def purge_personal_data(*, days: int | None = None, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Anonymise the records every source finds due (`PersonalData.due`), delete contact messages
    handled that long ago (or never handled and older than CONTACT_MESSAGE_MAX_DAYS) and emails sent
    that long ago (and every email about a record being anonymised or reduced). With `dry_run`, count
    only."""
    now = now or timezone.now()
    cutoff = retention_cutoff(days=days if days is not None else settings.PERSONAL_DATA_RETENTION_DAYS, now=now)
    due = [(source, source.due(cutoff=cutoff, now=now)) for source in sources()]
    held = [(s, d.anonymise) for s, d in due] + [(s, d.reduce) for s, d in due if d.reduce is not None]
    contact = _contact_messages_due(cutoff=cutoff, now=now)
    emails = OutboxMessage.objects.filter(
        _linked_emails(held) | Q(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff)
    )
    if dry_run:
        return PurgeResult(
            anonymised={s.key: s.anonymise(d.anonymise, now=now, dry_run=True) for s, d in due},
            reduced={s.key: s.reduce(d.reduce, now=now, dry_run=True) for s, d in due if d.reduce is not None},
            contact_messages_deleted=contact.count(),
            emails_deleted=emails.count(),
        )
    with transaction.atomic():
        # Emails first: they are found through the records that are about to lose their data.
        email_ids = list(emails.values_list("pk", flat=True))
        emails_deleted, _per_model = OutboxMessage.objects.filter(pk__in=email_ids).delete()
        addresses = set().union(*(s.addresses(d.anonymise) for s, d in due))
        anonymised = {s.key: s.anonymise(d.anonymise, now=now) for s, d in due}
        reduced = {s.key: s.reduce(d.reduce, now=now) for s, d in due if d.reduce is not None}
        bulk_deleted = _delete_bulk_emails_of(addresses)
        contact_ids = list(contact.values_list("pk", flat=True))
        contact_deleted, _per_model = ContactBericht.objects.filter(pk__in=contact_ids).delete()
        scrub_admin_log(ContactBericht, contact_ids)
    return PurgeResult(
        anonymised=anonymised,
        reduced=reduced,
        contact_messages_deleted=contact_deleted,
        emails_deleted=emails_deleted,
        bulk_emails_deleted=bulk_deleted,
    )


# --- A person's request: find, export, erase ----------------------------------------------------


@dataclass(frozen=True)
class SubjectData:
    #: Per registered source: (source, its records about the person).
    held: list[tuple[PersonalData, list]]
    contact_messages: list[ContactBericht]
    emails: list[OutboxMessage]
    #: Rows of bulk mailings (the results email, follow-up digests) to the address.
    bulk_emails: list[MailingRecipient] = field(default_factory=list)

    @property
    def count(self) -> int:
        held = sum(len(records) for _source, records in self.held)
        return held + len(self.contact_messages) + len(self.emails) + len(self.bulk_emails)


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure did; per source the counts are keyed by `PersonalData.key`."""

    #: Records that gave something back first (registrations: a seat for a coming session).
    released: dict[str, int]
    anonymised: dict[str, int]
    contact_messages_deleted: int
    #: Emails from the outbox and rows of bulk mailings.
    emails_deleted: int

    @property
    def total(self) -> int:
        return sum(self.anonymised.values()) + self.contact_messages_deleted + self.emails_deleted

    def describe(self) -> list[str]:
        """One translated line per count: each source in its own words, then core's."""
        lines = []
        for source in sources():
            lines.append(source.describe_anonymised(self.anonymised.get(source.key, 0)))
            if released := source.describe_released(self.released.get(source.key, 0)):
                lines.append(released)
        lines += [
            describe_contact_messages_deleted(self.contact_messages_deleted),
            describe_emails_deleted(self.emails_deleted),
        ]
        return lines


def find_personal_data(*, email: str) -> SubjectData:
    """Everything held about the person with this address (case-insensitive)."""
    email = email.strip()
    held = [(source, source.find(email)) for source in sources()]
    return SubjectData(
        held=held,
        contact_messages=list(ContactBericht.objects.filter(email__iexact=email).order_by("created")),
        emails=list(
            OutboxMessage.objects.filter(Q(recipient__iexact=email) | _linked_emails(held)).order_by("created")
        ),
        bulk_emails=list(
            MailingRecipient.objects.filter(email__iexact=email).select_related("mailing").order_by("created")
        ),
    )


def view_personal_data(*, email: str, actor) -> SubjectData:
    """Everything held about `email`, for staff to look at; the look is logged."""
    with transaction.atomic():
        data = find_personal_data(email=email)
        log_export(
            actor=actor,
            action=AuditLog.Action.VIEW,
            what=str(_("Inzageverzoek: gegevens bekeken")),
            count=data.count,
            subject_email=email,
        )
    return data


def _isoformat(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _export_contact_message(c: ContactBericht) -> dict:
    return {
        "name": c.name,
        "email": c.email,
        "subject": c.subject,
        "message": c.message,
        "created": c.created.isoformat(),
        "handled_at": _isoformat(c.handled_at),
    }


def _export_email(m: OutboxMessage) -> dict:
    return {
        "recipient": m.recipient,
        "subject": m.subject,
        "body_text": m.body_text,
        "status": m.status,
        "created": m.created.isoformat(),
        "sent_at": _isoformat(m.sent_at),
    }


def _export_bulk_email(r: MailingRecipient) -> dict:
    return {
        "mailing": str(r.mailing),
        "email": r.email,
        "language": r.language,
        "status": r.status,
        "created": r.created.isoformat(),
        "sent_at": _isoformat(r.sent_at),
    }


def subject_export(data: SubjectData, *, email: str, now: datetime | None = None) -> dict:
    """The export as a plain structure (what `export_personal_data` writes as JSON)."""
    return {
        "email": email,
        "exported_at": (now or timezone.now()).isoformat(),
        **{source.key: [source.export(record) for record in records] for source, records in data.held},
        "contact_messages": [_export_contact_message(c) for c in data.contact_messages],
        "emails": [_export_email(m) for m in data.emails],
        "bulk_emails": [_export_bulk_email(r) for r in data.bulk_emails],
    }


def export_personal_data(*, email: str, actor) -> dict:
    """Everything held about `email`, as a JSON-ready dict; the export is logged."""
    with transaction.atomic():
        data = find_personal_data(email=email)
        log_export(
            actor=actor, what=str(_("Inzageverzoek: alle gegevens (JSON)")), count=data.count, subject_email=email
        )
    return subject_export(data, email=email)


def erase_personal_data(*, email: str, actor) -> ErasureResult:
    """Erase what is held about `email`: each source first gives back what its records still hold (a
    seat for a coming session, so the waiting list moves up), then erases them (registrations are
    anonymised so the report's counts stay right); contact messages and emails are deleted. The
    erasure is logged."""
    now = timezone.now()
    data = find_personal_data(email=email)
    released = {source.key: source.release(records, now=now) for source, records in data.held}
    with transaction.atomic():
        # Includes an email just queued by a release: someone who asked to be erased gets no more mail.
        emails_deleted, _per_model = OutboxMessage.objects.filter(
            Q(recipient__iexact=email.strip()) | _linked_emails(data.held)
        ).delete()
        bulk_deleted, _per_model = MailingRecipient.objects.filter(email__iexact=email.strip()).delete()
        emails_deleted += bulk_deleted
        erased = {source.key: source.erase(records, now=now) for source, records in data.held}
        contact_ids = [c.pk for c in data.contact_messages]
        contact_deleted, _per_model = ContactBericht.objects.filter(pk__in=contact_ids).delete()
        scrub_admin_log(ContactBericht, contact_ids)
        result = ErasureResult(
            released=released,
            anonymised=erased,
            contact_messages_deleted=contact_deleted,
            emails_deleted=emails_deleted,
        )
        log_export(
            actor=actor,
            action=AuditLog.Action.ERASE,
            what=str(_("Verzoek om verwijdering: gegevens geanonimiseerd, berichten en e-mails gewist")),
            count=result.total,
            subject_email=email,
        )
    return result
