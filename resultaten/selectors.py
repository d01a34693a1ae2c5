"""Reads for the public pages: the latest publication's frozen data, laid out per page, with the one
live part: the follow-up of the knelpunten that version names (current status and its history).

Labels of codes (levels, statuses, verdicts) are translated when the page is shown; names staff typed
(themes, regions) come in English where staff entered it, and carry `lang` = "nl" where they do not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _g

from belemmeringen.models import (
    Behoefte,
    Knelpunt,
    KnelpuntStatusWijziging,
    LichtmastAntwoord,
    LichtmastBevinding,
    Niveau,
)
from rapportage.models import Eindoordeel
from resultaten.models import Publicatie

LEVEL_ORDER = [Niveau.NATIONAAL, Niveau.REGIONAAL, Niveau.LOKAAL]


def latest_or_404() -> Publicatie:
    publicatie = Publicatie.objects.latest_version()
    if publicatie is None:
        raise Http404(_g("De resultaten zijn nog niet gepubliceerd."))
    return publicatie


def version_or_404(version: int) -> Publicatie:
    publicatie = Publicatie.objects.filter(version=version).first()
    if publicatie is None:
        raise Http404(_g("Deze versie bestaat niet."))
    return publicatie


def versions():
    """Every published version, newest first, without the heavy data and report HTML (the list pages)."""
    return Publicatie.objects.order_by("-version").defer("data", "report_html")


def _english() -> bool:
    return (translation.get_language() or "nl").split("-")[0] == "en"


def named(row: dict[str, Any], key: str = "name") -> dict[str, str]:
    """{"text": ..., "lang": "nl" | ""}: the English name where staff entered one on /en/, else the Dutch,
    marked as Dutch when it stands on an English page (WCAG 3.1.2)."""
    english = (row.get(f"{key}_en") or "").strip()
    if _english() and english:
        return {"text": english, "lang": ""}
    return {"text": row.get(key, ""), "lang": "nl" if _english() else ""}


def dutch_lang() -> str:
    """The lang attribute for Dutch text staff wrote, on this page: "nl" on /en/, nothing on Dutch pages."""
    return "nl" if _english() else ""


@dataclass
class Followup:
    status: str
    label: str
    explanation: str
    changed: datetime | None


@dataclass
class KnelpuntView:
    row: dict[str, Any]
    theme: dict[str, str]
    level_label: str
    followup: Followup
    needs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass
class Results:
    """The latest publication as the pages show it."""

    publicatie: Publicatie
    knelpunten: list[KnelpuntView]
    data: dict[str, Any]

    @property
    def by_id(self) -> dict[int, KnelpuntView]:
        return {k.id: k for k in self.knelpunten}


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _followups(rows: list[dict[str, Any]]) -> dict[int, Followup]:
    """The current follow-up of the published knelpunten; one merged away since keeps its frozen status."""
    labels = _labels(Knelpunt.Opvolging.choices)
    live = {
        pk: (status, explanation, changed)
        for pk, status, explanation, changed in Knelpunt.objects.filter(pk__in=[r["id"] for r in rows]).values_list(
            "pk", "status", "status_explanation", "status_changed"
        )
    }
    result = {}
    for row in rows:
        status, explanation, changed = live.get(row["id"], (row["status"], row["status_explanation"], None))
        result[row["id"]] = Followup(status, labels.get(status, status), explanation.strip(), changed)
    return result


def results(publicatie: Publicatie) -> Results:
    data = publicatie.data
    themes = {t["slug"]: named(t) for t in data["themes"]}
    levels = _labels(Niveau.choices)
    needs = {n["id"]: n for n in data["needs"]}
    followups = _followups(data["knelpunten"])
    views = [
        KnelpuntView(
            row=row,
            theme=themes.get(row["theme_slug"], {"text": row["theme"], "lang": dutch_lang()}),
            level_label=levels.get(row["level"], row["level"]),
            followup=followups[row["id"]],
            needs=[needs[n] for n in row["needs"] if n in needs],
        )
        for row in data["knelpunten"]
    ]
    return Results(publicatie=publicatie, knelpunten=views, data=data)


def ranked(knelpunten: list[KnelpuntView]) -> list[KnelpuntView]:
    """Raised in most sessions first, then most recognised, then by title (the report's order)."""
    return sorted(knelpunten, key=lambda k: (-k.row["session_count"], -k.row["recognised_by"], k.row["title"].lower()))


def per_level(res: Results) -> list[dict[str, Any]]:
    levels = _labels(Niveau.choices)
    return [
        {
            "level": level,
            "label": levels[level],
            "knelpunten": ranked([k for k in res.knelpunten if k.row["level"] == level]),
        }
        for level in LEVEL_ORDER
    ]


def theme_level_table(res: Results) -> dict[str, Any]:
    """Knelpunten per theme (rows) and level (columns), with the entries behind them beside each count."""
    counts: Counter = Counter()
    entries: Counter = Counter()
    for k in res.knelpunten:
        counts[(k.row["theme_slug"], k.row["level"])] += 1
        entries[(k.row["theme_slug"], k.row["level"])] += k.row["entry_count"]
    levels = _labels(Niveau.choices)
    rows = [
        {
            "theme": named(t),
            "cells": [
                {"knelpunten": counts[(t["slug"], lv)], "entries": entries[(t["slug"], lv)]} for lv in LEVEL_ORDER
            ],
            "total": sum(counts[(t["slug"], lv)] for lv in LEVEL_ORDER),
        }
        for t in res.data["themes"]
    ]
    return {"columns": [levels[lv] for lv in LEVEL_ORDER], "rows": rows, "total": len(res.knelpunten)}


def lamp_post(res: Results) -> dict[str, Any]:
    verdicts = _labels(LichtmastAntwoord.Oordeel.choices)
    answers = res.data["lamp_post"]
    tally = Counter(a["verdict"] for a in answers)
    overall = res.data["texts"].get("rq2_verdict", "")
    return {
        "overall": overall,
        "overall_label": _labels(Eindoordeel.choices).get(overall, ""),
        "answer": res.data["texts"].get("answer_rq2", ""),
        "tally": [
            {"verdict": v, "label": verdicts[v], "count": tally[v]}
            for v, _label in LichtmastAntwoord.Oordeel.choices
            if tally[v]
        ],
        "sessions": len(answers),
        "answers": [dict(a, label=verdicts.get(a["verdict"], a["verdict"])) for a in answers],
    }


def shopping_list(res: Results) -> list[dict[str, Any]]:
    levels = _labels(Niveau.choices)
    support = _labels(Behoefte.Ondersteuning.choices)
    by_level: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for need in res.data["needs"]:
        by_level[need["level"]].append(
            dict(need, support_label=support.get(need["support_type"], need["support_type"]))
        )
    return [{"level": lv, "label": levels[lv], "needs": by_level.get(lv, [])} for lv in LEVEL_ORDER]


def programme(res: Results) -> list[dict[str, Any]]:
    levels = _labels(Niveau.choices)
    by_id = res.by_id
    return [
        dict(
            item,
            level_label=levels.get(item["level"], item["level"]),
            knelpunt_views=[by_id[k] for k in item["knelpunten"] if k in by_id],
        )
        for item in res.data["programme"]
    ]


def per_status(res: Results) -> list[dict[str, Any]]:
    groups = []
    for status, label in Knelpunt.Opvolging.choices:
        members = [k for k in res.knelpunten if k.followup.status == status]
        if members:
            groups.append({"status": status, "label": str(label), "knelpunten": ranked(members)})
    return groups


def timeline(knelpunt_id: int, published_at: datetime) -> list[dict[str, Any]]:
    """Every recorded step of the knelpunt's follow-up, oldest first; steps after publication are marked."""
    labels = _labels(Knelpunt.Opvolging.choices)
    return [
        {
            "at": w.changed_at,
            "old": labels.get(w.old_status, "") if w.old_status else "",
            "new": labels.get(w.new_status, w.new_status),
            "explanation": w.explanation.strip(),
            "after_publication": w.changed_at > published_at,
        }
        for w in KnelpuntStatusWijziging.objects.filter(knelpunt_id=knelpunt_id).order_by("changed_at", "id")
    ]


def region(res: Results, slug: str) -> dict[str, Any]:
    regions = {r["slug"]: r for r in res.data["regions"]}
    if slug not in regions:
        raise Http404(_g("Deze regio staat niet in de gepubliceerde resultaten."))
    info = regions[slug]
    # JSON keeps dates as ISO text; the template formats a date.
    sessions = [dict(s, date=date.fromisoformat(s["date"])) for s in res.data["sessions"] if s["region_slug"] == slug]
    entries = [e for e in res.data["entries"] if e["region_slug"] == slug]
    levels = _labels(Niveau.choices)
    raised = {e["knelpunt"] for e in entries if e["knelpunt"]}
    themes = {t["slug"]: t for t in res.data["themes"]}
    theme_by_name = {t["name"]: t for t in res.data["themes"]}
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_theme[e["theme"]].append(dict(e, level_label=levels.get(e["level"], e["level"])))
    return {
        "region": info,
        "name": named(info),
        "sessions": sessions,
        "knelpunten": ranked([k for k in res.knelpunten if k.id in raised]),
        "entries_by_theme": [
            {"theme": named(theme_by_name.get(name, {"name": name})), "entries": rows}
            for name, rows in by_theme.items()
        ],
        "entry_count": len(entries),
        "lamp_post": _lamp_post_of(res, slug),
        "themes": themes,
    }


def _lamp_post_of(res: Results, slug: str) -> list[dict[str, Any]]:
    """The region's lamp-post verdicts with their findings, labels in the page's language."""
    verdicts = _labels(LichtmastAntwoord.Oordeel.choices)
    aspects = _labels(LichtmastBevinding.Aspect.choices)
    kinds = _labels(LichtmastBevinding.Soort.choices)
    return [
        dict(
            answer,
            label=verdicts.get(answer["verdict"], answer["verdict"]),
            findings=[
                dict(f, aspect_label=aspects.get(f["aspect"], f["aspect"]), kind_label=kinds.get(f["kind"], f["kind"]))
                for f in answer["findings"]
            ],
        )
        for answer in res.data["lamp_post"]
        if answer["region_slug"] == slug
    ]


def figures(res: Results) -> dict[str, Any]:
    data = res.data
    return {
        "sessions": sum(1 for s in data["sessions"] if not s["cancelled"]),
        "regions": len(data["regions"]),
        "attended": sum(s["attended"] for s in data["sessions"]),
        "entries": len(data["entries"]),
        "knelpunten": len(data["knelpunten"]),
        "needs": len(data["needs"]),
    }


def figure_language() -> str:
    return "en" if _english() else "nl"


def regions_of(res: Results, knelpunt: KnelpuntView) -> list[dict[str, Any]]:
    """The regions that raised the knelpunt, each with its entries (what the session said, and at which level)."""
    levels = _labels(Niveau.choices)
    region_names = {r["slug"]: r for r in res.data["regions"]}
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in res.data["entries"]:
        if e["knelpunt"] == knelpunt.id:
            by_region[e["region_slug"]].append(dict(e, level_label=levels.get(e["level"], e["level"])))
    return [
        {"slug": slug, "name": named(region_names.get(slug, {"name": rows[0]["region"]})), "entries": rows}
        for slug, rows in by_region.items()
    ]


_STRIP = (
    re.compile(r'<a class="skip-link"[^>]*>.*?</a>', re.S),
    re.compile(r'<div class="preview-bar".*?</div>', re.S),
)


def report_body(publicatie: Publicatie) -> str:
    """The frozen report's body, to stand inside the site's page: its own skip link and preview bar go
    (the site has them), and its <main> becomes a <div> (the site's <main> holds it)."""
    html = publicatie.report_html
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    body = match.group(1) if match else html
    for pattern in _STRIP:
        body = pattern.sub("", body)
    body = re.sub(r"<main\b", "<div", body)
    return _scrollable_tables(body.replace("</main>", "</div>"))


def _scrollable_tables(body: str) -> str:
    """Each table in a box that scrolls on its own on a narrow screen (the page never scrolls sideways),
    focusable so a keyboard can scroll it, and named after the table's caption (WCAG 2.1.1, 1.4.10)."""

    def wrap(match: re.Match) -> str:
        table = match.group(0)
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        label = (
            " ".join(strip_tags(caption.group(1)).split()) if caption else "Tabel"
        )  # the report is Dutch on every page
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(label)}">{table}</div>'

    return re.sub(r"<table\b.*?</table>", wrap, body, flags=re.S)
