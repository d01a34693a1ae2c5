"""Fixtures for regiosessies' tests: registering people and the participant role (a link holder).
The rows themselves come from regiosessies/tests/factories.py."""

from __future__ import annotations

import pytest

from regiosessies.tests.factories import register_result


@pytest.fixture
def register_person(db):
    """Register through the real service: `register_person(session, "anna@example.nl")` gives the result."""
    return register_result


@pytest.fixture
def participant(session_a, register_person):
    """A confirmed registration for session A: the person who holds the personal link."""
    return register_person(session_a).aanmelding
