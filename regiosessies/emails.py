"""One function per email to a registrant. Each renders templates/emails/<name>_*.{txt,html}
and puts the message in the outbox in the caller's transaction; delivery follows the commit."""

from __future__ import annotations

from django.conf import settings

from consultatie.mail import Attachment, queue
from regiosessies.ics import aanmelding_ics, personal_url
from regiosessies.models import Aanmelding


def _context(aanmelding: Aanmelding, **extra) -> dict:
    return {
        "aanmelding": aanmelding,
        "sessie": aanmelding.session,
        "personal_url": personal_url(aanmelding),
        "site_url": settings.SITE_URL,
        "contact_email": settings.CONTACT_EMAIL,
        **extra,
    }


def _ics(aanmelding: Aanmelding, *, cancelled: bool = False) -> Attachment:
    return Attachment(
        filename="regiosessie.ics",
        content=aanmelding_ics(aanmelding, cancelled=cancelled),
        mimetype="text/calendar",
    )


def send_confirmation(aanmelding: Aanmelding):
    """A seat is yours: the details, the calendar file and the personal link."""
    return queue(
        "aanmelding_bevestigd",
        recipient=aanmelding.email,
        context=_context(aanmelding),
        attachments=[_ics(aanmelding)],
        aanmelding=aanmelding,
    )


def send_waitlisted(aanmelding: Aanmelding, *, position: int | None):
    """The session is full: you are on the waiting list at this position."""
    return queue(
        "aanmelding_wachtlijst",
        recipient=aanmelding.email,
        context=_context(aanmelding, position=position),
        aanmelding=aanmelding,
    )


def send_promoted(aanmelding: Aanmelding):
    """A seat came free and is now yours."""
    return queue(
        "aanmelding_doorgeschoven",
        recipient=aanmelding.email,
        context=_context(aanmelding),
        attachments=[_ics(aanmelding)],
        aanmelding=aanmelding,
    )


def send_cancellation(aanmelding: Aanmelding):
    """You cancelled your registration (through the personal link or the organisers did)."""
    return queue(
        "aanmelding_geannuleerd",
        recipient=aanmelding.email,
        context=_context(aanmelding),
        attachments=[_ics(aanmelding, cancelled=True)],
        aanmelding=aanmelding,
    )


def send_session_cancelled(aanmelding: Aanmelding):
    """The organisers cancelled the whole session."""
    return queue(
        "regiosessie_geannuleerd",
        recipient=aanmelding.email,
        context=_context(aanmelding),
        attachments=[_ics(aanmelding, cancelled=True)],
        aanmelding=aanmelding,
    )
