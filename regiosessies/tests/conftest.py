"""Fixtures for regiosessies' tests: registering people and the participant role (a link holder)."""

from __future__ import annotations

import pytest

from regiosessies import services


@pytest.fixture
def register_person(db):
    """Register through the real service: `register_person(session, "anna@example.nl")`."""

    def _register(session, email: str = "anna@example.nl", name: str = "Anna de Vries", **extra):
        extra.setdefault("organisation_type", "gemeente")
        return services.register(session=session, name=name, email=email, **extra)

    return _register


@pytest.fixture
def participant(sessie_a, register_person):
    """A confirmed registration for session A: the person who holds the personal link."""
    return register_person(sessie_a).aanmelding
