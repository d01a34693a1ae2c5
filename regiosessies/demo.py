"""Demo regions and sessions for `manage.py seed_demo`. Idempotent: keyed on slugs."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

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


def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_regions_and_sessions() -> list[Regiosessie]:
    today = timezone.localdate()
    sessies = []
    for order, (regio_name, slug, city, venue, address, days) in enumerate(SESSIES, start=1):
        regio, _ = Regio.objects.update_or_create(slug=slug, defaults={"name": regio_name, "order": order})
        day = today + timedelta(days=days)
        sessie, _ = Regiosessie.objects.get_or_create(
            slug=f"regiosessie-{slug}",
            defaults={
                "regio": regio,
                "title": f"Regiosessie {regio_name}",
                "start": _at(day, 13, 30),
                "end": _at(day, 17, 0),
                "venue_name": venue,
                "address": address,
                "city": city,
                "description": (
                    f"Een middag over de praktische belemmeringen bij het opschalen van Smart City-toepassingen "
                    f"in {regio_name}, met collega's van gemeenten, provincie, waterschappen en partners."
                ),
                "capacity": 40,
            },
        )
        sessies.append(sessie)
    return sessies
