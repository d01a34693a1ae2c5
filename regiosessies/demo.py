"""Demo regions and sessions for `manage.py seed_demo`. Idempotent: keyed on slugs."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from core.pagecache import content_changed
from regiosessies.models import Regio, Regiosessie

# (region, slug, city, venue, address, days before the seed): the consultation has taken place, between
# September and November when seeded at the end of November; always within the 90 days registrations are
# kept (PERSONAL_DATA_RETENTION_DAYS), so the attendance behind the report is still there.
SESSIONS = [
    ("Noord-Nederland", "noord-nederland", "Groningen", "Forum Groningen", "Nieuwe Markt 1", 75),
    ("Oost-Nederland", "oost-nederland", "Zwolle", "Provinciehuis Overijssel", "Luttenbergstraat 2", 68),
    ("Midden-Nederland", "midden-nederland", "Utrecht", "Stadskantoor Utrecht", "Stadsplateau 1", 61),
    ("Noordwest-Nederland", "noordwest-nederland", "Amsterdam", "Pakhuis de Zwijger", "Piet Heinkade 179", 47),
    ("Zuidwest-Nederland", "zuidwest-nederland", "Rotterdam", "Cambridge Innovation Center", "Stationsplein 45", 40),
    ("Zuid-Nederland", "zuid-nederland", "Eindhoven", "Strijp-S, Klokgebouw", "Klokgebouw 50", 26),
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
    sessions = []
    for order, (regio_name, slug, city, venue, address, days) in enumerate(SESSIONS, start=1):
        regio, _ = Regio.objects.update_or_create(
            slug=slug, defaults={"name": regio_name, "name_en": REGIO_EN[slug], "order": order}
        )
        day = today - timedelta(days=days)
        day -= timedelta(days=(day.weekday() - 1) % 7 if order % 2 else (day.weekday() - 3) % 7)  # Tue / Thu
        session, _ = Regiosessie.objects.get_or_create(
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
        sessions.append(session)
    return sessions


# Demo registrations: every session was well attended; Oost-Nederland was full and kept a waiting list.
FULL_SESSION_SLUG = "regiosessie-oost-nederland"
CLOSED_SESSION_SLUG = "regiosessie-zuidwest-nederland"
DEMO_WAITLIST = 3
# session slug -> (registrations, of which cancelled beforehand, of the confirmed: how many stayed away)
OPKOMST = {
    "regiosessie-noord-nederland": (34, 2, 6),
    "regiosessie-oost-nederland": (40 + DEMO_WAITLIST, 0, 7),
    "regiosessie-midden-nederland": (38, 3, 5),
    "regiosessie-noordwest-nederland": (36, 2, 8),
    "regiosessie-zuidwest-nederland": (29, 1, 5),
    "regiosessie-zuid-nederland": (33, 2, 4),
}
# Per region: the municipalities, province, water board and others that took part.
ORGANISATIES = {
    "regiosessie-noord-nederland": [
        "Gemeente Groningen",
        "Gemeente Assen",
        "Gemeente Leeuwarden",
        "Gemeente Emmen",
        "Provincie Groningen",
        "Waterschap Noorderzijlvest",
        "Hanzehogeschool Groningen",
    ],
    "regiosessie-oost-nederland": [
        "Gemeente Zwolle",
        "Gemeente Enschede",
        "Gemeente Deventer",
        "Gemeente Apeldoorn",
        "Provincie Overijssel",
        "Waterschap Drents Overijsselse Delta",
        "Hogeschool Windesheim",
    ],
    "regiosessie-midden-nederland": [
        "Gemeente Utrecht",
        "Gemeente Amersfoort",
        "Gemeente Nieuwegein",
        "Gemeente Zeist",
        "Provincie Utrecht",
        "Hoogheemraadschap De Stichtse Rijnlanden",
        "Universiteit Utrecht",
    ],
    "regiosessie-noordwest-nederland": [
        "Gemeente Amsterdam",
        "Gemeente Haarlem",
        "Gemeente Zaanstad",
        "Gemeente Almere",
        "Provincie Noord-Holland",
        "Waternet",
        "Hogeschool van Amsterdam",
    ],
    "regiosessie-zuidwest-nederland": [
        "Gemeente Rotterdam",
        "Gemeente Den Haag",
        "Gemeente Dordrecht",
        "Gemeente Delft",
        "Provincie Zuid-Holland",
        "Waterschap Hollandse Delta",
        "TU Delft",
    ],
    "regiosessie-zuid-nederland": [
        "Gemeente Eindhoven",
        "Gemeente Helmond",
        "Gemeente Tilburg",
        "Gemeente Maastricht",
        "Provincie Noord-Brabant",
        "Waterschap De Dommel",
        "TU Eindhoven",
    ],
}
# (organisation type, index into the region's list or None for a fixed name): gemeenten are the majority.
DEELNEMERS = [
    ("gemeente", 0),
    ("gemeente", 1),
    ("gemeente", 2),
    ("gemeente", 0),
    ("provincie", 4),
    ("gemeente", 3),
    ("waterschap", 5),
    ("gemeente", 0),
    ("bedrijf", "Lichtmast Diensten B.V."),
    ("kennisinstelling", 6),
    ("gemeente", 1),
    ("rijksoverheid", "Ministerie van BZK"),
    ("bedrijf", "Sensorwerk B.V."),
    ("gemeente", 2),
    ("maatschappelijke_organisatie", "Stichting Slimme Stad"),
    ("gemeente", 3),
    ("inwoner", ""),
]
ROLLEN = [
    "beleidsadviseur smart city",
    "programmamanager",
    "adviseur openbare verlichting",
    "data-analist",
    "inkoopadviseur",
    "privacy officer",
    "accountmanager",
    "onderzoeker",
    "projectleider",
]


def seed_registrations() -> dict[str, int]:
    """Registrations and attendance for every (past) session. Idempotent: keyed on (session, email).

    Rows are written directly, not through `services.register`, so seeding sends no demo emails;
    the statuses follow the same rule (first `capacity` confirmed, the rest waiting, in order). Not
    everyone came: a few cancelled beforehand and some confirmed participants stayed away.
    """
    created = 0
    for session in Regiosessie.objects.filter(slug__in=OPKOMST):
        created += _seed_session_registrations(session)
    closed = Regiosessie.objects.filter(slug=CLOSED_SESSION_SLUG, registration_closes__isnull=True).update(
        registration_closes=timezone.now() - timedelta(days=1)
    )
    if closed or created:
        # update() and direct writes send no invalidation of their own: tell the public page cache.
        content_changed()
    return {"registrations": created, "closed": closed}


def _seed_session_registrations(session: Regiosessie) -> int:
    from django.conf import settings

    from regiosessies.models import Aanmelding

    total, cancelled, absent = OPKOMST[session.slug]
    organisations = ORGANISATIES[session.slug]
    registered_at = session.start - timedelta(days=30)
    created, confirmed = 0, 0
    for number in range(1, total + 1):
        organisation_type, which = DEELNEMERS[number % len(DEELNEMERS)]
        status = Aanmelding.Status.CANCELLED if number <= cancelled else None
        if status is None:
            confirmed += 1
            status = Aanmelding.Status.CONFIRMED if confirmed <= session.capacity else Aanmelding.Status.WAITLISTED
        # The absent are spread over the list: every fifth confirmed participant, up to `absent`.
        attended = status == Aanmelding.Status.CONFIRMED and not (confirmed % 5 == 0 and confirmed // 5 <= absent)
        at = registered_at + timedelta(hours=7 * number)
        _obj, was_created = Aanmelding.objects.get_or_create(
            session=session,
            email=f"deelnemer{number:02d}@example.nl",
            defaults={
                "name": f"Deelnemer {number:02d}",
                "organisation_type": organisation_type,
                "organisation": organisations[which] if isinstance(which, int) else which,
                "role": ROLLEN[number % len(ROLLEN)],
                "consent_at": at,
                "results_consent": number % 3 != 0,
                "results_consent_at": at if number % 3 != 0 else None,
                "privacy_version": settings.PRIVACY_STATEMENT_VERSION,
                "status": status,
                "attended": attended,
            },
        )
        created += was_created
    return created
