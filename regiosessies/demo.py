"""Demo regions and sessions for `manage.py seed_demo`. Idempotent: keyed on slugs."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from consultatie.pagecache import content_changed
from regiosessies.models import Regio, Regiosessie

# (region, slug, city, venue, address, days from the first seed)
SESSIES = [
    ("Noord-Nederland", "noord-nederland", "Groningen", "Forum Groningen", "Nieuwe Markt 1", 14),
    ("Oost-Nederland", "oost-nederland", "Zwolle", "Provinciehuis Overijssel", "Luttenbergstraat 2", 21),
    ("Midden-Nederland", "midden-nederland", "Utrecht", "Stadskantoor Utrecht", "Stadsplateau 1", 28),
    ("Noordwest-Nederland", "noordwest-nederland", "Amsterdam", "Pakhuis de Zwijger", "Piet Heinkade 179", 35),
    ("Zuidwest-Nederland", "zuidwest-nederland", "Rotterdam", "Cambridge Innovation Center", "Stationsplein 45", 42),
    ("Zuid-Nederland", "zuid-nederland", "Eindhoven", "Strijp-S, Klokgebouw", "Klokgebouw 50", 49),
]
# The English the demo shows on /en/ (staff enter it in the admin; empty shows the Dutch).
REGIO_EN = {
    "noord-nederland": "Northern Netherlands",
    "oost-nederland": "Eastern Netherlands",
    "midden-nederland": "Central Netherlands",
    "noordwest-nederland": "North-western Netherlands",
    "zuidwest-nederland": "South-western Netherlands",
    "zuid-nederland": "Southern Netherlands",
}


def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_regions_and_sessions() -> list[Regiosessie]:
    today = timezone.localdate()
    sessies = []
    for order, (regio_name, slug, city, venue, address, days) in enumerate(SESSIES, start=1):
        regio, _ = Regio.objects.update_or_create(
            slug=slug, defaults={"name": regio_name, "name_en": REGIO_EN[slug], "order": order}
        )
        day = today + timedelta(days=days)
        sessie, _ = Regiosessie.objects.get_or_create(
            slug=f"regiosessie-{slug}",
            defaults={
                "regio": regio,
                "title": f"Regiosessie {regio_name}",
                "title_en": f"Regional session {REGIO_EN[slug]}",
                "start": _at(day, 13, 30),
                "end": _at(day, 17, 0),
                "venue_name": venue,
                "address": address,
                "city": city,
                "description": (
                    f"Een middag over de praktische belemmeringen bij het opschalen van Smart City-toepassingen "
                    f"in {regio_name}, met collega's van gemeenten, provincie, waterschappen en partners."
                ),
                "description_en": (
                    f"An afternoon on the practical obstacles to scaling up Smart City applications in the "
                    f"{REGIO_EN[slug]}, with colleagues from municipalities, the province, water boards and partners."
                ),
                "capacity": 40,
            },
        )
        sessies.append(sessie)
    return sessies


# Demo registrations: one session full with a waiting list, one closed for registration.
FULL_SESSION_SLUG = "regiosessie-oost-nederland"
CLOSED_SESSION_SLUG = "regiosessie-zuidwest-nederland"
DEMO_WAITLIST = 3
ORGANISATIES = [
    ("gemeente", "Gemeente Zwolle"),
    ("provincie", "Provincie Overijssel"),
    ("waterschap", "Waterschap Drents Overijsselse Delta"),
    ("bedrijf", "Lichtmast Diensten B.V."),
    ("kennisinstelling", "Hogeschool Windesheim"),
    ("inwoner", ""),
]


def seed_registrations() -> dict[str, int]:
    """Fill one session to capacity plus a waiting list, and close another. Idempotent: keyed on email.

    Rows are written directly, not through `services.register`, so seeding sends no demo emails;
    the statuses follow the same rule (first `capacity` confirmed, the rest waiting, in order).
    """
    from django.conf import settings

    from regiosessies.models import Aanmelding

    created = 0
    full = Regiosessie.objects.filter(slug=FULL_SESSION_SLUG).first()
    if full is not None:
        now = timezone.now()
        for number in range(1, full.capacity + DEMO_WAITLIST + 1):
            organisation_type, organisation = ORGANISATIES[number % len(ORGANISATIES)]
            _obj, was_created = Aanmelding.objects.get_or_create(
                session=full,
                email=f"deelnemer{number:02d}@example.nl",
                defaults={
                    "name": f"Deelnemer {number:02d}",
                    "organisation_type": organisation_type,
                    "organisation": organisation,
                    "consent_at": now,
                    "privacy_version": settings.PRIVACY_STATEMENT_VERSION,
                    "status": (
                        Aanmelding.Status.CONFIRMED if number <= full.capacity else Aanmelding.Status.WAITLISTED
                    ),
                },
            )
            created += was_created
    closed = Regiosessie.objects.filter(slug=CLOSED_SESSION_SLUG, registration_closes__isnull=True).update(
        registration_closes=timezone.now() - timedelta(days=1)
    )
    if closed:
        # update() sends no signals: tell the public page cache itself.
        content_changed()
    return {"registrations": created, "closed": closed}
