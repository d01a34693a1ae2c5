"""Background tasks of the site package (django-tasks): delivering the email outbox and bulk mailings."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_outbox_message(message_id: int) -> bool:
    """Deliver one outbox message; failures are recorded on the row and retried, never raised."""
    from core.mail import deliver

    return deliver(message_id)


@task()
def send_mailing_batch(mailing_id: int) -> int:
    """Send one batch of a bulk mailing (and schedule the next); returns how many were sent."""
    from core.mailing import run_batch

    return run_batch(mailing_id).sent
