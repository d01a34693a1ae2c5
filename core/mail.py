"""The email outbox: every message is stored first and delivered after the transaction commits.

`queue()` renders a message from its template triple (templates/emails/<name>_subject.txt,
_body.txt, _body.html) and writes an OutboxMessage in the caller's transaction. After commit a
django-tasks task calls `deliver()`. A failure is recorded on the row (attempts, last_error) and the
task is re-enqueued with back-off where the task backend can defer; `manage.py send_outbox` retries
every due message, so even a lost queue loses no email.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failed attempt; the last value repeats.
BACKOFF_MINUTES = [1, 5, 15, 60, 240]
# After this many failures the task queue stops retrying on its own; `send_outbox` still does.
MAX_AUTOMATIC_ATTEMPTS = 5


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


def render_message(name: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of the message `name`, rendered from its template triple."""
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A subject is one line; templates may wrap for readability.
    subject = re.sub(r"\s+", " ", subject).strip()
    text = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def queue(
    name: str,
    *,
    recipient: str,
    context: dict,
    attachments: Iterable[Attachment] = (),
    aanmelding=None,
    reply_to: str = "",
) -> OutboxMessage:
    """Store the message in the outbox (in the caller's transaction) and deliver it after commit."""
    subject, text, html = render_message(name, context)
    # No savepoint: the caller's transaction is the unit; a failure here fails the caller's change too.
    with transaction.atomic(savepoint=False):
        message = OutboxMessage.objects.create(
            recipient=recipient,
            reply_to=reply_to,
            subject=subject[:300],
            body_text=text,
            body_html=html,
            attachments=[asdict(a) for a in attachments],
            template=name,
            aanmelding=aanmelding,
        )
        transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


def queue_rendered_later(
    name: str, *, recipient: str, render_with: str, aanmelding=None, language: str = ""
) -> OutboxMessage:
    """Store the message in the caller's transaction now; the delivery task renders it.

    For messages written while a lock is held (a registration holds its session's row lock) and in a
    web request that should answer quickly: the row with everything needed to render it (template,
    recipient, registration, and the dotted path of a function `render_with(message) -> (context,
    attachments)`) is part of the transaction, so nothing is lost, but the slow part (templates,
    .ics) runs in the task worker (`deliver()` renders any message that is still empty), not under
    the lock and not in the request. With the immediate task backend (tests, development) the
    delivery, rendering included, still runs in-process after commit.
    """
    with transaction.atomic(savepoint=False):
        message = OutboxMessage.objects.create(
            recipient=recipient,
            template=name,
            render_with=render_with,
            aanmelding=aanmelding,
            # Rendered later by a worker that has no request: remember the language now.
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


def render_pending(message: OutboxMessage) -> OutboxMessage:
    """Fill in subject, text, HTML and attachments of a message queued with `queue_rendered_later`."""
    if message.body_text or not message.render_with:
        return message
    with translation.override(message.language or settings.LANGUAGE_CODE):
        context, attachments = import_string(message.render_with)(message)
        subject, text, html = render_message(message.template, context)
    OutboxMessage.objects.filter(pk=message.pk, body_text="").update(
        subject=subject[:300], body_text=text, body_html=html, attachments=[asdict(a) for a in attachments]
    )
    return OutboxMessage.objects.get(pk=message.pk)


def enqueue_or_leave_due(task, object_id: int, *, run_after: datetime | None, what: str) -> None:
    """Hand `task(object_id)` to the task queue. The rows it works on stay due in the database, so when
    the queue is unavailable nothing is lost: the periodic command (`what`) picks them up."""
    try:
        if run_after is not None:
            task = task.using(run_after=run_after)
        task.enqueue(object_id)
    except Exception:
        logger.exception("Could not enqueue %s %s; the periodic job will pick it up.", what, object_id)


def enqueue_delivery(message_id: int, *, run_after: datetime | None = None) -> None:
    """Hand the message to the task queue. If the queue is unavailable the row stays due for send_outbox."""
    from core.tasks import deliver_outbox_message

    enqueue_or_leave_due(deliver_outbox_message, message_id, run_after=run_after, what="outbox message")


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def deliver(message_id: int, *, only_if_due: bool = False, now: datetime | None = None) -> bool:
    """Send one outbox message. Returns True when it was sent by this call.

    The row is claimed with one UPDATE (status -> sending) before the mail server is contacted, so a
    task and the retry command running at once never send the same message twice, and no database
    lock is held while talking to a slow mail server.
    """
    now = now or timezone.now()
    claimable = OutboxMessage.objects.filter(pk=message_id)
    if only_if_due:
        claimable = claimable.due(now)
    else:
        claimable = claimable.filter(
            Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED])
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lte=now - timedelta(minutes=10))
        )
    if not claimable.update(status=OutboxMessage.Status.SENDING, claimed_at=now):
        return False

    message = OutboxMessage.objects.get(pk=message_id)
    attempts = message.attempts + 1
    try:
        message = render_pending(message)
        _build_email(message).send(fail_silently=False)
    except Exception as exc:  # any rendering or transport error: record it, never lose the message
        next_attempt_at = timezone.now() + _backoff(attempts)
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxMessage.Status.FAILED,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=next_attempt_at,
            claimed_at=None,
        )
        logger.warning("Outbox message %s failed (attempt %s): %s", message_id, attempts, exc)
        from core.tasks import deliver_outbox_message

        if attempts < MAX_AUTOMATIC_ATTEMPTS and deliver_outbox_message.get_backend().supports_defer:
            enqueue_delivery(message_id, run_after=next_attempt_at)
        return False

    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        next_attempt_at=None,
        claimed_at=None,
    )
    return True


def deliver_due(*, now: datetime | None = None, limit: int | None = None) -> tuple[int, int]:
    """Try every due message once, oldest first. Returns (sent, failed)."""
    now = now or timezone.now()
    ids = OutboxMessage.objects.due(now).order_by("created", "id").values_list("pk", flat=True)
    if limit:
        ids = ids[:limit]
    sent = failed = 0
    for message_id in list(ids):
        if deliver(message_id, only_if_due=True, now=now):
            sent += 1
        elif OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.FAILED).exists():
            failed += 1
    return sent, failed


def resend(message: OutboxMessage) -> OutboxMessage:
    """Send a message again from the admin: a failed or waiting one now, a sent one as a fresh copy."""
    with transaction.atomic():
        if message.status == OutboxMessage.Status.SENT:
            message = OutboxMessage.objects.create(
                recipient=message.recipient,
                reply_to=message.reply_to,
                subject=message.subject,
                body_text=message.body_text,
                body_html=message.body_html,
                attachments=message.attachments,
                template=message.template,
                render_with=message.render_with,
                aanmelding=message.aanmelding,
            )
        else:
            OutboxMessage.objects.filter(pk=message.pk).exclude(status=OutboxMessage.Status.SENDING).update(
                status=OutboxMessage.Status.PENDING, next_attempt_at=None
            )
        transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


def resend_all(messages: Iterable[OutboxMessage]) -> int:
    """`resend` each of `messages`; returns how many went back into the outbox."""
    count = 0
    for message in messages:
        resend(message)
        count += 1
    return count
