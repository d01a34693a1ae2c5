"""Writes of core's own rows that are not mail (that is `core.mail` and `core.mailing`): keyword-only
functions, one transaction each."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from core.models import ContactBericht


def mark_contact_handled(*, messages: QuerySet[ContactBericht]) -> int:
    """Mark the contact-form questions that are still open as handled now; returns how many were.
    Ones handled before keep their date."""
    return messages.filter(handled_at__isnull=True).update(handled_at=timezone.now())
