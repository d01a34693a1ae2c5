"""Accounts and outbox messages for tests: plain functions, no factory library (rapportage's style)."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model

from core.models import OutboxMessage

PASSWORD = "x" * 16


def make_staff(username: str, role: str | None = None, *, password: str = PASSWORD):
    """A staff account; with `role` ("Facilitator", "Programmateam") in that role's group, with the
    permissions core.permissions gives it."""
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    if role:
        from core.permissions import sync_role_groups

        user.groups.add(sync_role_groups()[role])
    return user


def make_superuser(username: str = "root", *, password: str = PASSWORD):
    return get_user_model().objects.create_superuser(
        username=username, password=password, email=f"{username}@example.nl"
    )


def make_message(**extra) -> OutboxMessage:
    """A waiting outbox message to iemand@example.nl."""
    fields = {
        "recipient": "iemand@example.nl",
        "subject": "Onderwerp",
        "body_text": "Tekst",
        "body_html": "<p>Tekst</p>",
    }
    fields.update(extra)
    return OutboxMessage.objects.create(**fields)


def without_service(message: str):
    """A test that needs a running service (Redis) skips on a laptop without it, but fails in CI, where
    `.ci/run` starts every service: a silent skip there would hide a whole group of tests."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
