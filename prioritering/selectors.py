"""Reads of the prioritisation round: who may take part, the order a person sees, and the results.

`closed_round_points()` is the one entry point for the report and the public results page: the
frozen results of the latest closed round, or None. Live results of an open round
(`live_results`) are for programme staff only; callers check that.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from belemmeringen.models import Behoefte, Niveau
from prioritering.models import Ronde, Stembiljet, Stemregel
from regiosessies.models import Aanmelding, Regio


def current_round() -> Ronde | None:
    """The open round (there is at most one), else None."""
    return Ronde.objects.open().first()


def eligible_registrations(ronde: Ronde) -> QuerySet[Aanmelding]:
    """Registrations that may take part: holding a seat or a waiting-list place (not cancelled, not
    anonymised) and, if the round says so, marked present at their session."""
    registrations = Aanmelding.objects.active()
    if ronde.participants == Ronde.Deelnemers.ATTENDED:
        registrations = registrations.filter(attended=True)
    return registrations


def ineligibility_reason(ronde: Ronde, aanmelding: Aanmelding) -> str | None:
    """Why this registration may not take part in the round, in words for the person; None if it may.

    Keep in step with `eligible_registrations`.
    """
    if aanmelding.anonymised_at is not None:
        return str(_("Deze aanmelding bestaat niet meer."))
    if aanmelding.status == Aanmelding.Status.CANCELLED:
        return str(_("Uw aanmelding is geannuleerd. Daarom kunt u niet meedoen aan de prioriteringsronde."))
    if ronde.participants == Ronde.Deelnemers.ATTENDED and not aanmelding.attended:
        return str(_("Aan deze prioriteringsronde doen alleen deelnemers mee die bij een regiosessie aanwezig waren."))
    return None


def ballot_order(needs: Iterable[Behoefte], *, token: str, round_id: int) -> list[Behoefte]:
    """The needs in this person's own random order: the same each time they open the page, different
    for another person or another round, so no need profits from always being listed first.

    Seeded from the personal token (secret, stable) and the round id; the seed never leaves the server.
    """
    ordered = sorted(needs, key=lambda need: need.pk)
    seed = hashlib.sha256(f"{token}:{round_id}".encode()).digest()
    random.Random(seed).shuffle(ordered)
    return ordered


def current_points(ronde: Ronde, aanmelding: Aanmelding) -> dict[int, int]:
    """The points this address gave per need in the round (its last ballot), {} if none yet."""
    lines = Stemregel.objects.filter(
        stembiljet__ronde=ronde, stembiljet__aanmelding__email=aanmelding.email
    ).values_list("behoefte_id", "points")
    return dict(lines)


# --- Results ------------------------------------------------------------------------------------


def compute_results(ronde: Ronde) -> dict:
    """The round's figures as a JSON-ready dict; frozen into `Ronde.results` when the round closes.

    {"ballots", "eligible", "points_cast", "regions": [name], "organisation_types": [code],
     "needs": [{"id", "title", "description", "level", "points", "voters",
                "by_region": {name: points}, "by_organisation_type": {code: points}}],  # most points first
     "by_level": {level: points}, "turnout": [{"region", "eligible", "voted"}]}

    Eligible counts distinct addresses; a person registered in two regions counts in both regions'
    eligible figure but votes once, in the region of the registration they voted with.
    """
    needs = {need.pk: need for need in ronde.behoeften.all()}
    regions = list(Regio.objects.order_by("order", "name").values_list("name", flat=True))
    lines = (
        Stemregel.objects.filter(stembiljet__ronde=ronde)
        .values(
            "behoefte_id", "stembiljet__aanmelding__session__regio__name", "stembiljet__aanmelding__organisation_type"
        )
        .annotate(points=Sum("points"), voters=Count("id"))
    )
    per_need: dict[int, dict] = {
        pk: {"points": 0, "voters": 0, "by_region": defaultdict(int), "by_organisation_type": defaultdict(int)}
        for pk in needs
    }
    for line in lines:
        entry = per_need.setdefault(
            line["behoefte_id"],
            {"points": 0, "voters": 0, "by_region": defaultdict(int), "by_organisation_type": defaultdict(int)},
        )
        entry["points"] += line["points"]
        entry["voters"] += line["voters"]
        entry["by_region"][line["stembiljet__aanmelding__session__regio__name"]] += line["points"]
        entry["by_organisation_type"][line["stembiljet__aanmelding__organisation_type"]] += line["points"]
    need_rows = [
        {
            "id": pk,
            "title": needs[pk].title if pk in needs else "",
            "description": needs[pk].description.strip() if pk in needs else "",
            "level": needs[pk].level if pk in needs else "",
            "points": entry["points"],
            "voters": entry["voters"],
            "by_region": dict(entry["by_region"]),
            "by_organisation_type": dict(entry["by_organisation_type"]),
        }
        for pk, entry in per_need.items()
    ]
    need_rows.sort(key=lambda row: (-row["points"], row["title"].lower()))
    by_level = {level: 0 for level, _label in Niveau.choices}
    for row in need_rows:
        by_level[row["level"]] = by_level.get(row["level"], 0) + row["points"]
    return {
        "ballots": Stembiljet.objects.filter(ronde=ronde).count(),
        "eligible": eligible_registrations(ronde).values("email").distinct().count(),
        "points_cast": sum(row["points"] for row in need_rows),
        "regions": regions,
        "organisation_types": [code for code, _label in Aanmelding.OrganisationType.choices],
        "needs": need_rows,
        "by_level": by_level,
        "turnout": _turnout(ronde, regions),
    }


def _turnout(ronde: Ronde, regions: Sequence[str]) -> list[dict]:
    eligible = dict(
        eligible_registrations(ronde)
        .values_list("session__regio__name")
        .annotate(n=Count("email", distinct=True))
        .values_list("session__regio__name", "n")
    )
    voted = dict(
        Stembiljet.objects.filter(ronde=ronde)
        .values_list("aanmelding__session__regio__name")
        .annotate(n=Count("id"))
        .values_list("aanmelding__session__regio__name", "n")
    )
    return [{"region": name, "eligible": eligible.get(name, 0), "voted": voted.get(name, 0)} for name in regions]


@dataclass(frozen=True)
class NeedPoints:
    id: int
    title: str
    description: str
    level: str
    level_label: str
    points: int
    voters: int
    by_region: dict[str, int]
    by_organisation_type: dict[str, int]


@dataclass(frozen=True)
class Turnout:
    region: str
    eligible: int
    voted: int

    @property
    def percentage(self) -> int:
        return round(100 * self.voted / self.eligible) if self.eligible else 0


@dataclass(frozen=True)
class LabelledPoints:
    key: str
    label: str
    points: int


@dataclass(frozen=True)
class RoundResults:
    """A round's results, ready for a template or the report. `frozen` is False for live figures."""

    round_id: int
    starts_at: datetime
    ends_at: datetime
    closed_at: datetime | None
    frozen: bool
    points_per_person: int
    max_per_need: int
    ballots: int
    eligible: int
    points_cast: int
    regions: list[str]
    needs: list[NeedPoints]
    by_level: list[LabelledPoints]
    organisation_types: list[LabelledPoints]
    turnout: list[Turnout] = field(default_factory=list)

    @property
    def points_by_need(self) -> dict[int, int]:
        """Need id -> points: the mapping the report's shopping list ranks by."""
        return {need.id: need.points for need in self.needs}

    @property
    def region_rows(self) -> list[tuple[NeedPoints, list[int]]]:
        """Each need with its points per region, in the order of `regions` (for tables)."""
        return [(need, [need.by_region.get(region, 0) for region in self.regions]) for need in self.needs]

    @property
    def turnout_percentage(self) -> int:
        return round(100 * self.ballots / self.eligible) if self.eligible else 0


def results_from(ronde: Ronde, data: dict, *, frozen: bool) -> RoundResults:
    levels = dict(Niveau.choices)
    types = dict(Aanmelding.OrganisationType.choices)
    type_totals: dict[str, int] = defaultdict(int)
    for need in data["needs"]:
        for code, points in need["by_organisation_type"].items():
            type_totals[code] += points
    return RoundResults(
        round_id=ronde.pk,
        starts_at=ronde.starts_at,
        ends_at=ronde.ends_at,
        closed_at=ronde.closed_at,
        frozen=frozen,
        points_per_person=ronde.points_per_person,
        max_per_need=ronde.max_per_need,
        ballots=data["ballots"],
        eligible=data["eligible"],
        points_cast=data["points_cast"],
        regions=list(data["regions"]),
        needs=[
            NeedPoints(
                id=need["id"],
                title=need["title"],
                description=need["description"],
                level=need["level"],
                level_label=str(levels.get(need["level"], need["level"])),
                points=need["points"],
                voters=need["voters"],
                by_region=dict(need["by_region"]),
                by_organisation_type=dict(need["by_organisation_type"]),
            )
            for need in data["needs"]
        ],
        # In the levels' own order: PostgreSQL's jsonb keeps no key order.
        by_level=[
            LabelledPoints(key=level, label=str(label), points=data["by_level"].get(level, 0))
            for level, label in Niveau.choices
        ],
        organisation_types=[
            LabelledPoints(key=code, label=str(types.get(code, code)), points=type_totals.get(code, 0))
            for code in data["organisation_types"]
        ],
        turnout=[Turnout(**row) for row in data["turnout"]],
    )


def latest_closed_round() -> Ronde | None:
    """The round that closed last; None when none has closed."""
    return Ronde.objects.closed().order_by("-closed_at", "-id").first()


def closed_round_points() -> RoundResults | None:
    """The frozen results of the latest closed round; None when no round has closed.

    Public once the report or results page that shows them is published; safe to show: no personal
    data, only sums per need, region, organisation type and level.
    """
    ronde = latest_closed_round()
    if ronde is None:
        return None
    return results_from(ronde, ronde.results, frozen=True)


def live_results(ronde: Ronde) -> RoundResults:
    """The figures of a round as they stand now (frozen ones once it closed). Programme staff only."""
    if ronde.results is not None:
        return results_from(ronde, ronde.results, frozen=True)
    return results_from(ronde, compute_results(ronde), frozen=False)


def shopping_list_needs() -> QuerySet[Behoefte]:
    """The needs on the shopping list: those linked to at least one established obstacle."""
    from belemmeringen.models import Belemmering

    return Behoefte.objects.filter(belemmeringen__status=Belemmering.Status.VASTGESTELD).distinct()
