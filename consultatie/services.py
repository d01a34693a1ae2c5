"""Writes of the site package: a question from the contact form."""

from __future__ import annotations

from django.db import transaction

from consultatie.emails import send_contact_acknowledgement, send_contact_message
from core.models import ContactBericht


def submit_contact_message(*, name: str, email: str, subject: str, message: str) -> ContactBericht:
    """Store the question, queue it for the programme address and an acknowledgement for the sender.

    Stored first, so a question is never lost even when the mail server is down.
    """
    with transaction.atomic():
        bericht = ContactBericht.objects.create(
            name=name.strip(), email=email.strip().lower(), subject=subject.strip(), message=message.strip()
        )
        send_contact_message(bericht)
        send_contact_acknowledgement(bericht)
    return bericht
