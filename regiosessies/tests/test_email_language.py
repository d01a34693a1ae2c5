"""Emails follow the language the person registered in, also when a worker without a request renders
them later, and also when an organiser's action (in Dutch) triggers them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from core.mail import deliver
from core.models import OutboxMessage
from regiosessies import services
from regiosessies.tests.factories import register

pytestmark = pytest.mark.django_db


def register_in(language: str, session, email: str):
    with translation.override(language):
        return register(session, email, "Sam")


def test_a_registration_made_in_english_is_confirmed_in_english_by_a_later_worker(session_a):
    # on_commit callbacks do not run inside the test transaction: the message waits, as for the worker.
    aanmelding = register_in("en", session_a, "sam@example.nl")
    assert aanmelding.language == "en"
    message = OutboxMessage.objects.get(aanmelding=aanmelding)

    with translation.override("nl"):  # the worker's own default
        assert deliver(message.pk)

    sent = mail.outbox[-1]
    assert sent.subject.startswith("Confirmation of your registration")
    assert "/en/aanmelding/" in sent.body


def test_a_dutch_registration_stays_dutch_when_triggered_from_english(session_a):
    session_a.capacity = 1
    session_a.save()
    holder = register_in("nl", session_a, "houder@example.nl")
    waiting = register_in("nl", session_a, "wacht@example.nl")
    assert waiting.status == waiting.Status.WAITLISTED

    with translation.override("en"):  # someone browsing the English site cancels
        services.cancel_registration(aanmelding=holder)
    promoted = OutboxMessage.objects.filter(aanmelding=waiting).latest("pk")
    assert promoted.language == "nl"
    assert deliver(promoted.pk)
    assert "/en/" not in mail.outbox[-1].body
    assert not mail.outbox[-1].subject.startswith(("Confirmation", "A seat", "Your"))
