"""The scale-out test's verdicts catch what they claim to catch (no stack needed; runs in the normal suite)."""

from __future__ import annotations

import pytest

from consultatie.tests.scaleout.load import Attempt, people
from consultatie.tests.scaleout.test_scaleout import check_registrations


def _attempts(n: int, *, status: int = 302) -> list[Attempt]:
    persons = people("check", [1, 2, 3])
    location = "/regiosessies/x/aanmelden/verstuurd/" if status == 302 else ""
    return [
        Attempt(person=next(persons), target="127.0.0.1:1", started=0.0, status=status, location=location)
        for _ in range(n)
    ]


def _row(attempt: Attempt, status: str) -> dict:
    person = attempt.person
    template = {"confirmed": "aanmelding_bevestigd", "waitlisted": "aanmelding_wachtlijst"}[status]
    return {
        "email": person.email,
        "name": person.name,
        "organisation": person.organisation,
        "organisation_type": person.organisation_type,
        "status": status,
        "token": "t",
        "consent_at": "2026-11-27T12:00:00+00:00",
        "privacy_version": "2026-11",
        "theme_ids": list(person.theme_ids),
        "outbox": [{"template": template, "status": "pending", "subject": "s", "recipient": person.email}],
    }


def _report(attempts: list[Attempt], statuses: list[str], capacity: int = 2) -> dict:
    return {"capacity": capacity, "registrations": [_row(a, s) for a, s in zip(attempts, statuses, strict=False)]}


def test_a_consistent_outcome_passes():
    attempts = _attempts(3)
    rows, confirmed = check_registrations(_report(attempts, ["confirmed", "confirmed", "waitlisted"]), attempts)
    assert (len(rows), confirmed) == (3, 2)


def test_an_oversold_session_is_caught():
    attempts = _attempts(3)
    with pytest.raises(AssertionError, match="oversold"):
        check_registrations(_report(attempts, ["confirmed"] * 3), attempts)


def test_a_free_seat_while_people_wait_is_caught():
    attempts = _attempts(3)
    with pytest.raises(AssertionError, match="confirmed"):
        check_registrations(_report(attempts, ["confirmed", "waitlisted", "waitlisted"]), attempts)


def test_an_accepted_registration_that_was_not_stored_is_caught():
    attempts = _attempts(3)
    with pytest.raises(AssertionError, match="accepted but not stored"):
        check_registrations(_report(attempts[:2], ["confirmed", "confirmed"]), attempts)


def test_a_registration_without_its_themes_is_caught():
    attempts = _attempts(2)
    report = _report(attempts, ["confirmed", "confirmed"])
    report["registrations"][1]["theme_ids"] = []
    with pytest.raises(AssertionError, match="themes"):
        check_registrations(report, attempts)


def test_a_registration_without_its_email_is_caught():
    attempts = _attempts(2)
    report = _report(attempts, ["confirmed", "confirmed"])
    report["registrations"][0]["outbox"] = []
    with pytest.raises(AssertionError, match="outbox"):
        check_registrations(report, attempts)


def test_a_stored_registration_the_portal_refused_is_caught():
    attempts = _attempts(1, status=400)
    with pytest.raises(AssertionError, match="answered 400"):
        check_registrations(_report(attempts, ["confirmed"]), attempts)
