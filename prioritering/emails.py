"""One function per email about the prioritisation round. Each renders its template triple
(templates/emails/<name>_*) in the registrant's language and writes it to the outbox in the caller's
transaction (the batch that also records who was mailed); delivery follows after commit."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.mail import queue
from prioritering.models import Ronde
from regiosessies.models import Aanmelding


def ballot_url(aanmelding: Aanmelding) -> str:
    """The personal ballot page, absolute, in the language the person registered in."""
    with translation.override(aanmelding.language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("prioritering:stembiljet", kwargs={"token": aanmelding.token})


def _queue(name: str, *, ronde: Ronde, aanmelding: Aanmelding):
    with translation.override(aanmelding.language or settings.LANGUAGE_CODE):
        return queue(
            name,
            recipient=aanmelding.email,
            aanmelding=aanmelding,
            context={
                "aanmelding": aanmelding,
                "ronde": ronde,
                "ballot_url": ballot_url(aanmelding),
                "site_url": settings.SITE_URL,
                "contact_email": settings.CONTACT_EMAIL,
            },
        )


def send_invitation(*, ronde: Ronde, aanmelding: Aanmelding):
    """The round is open: divide your points, with the link and the closing date."""
    return _queue("prioritering_uitnodiging", ronde=ronde, aanmelding=aanmelding)


def send_reminder(*, ronde: Ronde, aanmelding: Aanmelding):
    """Two days left and you have not taken part yet."""
    return _queue("prioritering_herinnering", ronde=ronde, aanmelding=aanmelding)
