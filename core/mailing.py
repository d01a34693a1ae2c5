"""Bulk mail: one message to many addresses, sent by the task worker in batches at a set rate.

A `Mailing` (kind + key, e.g. "resultaten" / "publicatie-3") has one `MailingRecipient` row per address.
`create_mailing()` is idempotent: the same kind and key give the same mailing, and an address already
in it gets no second row (a unique constraint, not a lookup). After commit a task sends a batch;
each batch first schedules the next one, so a queue that holds its tasks in the database
(django-tasks-db) carries the mailing on after a worker is killed and restarted.
`manage.py send_mailings`, run every minute, does the same for a lost queue or the immediate backend.

Nobody twice, nobody skipped
----------------------------
Each row is claimed on its own with one UPDATE (status -> sending, guarded by "still due"), sent, and
marked sent, one row at a time. So two workers never send the same row, and a killed worker leaves
at most ONE row in "sending"; every other row is either sent (and marked) or still pending.

That one row is the window between the mail server accepting the message (its "250" to DATA) and
our UPDATE to "sent". SMTP gives no way to close it: whatever we write before the final "." may be a
message never accepted (skipped), whatever we write after may be lost with the process (sent twice).
We choose to send it again: a row left in "sending" for MAILING_CLAIM_TIMEOUT_SECONDS is claimed
anew. Rather a rare second copy of a results notice than a participant who never hears back. To
make that second copy harmless, every row's message has a fixed Message-ID (the mailing and row
number), so mail clients and providers that collapse duplicates show it once. The lease is well
above EMAIL_TIMEOUT, so a live but slow worker never loses its row to another.

Rendering and retries follow the outbox (`core.mail`): the template triple
templates/emails/<template>_*, rendered in the recipient's language by the content owner's function
`render_with(mailing, row) -> (context, headers)`; a failure is recorded on the row and retried
after the outbox's back-off, at most MAX_AUTOMATIC_ATTEMPTS times; the admin retries the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core.mail import MAX_AUTOMATIC_ATTEMPTS, _backoff, enqueue_or_leave_due, render_message
from core.models import Mailing, MailingRecipient

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Status = MailingRecipient.Status


class NotWanted(Exception):
    """Raised by a `render_with` function when the address no longer wants this message (consent
    withdrawn after the mailing was created): the row is dropped, nothing is sent."""


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = ""
    context: dict | None = None


@dataclass(frozen=True)
class BatchResult:
    sent: int
    failed: int
    #: When the next batch of this mailing may do anything; None when nothing is left to do.
    next_run_at: datetime | None


def create_mailing(
    *, kind: str, key: str, template: str, render_with: str, recipients: Iterable[Recipient], data: dict | None = None
) -> Mailing:
    """Create the mailing and its rows (or add missing rows to an existing one), send after commit.

    Addresses are compared in lower case; when an address occurs twice in `recipients`, the first
    occurrence wins (the caller orders them by precedence).
    """
    rows: dict[str, Recipient] = {}
    for recipient in recipients:
        rows.setdefault(recipient.email.strip().lower(), recipient)
    with transaction.atomic():
        mailing, _created = Mailing.objects.get_or_create(
            kind=kind, key=key, defaults={"template": template, "render_with": render_with, "data": data or {}}
        )
        MailingRecipient.objects.bulk_create(
            [
                MailingRecipient(mailing=mailing, email=email, language=r.language, context=r.context or {})
                for email, r in rows.items()
            ],
            ignore_conflicts=True,  # the unique (mailing, email) constraint makes a second run add nothing
            batch_size=500,
        )
        transaction.on_commit(partial(enqueue_batch, mailing.pk))
    return mailing


def due(now: datetime) -> QuerySet[MailingRecipient]:
    """Rows a worker may claim now: waiting; failed and past their back-off (automatic attempts left);
    or left in "sending" by a worker that died (older than the claim timeout)."""
    lease = now - timedelta(seconds=settings.MAILING_CLAIM_TIMEOUT_SECONDS)
    return MailingRecipient.objects.filter(
        Q(status=Status.PENDING)
        | Q(status=Status.FAILED, attempts__lt=MAX_AUTOMATIC_ATTEMPTS, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, attempts__lt=MAX_AUTOMATIC_ATTEMPTS, claimed_at__lte=lease)
    )


def claim_next(mailing_id: int, *, now: datetime) -> int | None:
    """Claim the mailing's next due row with one guarded UPDATE; its id, or None when none is due."""
    while True:
        pk = due(now).filter(mailing_id=mailing_id).order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            return None
        claimed = due(now).filter(pk=pk).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if claimed:
            return pk
        # Another worker took it between the SELECT and the UPDATE: look for the next one.


def allowance(*, now: datetime) -> int:
    """How many messages may go out now under MAILING_RATE_PER_MINUTE (all mailings together: the
    limit is the mail relay's), counted from the rows sent in the last minute, so it holds across
    batches, workers and restarts."""
    sent_last_minute = MailingRecipient.objects.filter(sent_at__gt=now - timedelta(minutes=1), sent_at__lte=now).count()
    return max(settings.MAILING_RATE_PER_MINUTE - sent_last_minute, 0)


def message_id(row: MailingRecipient) -> str:
    """Fixed per row: a copy sent again after a crash carries the same Message-ID (see the module doc)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<mailing-{row.mailing_id}-{row.pk}@{domain}>"


def build_email(row: MailingRecipient, *, connection=None) -> EmailMultiAlternatives:
    mailing = row.mailing
    with translation.override(row.language or settings.LANGUAGE_CODE):
        context, headers = import_string(mailing.render_with)(mailing, row)
        subject, text, html = render_message(mailing.template, context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email],
        headers={**headers, "Message-ID": message_id(row)},
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    return email


def _send_row(pk: int, *, connection, clock: Clock) -> str:
    """Send one claimed row; returns its new status, or "dropped" when it is no longer wanted."""
    row = MailingRecipient.objects.select_related("mailing").get(pk=pk)
    try:
        build_email(row, connection=connection).send(fail_silently=False)
    except NotWanted:
        MailingRecipient.objects.filter(pk=pk, status=Status.SENDING).delete()
        return "dropped"
    except Exception as exc:  # any rendering or transport error: record it on the row, retry later
        MailingRecipient.objects.filter(pk=pk, status=Status.SENDING).update(
            status=Status.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=clock() + _backoff(row.attempts),
            claimed_at=None,
        )
        logger.warning("Mailing %s: row %s failed (attempt %s): %s", row.mailing_id, pk, row.attempts, exc)
        return Status.FAILED
    # The window described in the module doc is here: accepted by the server, not yet marked.
    MailingRecipient.objects.filter(pk=pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=clock(), claimed_at=None, next_attempt_at=None, last_error=""
    )
    return Status.SENT


def next_due_at(mailing_id: int, *, now: datetime) -> datetime | None:
    """The earliest moment a row of this mailing is (or becomes) claimable; None when none will be."""
    if MailingRecipient.objects.filter(mailing_id=mailing_id, status=Status.PENDING).exists():
        return now
    rows = MailingRecipient.objects.filter(mailing_id=mailing_id, attempts__lt=MAX_AUTOMATIC_ATTEMPTS)
    lease = timedelta(seconds=settings.MAILING_CLAIM_TIMEOUT_SECONDS)
    later = rows.aggregate(
        failed=Min("next_attempt_at", filter=Q(status=Status.FAILED)),
        sending=Min("claimed_at", filter=Q(status=Status.SENDING)),
    )
    moments = [m for m in (later["failed"], later["sending"] and later["sending"] + lease) if m]
    return max(min(moments), now) if moments else None


def send_batch(mailing_id: int, *, clock: Clock = timezone.now) -> BatchResult:
    """Send up to MAILING_BATCH_SIZE due rows of the mailing, within the rate limit, over one SMTP
    connection. `clock` is injectable so tests can check the rate without waiting."""
    limit = min(settings.MAILING_BATCH_SIZE, allowance(now=clock()))
    sent = failed = 0
    connection = None
    try:
        while sent + failed < limit:  # a dropped row takes no place in the batch
            pk = claim_next(mailing_id, now=clock())
            if pk is None:
                break
            if connection is None:
                connection = get_connection(fail_silently=False)
                try:
                    connection.open()
                except Exception:  # a mail server that is down: each send records its own error
                    logger.warning("Mailing %s: could not connect to the mail server.", mailing_id, exc_info=True)
            outcome = _send_row(pk, connection=connection, clock=clock)
            sent += outcome == Status.SENT
            failed += outcome == Status.FAILED
            if outcome == Status.FAILED:
                # The server may have dropped the connection; the next row connects afresh.
                _close_quietly(connection)
                connection = None
    finally:
        if connection is not None:
            _close_quietly(connection)
    return BatchResult(sent=sent, failed=failed, next_run_at=next_due_at(mailing_id, now=clock()))


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a connection the server already dropped
        logger.debug("Closing the SMTP connection failed.", exc_info=True)


def pace() -> timedelta:
    """The time one full batch takes at the configured rate: the gap between batches."""
    return timedelta(seconds=60 * settings.MAILING_BATCH_SIZE / settings.MAILING_RATE_PER_MINUTE)


def run_batch(mailing_id: int, *, clock: Clock = timezone.now) -> BatchResult:
    """The task's body: schedule the next batch first (so a worker killed during this one leaves
    the mailing's continuation in the queue), then send this one."""
    now = clock()
    upcoming = next_due_at(mailing_id, now=now)
    if upcoming is not None and _queue_can_defer():
        enqueue_batch(mailing_id, run_after=max(upcoming, now + pace()))
    return send_batch(mailing_id, clock=clock)


def _queue_can_defer() -> bool:
    from core.tasks import send_mailing_batch

    return send_mailing_batch.get_backend().supports_defer


def enqueue_batch(mailing_id: int, *, run_after: datetime | None = None) -> None:
    """Hand a batch to the task queue; if the queue is unavailable `send_mailings` sends it."""
    from core.tasks import send_mailing_batch

    enqueue_or_leave_due(send_mailing_batch, mailing_id, run_after=run_after, what="mailing")


def send_due(*, clock: Clock = timezone.now) -> BatchResult:
    """Send every mailing's due rows while the rate allows (the periodic command's body)."""
    sent = failed = 0
    for mailing_id in due(clock()).order_by("mailing_id").values_list("mailing_id", flat=True).distinct():
        while allowance(now=clock()) > 0:
            result = send_batch(mailing_id, clock=clock)
            sent, failed = sent + result.sent, failed + result.failed
            if result.sent + result.failed == 0:
                break
    return BatchResult(sent=sent, failed=failed, next_run_at=None)


def retry_failed(mailing: Mailing) -> int:
    """Put the mailing's failed rows back in the queue now (from the admin), and rows a dead worker
    left in "sending" past the claim timeout that ran out of automatic attempts. Returns how many."""
    lease = timezone.now() - timedelta(seconds=settings.MAILING_CLAIM_TIMEOUT_SECONDS)
    with transaction.atomic():
        count = MailingRecipient.objects.filter(
            Q(status=Status.FAILED) | Q(status=Status.SENDING, claimed_at__lte=lease), mailing=mailing
        ).update(status=Status.PENDING, attempts=0, next_attempt_at=None, claimed_at=None)
        if count:
            transaction.on_commit(partial(enqueue_batch, mailing.pk))
    return count


def with_progress(mailings: QuerySet[Mailing]) -> QuerySet[Mailing]:
    """Annotate sent, to send (waiting or being sent) and failed rows, in the same query."""
    return mailings.annotate(
        sent_count=Count("recipients", filter=Q(recipients__status=Status.SENT)),
        to_send_count=Count("recipients", filter=Q(recipients__status__in=[Status.PENDING, Status.SENDING])),
        failed_count=Count("recipients", filter=Q(recipients__status=Status.FAILED)),
    )
