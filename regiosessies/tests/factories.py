"""Sessions and registrations for tests: plain functions, no factory library (rapportage's style).

`register` goes through the real service (seats, waiting list, emails); `make_registration` writes the row
directly, for a registration in a given state (attended, waitlisted, with results consent) without the
side effects.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from regiosessies import services
from regiosessies.models import Aanmelding, Regio, Regiosessie


def make_session(slug: str, *, regio_name: str | None = None, days: int = 14, capacity: int = 30, **extra):
    """A session `days` from now in region `slug` (made if missing), open for registration."""
    regio, _ = Regio.objects.get_or_create(slug=slug, defaults={"name": regio_name or slug.title()})
    start = timezone.now() + timedelta(days=days)
    defaults = {
        "regio": regio,
        "title": f"Regiosessie {regio.name}",
        "start": start,
        "end": start + timedelta(hours=3),
        "venue_name": "Stadhuis",
        "address": "Markt 1",
        "city": regio.name,
        "capacity": capacity,
    }
    defaults.update(extra)
    return Regiosessie.objects.create(slug=slug, **defaults)


def register_result(session, email: str = "anna@example.nl", name: str = "Anna de Vries", **extra):
    """Register through the service and return its result (`.aanmelding`, `.status`, ...)."""
    extra.setdefault("organisation_type", "gemeente")
    return services.register(session=session, name=name, email=email, **extra)


def register(
    session, email: str = "anna@example.nl", name: str = "Anna de Vries", *, attended: bool = False, **extra
) -> Aanmelding:
    """Register through the service and return the registration; `attended` ticks the attendance list."""
    aanmelding = register_result(session, email, name, **extra).aanmelding
    if attended:
        aanmelding.attended = True
        aanmelding.save(update_fields=["attended"])
    return aanmelding


def make_registration(
    session,
    email: str,
    *,
    name: str | None = None,
    status: str = Aanmelding.Status.CONFIRMED,
    organisation_type: str = "gemeente",
    attended: bool = False,
    results_consent: bool | None = None,
    **extra,
) -> Aanmelding:
    """The registration row as it stands after registering, written directly (no seat check, no email)."""
    if results_consent is not None:
        extra.update(results_consent=results_consent, results_consent_at=timezone.now() if results_consent else None)
    return Aanmelding.objects.create(
        session=session,
        name=name or email.split("@")[0].title(),
        email=email,
        organisation_type=organisation_type,
        consent_at=timezone.now(),
        privacy_version="test",
        status=status,
        attended=attended,
        **extra,
    )
