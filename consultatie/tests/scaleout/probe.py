"""Django-side helper for the scale-out test, run as a separate process against the stack's database.

The test process itself runs under the test settings (and pytest-django blocks its database), so it
asks this script, started with the stack's production environment, to set up a session and to report
what was stored. Output is one JSON document on stdout.

    python -m consultatie.tests.scaleout.probe create-session <slug> <capacity>
    python -m consultatie.tests.scaleout.probe inspect <slug>
    python -m consultatie.tests.scaleout.probe deliver-due <minutes-ahead>
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta


def create_session(slug: str, capacity: int) -> dict:
    from django.utils import timezone

    from belemmeringen.models import Thema
    from regiosessies.models import Regio, Regiosessie

    regio, _ = Regio.objects.get_or_create(slug=slug, defaults={"name": f"Regio {slug}"})
    start = timezone.now() + timedelta(days=14)
    session = Regiosessie.objects.create(
        regio=regio,
        slug=slug,
        title=f"Regiosessie {slug}",
        start=start,
        end=start + timedelta(hours=3),
        venue_name="Stadhuis",
        address="Markt 1",
        city="Zwolle",
        capacity=capacity,
    )
    return {
        "id": session.pk,
        "slug": session.slug,
        "capacity": session.capacity,
        "theme_ids": list(Thema.objects.values_list("pk", flat=True)),
    }


def inspect(slug: str) -> dict:
    from core.models import OutboxMessage
    from regiosessies.models import Regiosessie

    session = Regiosessie.objects.get(slug=slug)
    registrations = []
    for aanmelding in session.aanmeldingen.prefetch_related("themes").order_by("created", "id"):
        messages = OutboxMessage.objects.filter(aanmelding=aanmelding).order_by("id")
        registrations.append(
            {
                "id": aanmelding.pk,
                "email": aanmelding.email,
                "name": aanmelding.name,
                "organisation": aanmelding.organisation,
                "organisation_type": aanmelding.organisation_type,
                "status": aanmelding.status,
                "token": aanmelding.token,
                "consent_at": aanmelding.consent_at.isoformat() if aanmelding.consent_at else None,
                "privacy_version": aanmelding.privacy_version,
                "theme_ids": sorted(t.pk for t in aanmelding.themes.all()),
                "outbox": [
                    {"template": m.template, "status": m.status, "subject": m.subject, "recipient": m.recipient}
                    for m in messages
                ],
            }
        )
    return {"capacity": session.capacity, "registrations": registrations}


def deliver_due_later(minutes: int) -> dict:
    """What `send_outbox` will do `minutes` from now: a delivery a dead worker left in 'sending' is due
    again after ten minutes. The test cannot wait that long, so it asks with the clock moved on."""
    from django.utils import timezone

    from core.mail import deliver_due

    sent, failed = deliver_due(now=timezone.now() + timedelta(minutes=minutes))
    return {"sent": sent, "failed": failed}


def main(argv: list[str]) -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consultatie.settings")
    django.setup()
    command, *args = argv
    if command == "create-session":
        result = create_session(args[0], int(args[1]))
    elif command == "inspect":
        result = inspect(args[0])
    elif command == "deliver-due":
        result = deliver_due_later(int(args[0]))
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
