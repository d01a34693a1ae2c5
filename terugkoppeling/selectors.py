"""Reads for the results email and the follow-up digest: who consented, what each address was last told,
and which published knelpunten changed since. `terugkoppeling.services` decides from these who gets what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from belemmeringen.models import Belemmering, KnelpuntStatusWijziging
from core.models import MailingRecipient
from regiosessies.models import Aanmelding
from resultaten.models import Publicatie

#: The two kinds of bulk mailing this app sends (`core.models.Mailing.kind`).
RESULTS = "resultaten"
DIGEST = "opvolging"


@dataclass
class Person:
    """One consenting address and what we know of it from its registrations."""

    email: str
    aanmelding_id: int  # the most recent registration: its language, and the unsubscribe link
    language: str
    region_ids: set[int] = field(default_factory=set)
    region_slugs: list[str] = field(default_factory=list)


def consenting_people() -> list[Person]:
    """Every address with results consent, once, its most recent registration first."""
    people: dict[str, Person] = {}
    registrations = (
        Aanmelding.objects.wanting_results()
        .exclude(email="")
        .select_related("session__regio")
        .order_by("-created", "-id")
    )
    for a in registrations:
        person = people.setdefault(a.email.lower(), Person(a.email.lower(), a.pk, a.language))
        regio = a.session.regio
        if regio.pk not in person.region_ids:
            person.region_ids.add(regio.pk)
            person.region_slugs.append(regio.slug)
    return list(people.values())


def last_told(emails: list[str]) -> dict[str, datetime]:
    """Per address, up to when its latest results email or digest told it about the follow-up."""
    last: dict[str, datetime] = {}
    rows = MailingRecipient.objects.filter(mailing__kind__in=[RESULTS, DIGEST], email__in=emails)
    for email, data in rows.values_list("email", "mailing__data"):
        until = parse_datetime(data.get("until", ""))
        if until and (email not in last or until > last[email]):
            last[email] = until
    return last


def changes_by_region(publicatie: Publicatie, since: datetime, now: datetime) -> dict[int, dict[int, datetime]]:
    """region id -> {knelpunt id: last change} for the published knelpunten whose follow-up changed
    after `since`; a knelpunt belongs to every region whose session established an entry for it."""
    published = [k["id"] for k in publicatie.data.get("knelpunten", [])]
    changed: dict[int, datetime] = {}
    for knelpunt_id, changed_at in KnelpuntStatusWijziging.objects.filter(
        knelpunt_id__in=published, changed_at__gt=since, changed_at__lte=now
    ).values_list("knelpunt_id", "changed_at"):
        changed[knelpunt_id] = max(changed_at, changed.get(knelpunt_id, changed_at))
    by_region: dict[int, dict[int, datetime]] = defaultdict(dict)
    entries = Belemmering.objects.established().filter(knelpunt_id__in=changed)
    for knelpunt_id, region_id in entries.values_list("knelpunt_id", "session__regio_id").distinct():
        by_region[region_id][knelpunt_id] = changed[knelpunt_id]
    return by_region
