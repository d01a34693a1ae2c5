"""`manage.py send_followup_digest`: says what it did, and does nothing without news."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from belemmeringen.services import change_knelpunt_status

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("send_followup_digest", stdout=out)
    return out.getvalue()


def test_without_a_publication_it_does_nothing(people):
    assert run() == "No digest: nothing changed for anyone who is due one.\n"
    assert mail.outbox == []


def test_it_sends_a_digest_after_a_change_and_nothing_the_second_time(published, django_capture_on_commit_callbacks):
    _publicatie, noord, _zuid = published
    change_knelpunt_status(knelpunt=noord, status="programma", explanation="Opgenomen.")
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "3 recipient(s)" in output
    with django_capture_on_commit_callbacks(execute=True):
        assert run().startswith("No digest")
    digests = [m for m in mail.outbox if "Opgenomen." in m.body]
    assert sorted(m.to[0] for m in digests) == ["anna@example.nl", "cor@example.nl", "dirk@example.nl"]
