"""Background tasks of the site package (django-tasks): delivering the email outbox."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_outbox_message(message_id: int) -> bool:
    """Deliver one outbox message; failures are recorded on the row and retried, never raised."""
    from consultatie.mail import deliver

    return deliver(message_id)
