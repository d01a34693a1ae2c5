"""Demo: the results published once, so `make run` shows the public half of the story (/resultaten/,
open data) as participants would see it after the sessions."""

from __future__ import annotations

from django.test.utils import override_settings

from resultaten.models import Publicatie
from resultaten.services import publish


def seed_publication() -> tuple[Publicatie, bool]:
    """Publish version 1 when nothing is published yet; a later run leaves the published versions alone
    (staff publish again themselves, as they would in a real consultation)."""
    latest = Publicatie.objects.latest_version()
    if latest is not None:
        return latest, False
    # The demo's participants have made-up addresses: the results email is recorded as sent, as it would
    # be in a real consultation, but kept in memory instead of being printed to the console or delivered.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return publish()
