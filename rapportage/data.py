"""The report's data: one function that reads the findings in a fixed, small number of queries and
returns a plain structure of dataclasses.

Everything the report *says* (counts, rankings, groupings) is decided here, so it can be tested exactly
and rendered by a template that only lays it out. Only obstacles with status `vastgesteld` count; the
number still in concept is reported separately.

Query budget (independent of the number of obstacles): report texts, sessions with counts, participants
per organisation type, themes, sub-topics, obstacles, obstacle-needs links, concept count, lamp-post
answers, lamp-post findings: ten queries.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from belemmeringen.models import (
    Behoefte,
    Belemmering,
    Dimensie,
    LichtmastAntwoord,
    LichtmastBevinding,
    Niveau,
    Subthema,
    Thema,
)
from rapportage.models import RapportTekst
from regiosessies.models import Aanmelding, Regiosessie

# Bump when the templates or stylesheet change what a rendered PDF looks like, so cached files from
# an older layout are not served for the same data.
TEMPLATE_VERSION = "2026-11-27.2"

TOP_BELEMMERINGEN = 5
TOP_BEHOEFTEN_PER_NIVEAU = 3


@dataclass(frozen=True)
class Teksten:
    title: str
    subtitle: str
    author: str
    introduction: str
    conclusions: str
    publication_date: date


@dataclass(frozen=True)
class Kerncijfers:
    sessions: int
    regions: int
    registered: int
    attended: int
    obstacles: int
    concept_obstacles: int
    needs: int
    themes: int


@dataclass(frozen=True)
class SessieRegel:
    slug: str
    title: str
    region: str
    city: str
    date: date
    registered: int
    attended: int
    obstacles: int
    cancelled: bool


@dataclass(frozen=True)
class Telling:
    """A label with a count: a bar in a chart and a row in the table beside it."""

    label: str
    count: int


@dataclass(frozen=True)
class BelemmeringRegel:
    """One obstacle as a facilitator entered it for one session (the appendix lists these)."""

    id: int
    title: str
    description: str
    support_needed: str
    theme: str
    subtheme: str
    level: str
    level_label: str
    dimension: str
    dimension_label: str
    recognised_by: int
    session: str
    session_slug: str
    region: str
    needs: list[str]


@dataclass(frozen=True)
class GebundeldeBelemmering:
    """An obstacle as the report ranks it: the same title raised in several sessions counts once,
    with the recognition added up and the regions that raised it listed."""

    title: str
    theme: str
    subtheme: str
    level_labels: list[str]
    recognised_by: int
    sessions: int
    regions: list[str]


@dataclass(frozen=True)
class SubthemaBlok:
    name: str
    obstacles: list[GebundeldeBelemmering]


@dataclass(frozen=True)
class ThemaBlok:
    slug: str
    name: str
    description: str
    obstacle_count: int
    subthemes: list[SubthemaBlok]
    appendix: list[BelemmeringRegel]


@dataclass(frozen=True)
class Matrix:
    """Counts of obstacles per theme (rows) and per column value (levels or dimensions)."""

    rows: list[str]
    columns: list[str]
    cells: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    total: int

    @property
    def table_rows(self) -> list[tuple[str, list[int], int]]:
        """(row label, cells, row total) per row, for templates."""
        return list(zip(self.rows, self.cells, self.row_totals))

    def cell(self, row: str, column: str) -> int:
        return self.cells[self.rows.index(row)][self.columns.index(column)]


@dataclass(frozen=True)
class RegioBlok:
    region: str
    session: str
    obstacles: int
    recognised_by: int
    per_theme: list[Telling]
    per_level: list[Telling]
    top_obstacle: str


@dataclass(frozen=True)
class LichtmastRegio:
    region: str
    verdict: str
    verdict_label: str
    summary: str


@dataclass(frozen=True)
class LichtmastPunt:
    """A chance, condition or obstacle; the same text from several regions is listed once."""

    text: str
    regions: list[str]


@dataclass(frozen=True)
class LichtmastAspect:
    aspect: str
    label: str
    chances: list[LichtmastPunt]
    conditions: list[LichtmastPunt]
    obstacles: list[LichtmastPunt]


@dataclass(frozen=True)
class BehoefteRegel:
    title: str
    description: str
    support_type: str
    support_label: str
    level: str
    sessions: int
    obstacles: int
    regions: list[str]


@dataclass(frozen=True)
class NiveauBlok:
    level: str
    label: str
    needs: list[BehoefteRegel]

    @property
    def top(self) -> list[BehoefteRegel]:
        return self.needs[:TOP_BEHOEFTEN_PER_NIVEAU]


@dataclass(frozen=True)
class Rapport:
    texts: Teksten
    session_slug: str | None
    session_title: str | None
    figures: Kerncijfers
    sessions: list[SessieRegel]
    participants_by_type: list[Telling]
    themes: list[ThemaBlok]
    top_obstacles: list[GebundeldeBelemmering]
    theme_by_level: Matrix
    theme_by_dimension: Matrix
    regions: list[RegioBlok]
    lamp_post: list[LichtmastRegio]
    lamp_post_aspects: list[LichtmastAspect]
    shopping_list: list[NiveauBlok]
    levels: list[Telling] = field(default_factory=list)

    @property
    def is_session_report(self) -> bool:
        return self.session_slug is not None

    def fingerprint(self) -> str:
        """A hash of everything the PDF shows, plus the layout version: equal data, equal file."""
        payload = json.dumps(
            {"template": TEMPLATE_VERSION, "data": asdict(self)}, sort_keys=True, default=str, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _paragraph_text(value: str) -> str:
    return (value or "").strip()


def _teksten() -> Teksten:
    tekst = RapportTekst.load()
    return Teksten(
        title=tekst.title,
        subtitle=tekst.subtitle,
        author=tekst.author,
        introduction=_paragraph_text(tekst.introduction),
        conclusions=_paragraph_text(tekst.conclusions),
        publication_date=tekst.publication_date or timezone.localdate(),
    )


def _matrix(rows: list[str], columns: list[str], counts: Counter) -> Matrix:
    cells = [[counts[(row, column)] for column in columns] for row in rows]
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[r][c] for r in range(len(rows))) for c in range(len(columns))]
    return Matrix(
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=sum(row_totals),
    )


def _bundle(regels: list[BelemmeringRegel]) -> list[GebundeldeBelemmering]:
    """Group obstacles with the same title (case and spacing ignored) within a sub-topic and rank them:
    most recognised first, then raised in most sessions, then alphabetically."""
    groups: dict[str, list[BelemmeringRegel]] = defaultdict(list)
    for regel in regels:
        groups[" ".join(regel.title.lower().split())].append(regel)
    bundled = []
    for members in groups.values():
        first = members[0]
        levels = []
        for member in members:
            if member.level_label not in levels:
                levels.append(member.level_label)
        regions = sorted({member.region for member in members})
        bundled.append(
            GebundeldeBelemmering(
                title=first.title,
                theme=first.theme,
                subtheme=first.subtheme,
                level_labels=levels,
                recognised_by=sum(member.recognised_by for member in members),
                sessions=len({member.session_slug for member in members}),
                regions=regions,
            )
        )
    bundled.sort(key=lambda b: (-b.recognised_by, -b.sessions, b.title.lower()))
    return bundled


def build_report(*, session: Regiosessie | None = None, include_concept: bool = False) -> Rapport:
    """Build the whole report (or one session's report) as plain data.

    `include_concept` also counts obstacles that are not yet `vastgesteld` (for a preview); the
    published report never does.
    """
    texts = _teksten()

    sessies_qs = Regiosessie.objects.select_related("regio").with_counts().order_by("start", "title")
    if session is not None:
        sessies_qs = sessies_qs.filter(pk=session.pk)
    sessies = list(sessies_qs)
    session_ids = [s.pk for s in sessies]

    # Participants by organisation type: confirmed registrations, the same basis as "registered".
    by_type = Counter(
        {
            row["organisation_type"]: row["n"]
            for row in Aanmelding.objects.filter(session_id__in=session_ids, status=Aanmelding.Status.CONFIRMED)
            .values("organisation_type")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    type_labels = dict(Aanmelding.OrganisationType.choices)
    participants_by_type = [
        Telling(label=str(type_labels[value]), count=by_type[value])
        for value, _label in Aanmelding.OrganisationType.choices
        if by_type[value]
    ]

    themas = list(Thema.objects.order_by("order", "name"))
    subthemas = list(Subthema.objects.order_by("thema__order", "order", "name"))

    statuses = [Belemmering.Status.VASTGESTELD]
    if include_concept:
        statuses.append(Belemmering.Status.CONCEPT)
    belemmeringen = list(
        Belemmering.objects.filter(session_id__in=session_ids, status__in=statuses)
        .select_related("session__regio", "thema", "subthema")
        .order_by("thema__order", "-recognised_by", "title", "pk")
    )
    concept_count = (
        0
        if include_concept
        else Belemmering.objects.filter(session_id__in=session_ids, status=Belemmering.Status.CONCEPT).count()
    )

    # Filtered by the same conditions rather than a list of ids, so the query stays one short
    # statement however many obstacles there are.
    links = list(
        Belemmering.behoeften.through.objects.filter(
            belemmering__session_id__in=session_ids, belemmering__status__in=statuses
        )
        .select_related("behoefte")
        .order_by("behoefte__title", "belemmering_id")
    )
    needs_by_obstacle: dict[int, list[Behoefte]] = defaultdict(list)
    for link in links:
        needs_by_obstacle[link.belemmering_id].append(link.behoefte)

    level_labels = dict(Niveau.choices)
    dimension_labels = dict(Dimensie.choices)
    regels: list[BelemmeringRegel] = []
    for b in belemmeringen:
        regels.append(
            BelemmeringRegel(
                id=b.pk,
                title=b.title,
                description=b.description.strip(),
                support_needed=b.support_needed.strip(),
                theme=b.thema.name,
                subtheme=b.subthema.name if b.subthema_id else "",
                level=b.level,
                level_label=str(level_labels.get(b.level, b.level)),
                dimension=b.dimension,
                dimension_label=str(dimension_labels.get(b.dimension, b.dimension)),
                recognised_by=b.recognised_by,
                session=b.session.title,
                session_slug=b.session.slug,
                region=b.session.regio.name,
                needs=[need.title for need in needs_by_obstacle[b.pk]],
            )
        )

    # Chapter 4 and the appendix: per theme, per sub-topic, ranked by recognition.
    by_theme: dict[str, list[BelemmeringRegel]] = defaultdict(list)
    for regel in regels:
        by_theme[regel.theme].append(regel)
    other = _("Overig")
    theme_blocks = []
    for thema in themas:
        in_theme = by_theme.get(thema.name, [])
        sub_names = [s.name for s in subthemas if s.thema_id == thema.pk]
        by_sub: dict[str, list[BelemmeringRegel]] = defaultdict(list)
        for regel in in_theme:
            by_sub[regel.subtheme or other].append(regel)
        blocks = [SubthemaBlok(name=name, obstacles=_bundle(by_sub[name])) for name in sub_names if by_sub.get(name)]
        if by_sub.get(other):
            blocks.append(SubthemaBlok(name=other, obstacles=_bundle(by_sub[other])))
        sub_order = {name: position for position, name in enumerate(sub_names)}
        appendix = sorted(
            in_theme,
            key=lambda r, sub_order=sub_order: (
                sub_order.get(r.subtheme, len(sub_order)), -r.recognised_by, r.title.lower(), r.id
            ),
        )
        theme_blocks.append(
            ThemaBlok(
                slug=thema.slug,
                name=thema.name,
                description=thema.description,
                obstacle_count=len(in_theme),
                subthemes=blocks,
                appendix=appendix,
            )
        )

    top_obstacles = _bundle(regels)[:TOP_BELEMMERINGEN] if regels else []

    theme_names = [t.name for t in themas]
    level_cols = [str(label) for _value, label in Niveau.choices]
    # The dimension labels carry an explanation in brackets; the matrix uses the short name.
    short_dimension = {str(label): str(label).split(" (")[0] for _value, label in Dimensie.choices}
    dimension_cols = list(short_dimension.values())
    theme_by_level = _matrix(theme_names, level_cols, Counter((r.theme, r.level_label) for r in regels))
    theme_by_dimension = _matrix(
        theme_names,
        dimension_cols,
        Counter((r.theme, short_dimension.get(r.dimension_label, r.dimension_label)) for r in regels),
    )

    # Chapter 6: regional differences.
    by_session: dict[str, list[BelemmeringRegel]] = defaultdict(list)
    for regel in regels:
        by_session[regel.session_slug].append(regel)
    region_blocks = []
    session_lines = []
    for s in sessies:
        in_session = by_session.get(s.slug, [])
        theme_counts = Counter(r.theme for r in in_session)
        level_counts = Counter(r.level_label for r in in_session)
        ranked = sorted(in_session, key=lambda r: (-r.recognised_by, r.title.lower()))
        region_blocks.append(
            RegioBlok(
                region=s.regio.name,
                session=s.title,
                obstacles=len(in_session),
                recognised_by=sum(r.recognised_by for r in in_session),
                per_theme=[Telling(label=name, count=theme_counts[name]) for name in theme_names],
                per_level=[Telling(label=label, count=level_counts[label]) for label in level_cols],
                top_obstacle=ranked[0].title if ranked else "",
            )
        )
        session_lines.append(
            SessieRegel(
                slug=s.slug,
                title=s.title,
                region=s.regio.name,
                city=s.city,
                date=timezone.localtime(s.start).date(),
                registered=s.confirmed_count,
                attended=s.attended_count,
                obstacles=len(in_session),
                cancelled=s.cancelled,
            )
        )

    # Chapter 7: the lamp-post question.
    antwoorden = list(
        LichtmastAntwoord.objects.filter(session_id__in=session_ids)
        .select_related("session__regio")
        .order_by("session__start", "session__title")
    )
    region_of_answer = {a.pk: a.session.regio.name for a in antwoorden}
    verdict_labels = dict(LichtmastAntwoord.Oordeel.choices)
    lamp_post = [
        LichtmastRegio(
            region=a.session.regio.name,
            verdict=a.verdict,
            verdict_label=str(verdict_labels.get(a.verdict, a.verdict)),
            summary=a.summary.strip(),
        )
        for a in antwoorden
    ]
    bevindingen = (
        list(
            LichtmastBevinding.objects.filter(antwoord_id__in=list(region_of_answer)).order_by(
                "antwoord__session__start", "id"
            )
        )
        if antwoorden
        else []
    )
    aspects = []
    for value, label in LichtmastBevinding.Aspect.choices:
        of_aspect = [b for b in bevindingen if b.aspect == value]
        if not of_aspect:
            continue

        def points(kind: str, of_aspect=of_aspect) -> list[LichtmastPunt]:
            regions_by_text: dict[str, list[str]] = {}
            for b in of_aspect:
                if b.kind == kind:
                    regions = regions_by_text.setdefault(b.text.strip(), [])
                    if region_of_answer[b.antwoord_id] not in regions:
                        regions.append(region_of_answer[b.antwoord_id])
            return [LichtmastPunt(text=text, regions=regions) for text, regions in regions_by_text.items()]

        aspects.append(
            LichtmastAspect(
                aspect=value,
                label=str(label),
                chances=points(LichtmastBevinding.Soort.KANS),
                conditions=points(LichtmastBevinding.Soort.VOORWAARDE),
                obstacles=points(LichtmastBevinding.Soort.BELEMMERING),
            )
        )

    # Chapter 8: the shopping list. A need counts the sessions and obstacles (that count) behind it.
    need_obstacles: dict[int, list[BelemmeringRegel]] = defaultdict(list)
    needs: dict[int, Behoefte] = {}
    regel_by_id = {r.id: r for r in regels}
    for link in links:
        needs[link.behoefte_id] = link.behoefte
        need_obstacles[link.behoefte_id].append(regel_by_id[link.belemmering_id])
    support_labels = dict(Behoefte.Ondersteuning.choices)
    need_lines = [
        BehoefteRegel(
            title=need.title,
            description=need.description.strip(),
            support_type=need.support_type,
            support_label=str(support_labels.get(need.support_type, need.support_type)),
            level=need.level,
            sessions=len({r.session_slug for r in need_obstacles[pk]}),
            obstacles=len(need_obstacles[pk]),
            regions=sorted({r.region for r in need_obstacles[pk]}),
        )
        for pk, need in needs.items()
    ]
    need_lines.sort(key=lambda n: (-n.sessions, -n.obstacles, n.title.lower()))
    shopping_list = [
        NiveauBlok(level=value, label=str(label), needs=[n for n in need_lines if n.level == value])
        for value, label in Niveau.choices
    ]

    regions = {s.regio_id for s in sessies}
    figures = Kerncijfers(
        sessions=len(sessies),
        regions=len(regions),
        registered=sum(s.confirmed_count for s in sessies),
        attended=sum(s.attended_count for s in sessies),
        obstacles=len(regels),
        concept_obstacles=concept_count,
        needs=len(need_lines),
        themes=sum(1 for block in theme_blocks if block.obstacle_count),
    )
    return Rapport(
        texts=texts,
        session_slug=session.slug if session is not None else None,
        session_title=session.title if session is not None else None,
        figures=figures,
        sessions=session_lines,
        participants_by_type=participants_by_type,
        themes=theme_blocks,
        top_obstacles=top_obstacles,
        theme_by_level=theme_by_level,
        theme_by_dimension=theme_by_dimension,
        regions=region_blocks,
        lamp_post=lamp_post,
        lamp_post_aspects=aspects,
        shopping_list=shopping_list,
        levels=[Telling(label=label, count=total) for label, total in zip(level_cols, theme_by_level.column_totals)],
    )
