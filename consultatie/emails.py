"""Emails of the site package: the contact form's question to the team and the acknowledgement."""

from __future__ import annotations

from django.conf import settings

from core.mail import queue
from core.models import ContactBericht, OutboxMessage


def send_contact_message(bericht: ContactBericht) -> OutboxMessage:
    """Forward a contact-form question to the programme address; replying answers the sender."""
    return queue(
        "contactbericht",
        recipient=settings.CONTACT_EMAIL,
        reply_to=bericht.email,
        context={"bericht": bericht, "site_url": settings.SITE_URL},
    )


def send_contact_acknowledgement(bericht: ContactBericht) -> OutboxMessage:
    """Tell the sender their question arrived, in the language of the page they wrote from.

    Rendered now (in the request's language). It repeats nothing the sender typed: anyone can enter
    any address, and the form must not become a way to deliver their text to a stranger.
    """
    return queue(
        "contactbericht_ontvangen",
        recipient=bericht.email,
        context={"contact_email": settings.CONTACT_EMAIL, "site_url": settings.SITE_URL},
    )
