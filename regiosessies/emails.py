"""One function per email to a registrant. Each writes the message to the outbox in the caller's
transaction (the one holding the session lock); after commit the delivery task renders it from
templates/emails/<name>_*.{txt,html} with `render` and sends it, outside the lock and outside the web
request."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from core.mail import Attachment, queue, queue_rendered_later, render_message
from core.models import OutboxMessage
from regiosessies.ics import aanmelding_ics, personal_url
from regiosessies.models import Aanmelding

# Messages whose calendar file cancels the event instead of adding it.
CANCELLING = {"aanmelding_geannuleerd", "regiosessie_geannuleerd"}
WITH_CALENDAR = {"aanmelding_bevestigd", "aanmelding_doorgeschoven", "aanmelding_herinnering"} | CANCELLING


def render(message) -> tuple[dict, list[Attachment]]:
    """Context and attachments for an outbox message about a registration (`render_with` target).

    Runs in the delivery task after commit, so it shows the registration as it is then (e.g. the
    current waiting-list position).
    """
    aanmelding = Aanmelding.objects.select_related("session").get(pk=message.aanmelding_id)
    context = {
        "aanmelding": aanmelding,
        "session": aanmelding.session,
        "personal_url": personal_url(aanmelding),
        "site_url": settings.SITE_URL,
        "contact_email": settings.CONTACT_EMAIL,
    }
    if message.template == "aanmelding_wachtlijst":
        context["position"] = aanmelding.waitlist_position()
    attachments = []
    if message.template in WITH_CALENDAR:
        attachments.append(
            Attachment(
                filename="regiosessie.ics",
                content=aanmelding_ics(
                    aanmelding, cancelled=message.template in CANCELLING, sequence=_calendar_revision(message)
                ),
                mimetype="text/calendar",
            )
        )
    return context, attachments


def _calendar_revision(message) -> int:
    """How many calendar files this registration was sent before this one: each new one outranks the last."""
    return OutboxMessage.objects.filter(
        aanmelding_id=message.aanmelding_id, template__in=WITH_CALENDAR, pk__lt=message.pk
    ).count()


def _queue(name: str, aanmelding: Aanmelding):
    return queue_rendered_later(
        name,
        recipient=aanmelding.email,
        render_with="regiosessies.emails.render",
        aanmelding=aanmelding,
        language=aanmelding.language,
    )


def send_confirmation(aanmelding: Aanmelding):
    """A seat is yours: the details, the calendar file and the personal link."""
    return _queue("aanmelding_bevestigd", aanmelding)


def send_waitlisted(aanmelding: Aanmelding):
    """The session is full: you are on the waiting list (the mail gives the position)."""
    return _queue("aanmelding_wachtlijst", aanmelding)


def send_promoted(aanmelding: Aanmelding):
    """A seat came free and is now yours."""
    return _queue("aanmelding_doorgeschoven", aanmelding)


def send_cancellation(aanmelding: Aanmelding):
    """You cancelled your registration (through the personal link or the organisers did)."""
    return _queue("aanmelding_geannuleerd", aanmelding)


def send_session_cancelled(aanmelding: Aanmelding):
    """The organisers cancelled the whole session."""
    return _queue("regiosessie_geannuleerd", aanmelding)


def send_reminder(aanmelding: Aanmelding):
    """Two days to go: the address, the route link and the calendar file again (services.send_due_reminders)."""
    return _queue("aanmelding_herinnering", aanmelding)


def _session_message_context(aanmelding: Aanmelding, *, subject: str, body: str, written_in: str) -> dict:
    return {
        "aanmelding": aanmelding,
        "session": aanmelding.session,
        "personal_url": personal_url(aanmelding),
        "site_url": settings.SITE_URL,
        "contact_email": settings.CONTACT_EMAIL,
        "message_subject": subject,
        "message_body": body,
        "message_language": written_in,
    }


def send_session_message(aanmelding: Aanmelding, *, subject: str, body: str, written_in: str):
    """Staff write to the participants of a session (e.g. a change of room): the frame (greeting, session
    details, personal link) in the participant's language, the staff text as written."""
    context = _session_message_context(aanmelding, subject=subject, body=body, written_in=written_in)
    with translation.override(aanmelding.language or settings.LANGUAGE_CODE):
        return queue("sessiebericht", recipient=aanmelding.email, aanmelding=aanmelding, context=context)


def preview_session_message(aanmelding: Aanmelding, *, subject: str, body: str) -> tuple[str, str, str]:
    """Subject, text and HTML of `send_session_message` for this recipient, without sending anything."""
    context = _session_message_context(aanmelding, subject=subject, body=body, written_in=translation.get_language())
    with translation.override(aanmelding.language or settings.LANGUAGE_CODE):
        return render_message("sessiebericht", context)
