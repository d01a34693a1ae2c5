"""The published data: one plain, JSON-ready structure read from the findings at the moment of
publishing, frozen into `Publicatie.data`. The public pages and the open-data files are laid out from
it, never from the live findings (except the knelpunten's later follow-up, see `selectors`).

Private by design: this module is the only door from the findings to the public, and it reads no
registration, no user and no free text about a person: only counts per session, the findings as
sessions established them, and the programme team's own texts.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from typing import Any

from django.utils import timezone

from belemmeringen.models import Behoefte, Belemmering, Knelpunt, LichtmastAntwoord, LichtmastBevinding, Thema
from belemmeringen.selectors import knelpunt_figures
from prioritering.selectors import closed_round_points
from rapportage.models import ProgrammaOnderdeel, RapportTekst
from regiosessies.models import Regio, Regiosessie

#: Bump when the snapshot's structure changes (the public templates read it by these keys).
SCHEMA = 1


def build_snapshot() -> dict[str, Any]:
    """Everything a version publishes, as plain data (no dates of *publishing*: see `fingerprint`)."""
    sessions = _sessions()
    entries = _entries()
    priority = _priority_round()
    return {
        "schema": SCHEMA,
        "regions": [
            {"slug": r.slug, "name": r.name, "name_en": _en(r, "name")}
            for r in Regio.objects.filter(sessions__isnull=False).distinct().order_by("order", "name")
        ],
        "themes": [
            {"slug": t.slug, "name": t.name, "name_en": _en(t, "name")} for t in Thema.objects.order_by("order", "name")
        ],
        "sessions": sessions,
        "knelpunten": _knelpunten(),
        "entries": entries,
        "needs": _needs(entries, priority["points"] if priority else None),
        "priority": priority,
        "lamp_post": _lamp_post(),
        "texts": _texts(),
        "programme": _programme(),
    }


def _en(obj, field: str) -> str:
    """The English text staff entered beside the Dutch (`<field>_en`), or "" (the pages fall back to Dutch)."""
    return (getattr(obj, f"{field}_en", "") or "").strip()


def fingerprint(snapshot: dict[str, Any], report_data: Any = None) -> str:
    """A hash of the published data. The report's own date is left out, so publishing unchanged data
    on another day is recognised as the same."""
    payload = json.dumps(
        {"snapshot": snapshot, "report": _without_dates(report_data)}, sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _without_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_dates(v) for k, v in value.items() if k != "publication_date"}
    if isinstance(value, (list, tuple)):
        return [_without_dates(v) for v in value]
    return value


def _sessions() -> list[dict[str, Any]]:
    rows = Regiosessie.objects.select_related("regio").with_counts().order_by("start", "title")
    return [
        {
            "slug": s.slug,
            "title": s.title,
            "title_en": _en(s, "title"),
            "region": s.regio.name,
            "region_slug": s.regio.slug,
            "city": s.city,
            "date": timezone.localtime(s.start).date().isoformat(),
            "registered": s.confirmed_count,
            "attended": s.attended_count,
            "cancelled": s.cancelled,
        }
        for s in rows
    ]


def _knelpunten() -> list[dict[str, Any]]:
    knelpunten = list(
        Knelpunt.objects.select_related("thema", "subthema")
        .prefetch_related("behoeften")
        .order_by("thema__order", "title", "pk")
    )
    figures = knelpunt_figures(knelpunten)
    rows = []
    for k in knelpunten:
        f = figures[k.pk]
        rows.append(
            {
                "id": k.pk,
                "title": k.title,
                "description": k.description.strip(),
                "theme": k.thema.name,
                "theme_slug": k.thema.slug,
                "subtheme": k.subthema.name if k.subthema_id else "",
                "level": k.level,
                "priority": k.priority,
                "status": k.status,
                "status_explanation": k.status_explanation.strip(),
                "regions": list(f.regions),
                "sessions": [s.title for s in f.sessions],
                "entry_count": f.entry_count,
                "session_count": f.session_count,
                "region_count": f.region_count,
                "recognised_by": f.recognised_by,
                "attended": f.attended,
                "levels_given": dict(sorted(f.levels_given.items())),
                "needs": sorted(b.pk for b in k.behoeften.all()),
            }
        )
    return rows


def _entries() -> list[dict[str, Any]]:
    entries = (
        Belemmering.objects.established()
        .select_related("session__regio", "thema", "subthema")
        .prefetch_related("behoeften")
        .order_by("session__start", "thema__order", "title", "pk")
    )
    return [
        {
            "id": b.pk,
            "session": b.session.slug,
            "region": b.session.regio.name,
            "region_slug": b.session.regio.slug,
            "theme": b.thema.name,
            "subtheme": b.subthema.name if b.subthema_id else "",
            "title": b.title,
            "description": b.description.strip(),
            "level": b.level,
            "dimension": b.dimension,
            "recognised_by": b.recognised_by,
            "knelpunt": b.knelpunt_id,
            "needs": sorted(n.pk for n in b.behoeften.all()),
        }
        for b in entries
    ]


def _priority_round() -> dict[str, Any] | None:
    """The frozen results of the latest closed prioritisation round (sums only), or None."""
    results = closed_round_points()
    if results is None:
        return None
    return {
        "ballots": results.ballots,
        "eligible": results.eligible,
        "points_cast": results.points_cast,
        "points_per_person": results.points_per_person,
        # JSON object keys are text; kept as a list of pairs so the need ids stay numbers.
        "points": [[need.id, need.points] for need in results.needs],
    }


def points_per_need(snapshot: dict[str, Any]) -> dict[int, int] | None:
    """The participants' points per need id, for the report's shopping list; None without a closed round."""
    priority = snapshot.get("priority")
    return dict(priority["points"]) if priority else None


def _needs(entries: list[dict[str, Any]], points: list[list[int]] | None = None) -> list[dict[str, Any]]:
    """The needs behind the published entries and knelpunten, each with where it came up and, after a
    prioritisation round, the points participants gave it."""
    points_by_need = dict(points) if points is not None else None
    sessions: dict[int, set[str]] = defaultdict(set)
    regions: dict[int, set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for entry in entries:
        for need in entry["needs"]:
            sessions[need].add(entry["session"])
            regions[need].add(entry["region"])
            counts[need] += 1
    knelpunten: dict[int, list[int]] = defaultdict(list)
    for need_id, knelpunt_id in Knelpunt.behoeften.through.objects.order_by("knelpunt_id").values_list(
        "behoefte_id", "knelpunt_id"
    ):
        knelpunten[need_id].append(knelpunt_id)
    wanted = set(counts) | set(knelpunten)
    rows = [
        {
            "id": n.pk,
            "title": n.title,
            "description": n.description.strip(),
            "support_type": n.support_type,
            "level": n.level,
            "session_count": len(sessions[n.pk]),
            "entry_count": counts[n.pk],
            "regions": sorted(regions[n.pk]),
            "knelpunten": knelpunten[n.pk],
            "points": points_by_need.get(n.pk, 0) if points_by_need is not None else None,
        }
        for n in Behoefte.objects.filter(pk__in=wanted).order_by("title")
    ]
    rows.sort(key=lambda n: (-(n["points"] or 0), -n["session_count"], -n["entry_count"], n["title"].lower()))
    return rows


def _lamp_post() -> list[dict[str, Any]]:
    answers = LichtmastAntwoord.objects.select_related("session__regio").order_by("session__start", "session__title")
    findings: dict[int, list[dict[str, str]]] = defaultdict(list)
    for b in LichtmastBevinding.objects.order_by("antwoord_id", "aspect", "kind", "id"):
        findings[b.antwoord_id].append({"aspect": b.aspect, "kind": b.kind, "text": b.text.strip()})
    return [
        {
            "session": a.session.slug,
            "region": a.session.regio.name,
            "region_slug": a.session.regio.slug,
            "verdict": a.verdict,
            "summary": a.summary.strip(),
            "findings": findings[a.pk],
        }
        for a in answers
    ]


def _texts() -> dict[str, str]:
    """The programme team's own texts that the results page quotes (the report has them all)."""
    tekst = RapportTekst.load()
    names = ("title", "subtitle", "introduction", "answer_rq1", "rq2_verdict", "answer_rq2", "conclusions")
    return {name: str(getattr(tekst, name, "") or "").strip() for name in names}


def _programme() -> list[dict[str, Any]]:
    items = ProgrammaOnderdeel.objects.prefetch_related("behoeften", "knelpunten").order_by("order", "pk")
    return [
        {
            "title": item.title,
            "aim": item.aim.strip(),
            "offer": item.offer.strip(),
            "level": item.level,
            "organiser": item.organiser.strip(),
            "first_steps": item.first_steps.strip(),
            "needs": sorted(n.pk for n in item.behoeften.all()),
            "knelpunten": sorted(k.pk for k in item.knelpunten.all()),
        }
        for item in items
    ]
