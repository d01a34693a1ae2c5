"""The report's data: plain dataclasses built from the findings in a fixed number of queries.

Everything the report *says* (counts, rankings, tallies) is decided here, one function per chapter, so
it can be tested exactly and rendered by a template that only lays it out. The unit of the report is
the knelpunt (one distinct obstacle as the programme team words it); the per-session entries behind
it are counted beside it. Only established (`vastgesteld`) entries count. Entries still in concept and
established entries not yet grouped into a knelpunt are counted and named in the report, never dropped
without a word.

Query budget, whatever the number of entries: texts, programme items (+2 prefetches), sessions with
counts, participation per session and organisation type, themes, sub-topics, entries, knelpunten,
knelpunt figures (2, `belemmeringen.selectors.knelpunt_figures`), knelpunt-need links, entry-need
links, needs, lamp-post answers, lamp-post findings: 17 queries.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belemmeringen.models import (
    Behoefte,
    Belemmering,
    Dimensie,
    Knelpunt,
    LichtmastAntwoord,
    LichtmastBevinding,
    Niveau,
    Subthema,
    Thema,
)
from belemmeringen.selectors import KnelpuntFigures, knelpunt_figures
from prioritering.selectors import closed_round_points
from rapportage.models import Eindoordeel, ProgrammaOnderdeel, RapportTekst
from regiosessies.models import Aanmelding, Regiosessie

# Bump when the templates or stylesheet change what a rendered PDF looks like, so cached files from
# an older layout are not served for the same data.
TEMPLATE_VERSION = "2026-11-29.3"

TOP_PER_LEVEL = 3
# The ranking per level in chapter RQ1 names this many knelpunten and says how many more there are;
# every knelpunt is listed once per theme in the same chapter and in annex A. Hundreds of rows per
# level would repeat those lists and double the report's length.
RANKED_PER_LEVEL = 25
TOP_BEHOEFTEN_PER_NIVEAU = 3
# A need's row on the shopping list names at most this many knelpunten and says how many more there
# are (annex A has them all): a table row must fit on a page.
KNELPUNTEN_PER_BEHOEFTE = 8
# A region "stresses" the theme whose share among its knelpunten is furthest above that theme's share
# over all regions, when that is at least this many percentage points and this many knelpunten.
EMPHASIS_POINTS = 5
EMPHASIS_MIN_KNELPUNTEN = 2

ABBREVIATIONS = [
    ("AVG", "Algemene verordening gegevensbescherming"),
    ("IenW", "Ministerie van Infrastructuur en Waterstaat"),
    ("IoT", "Internet of Things"),
    ("IPO", "Interprovinciaal Overleg"),
    ("LoRaWAN", "Long Range Wide Area Network"),
    ("NSCLL", "Stichting Nationaal Smart City Living Lab"),
    ("OV", "openbare verlichting"),
    ("RWS", "Rijkswaterstaat"),
    ("VNG", "Vereniging van Nederlandse Gemeenten"),
]


# --- Plain structures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TextBlock:
    """A paragraph (`p`, its lines joined by line breaks) or a list (`ul`, one item per line) of typed text."""

    kind: str
    lines: list[str]


@dataclass(frozen=True)
class Texts:
    title: str
    subtitle: str
    author: str
    version: str
    publication_date: date
    foreword: list[TextBlock]
    answer_rq1: list[TextBlock]
    rq2_verdict: str
    rq2_verdict_label: str
    answer_rq2: list[TextBlock]
    conclusions: list[TextBlock]
    method: list[TextBlock]

    @property
    def empty_chapters(self) -> list[str]:
        """The names of the chapters nobody has written yet (the dashboard and the report say so)."""
        chapters = [
            (_("Voorwoord"), self.foreword),
            (_("Antwoord op onderzoeksvraag 1"), self.answer_rq1),
            (_("Eindoordeel onderzoeksvraag 2"), self.rq2_verdict),
            (_("Antwoord op onderzoeksvraag 2"), self.answer_rq2),
            (_("Conclusies"), self.conclusions),
            (_("Werkwijze en verantwoording"), self.method),
        ]
        return [name for name, value in chapters if not value]


@dataclass(frozen=True)
class KeyFigures:
    sessions: int
    sessions_held: int
    regions: int
    registered: int
    attended: int
    entries: int
    concept_entries: int
    ungrouped_entries: int
    knelpunten: int
    needs: int


@dataclass(frozen=True)
class SessionLine:
    id: int
    slug: str
    title: str
    region: str
    city: str
    date: date
    held: bool
    cancelled: bool
    registered: int
    attended: int
    entries: int
    knelpunten: int


@dataclass(frozen=True)
class TallyRow:
    """A label with a count: a row in a table, a bar or a cell in a chart."""

    label: str
    count: int


@dataclass(frozen=True)
class Participation:
    """Registrations and attendance for one region or one organisation type."""

    label: str
    registered: int
    attended: int


@dataclass(frozen=True)
class RaisedIn:
    """One session that raised a knelpunt: its own words, the level it gave and how many present recognised it."""

    title: str
    region: str
    session: str
    level_label: str
    recognised_by: int
    attended: int | None


@dataclass(frozen=True)
class KnelpuntLine:
    id: int
    title: str
    description: str
    theme: str
    subtheme: str
    level: str
    level_label: str
    priority: int
    priority_label: str
    sessions: int
    regions: list[str]
    entries: int
    recognised_by: int
    attended: int | None
    recognition: str
    levels_given: list[TallyRow]
    levels_agree: bool
    raised_in: list[RaisedIn]
    needs: list[str]


@dataclass(frozen=True)
class LevelKnelpunten:
    level: str
    label: str
    knelpunten: list[KnelpuntLine]

    @property
    def top(self) -> list[KnelpuntLine]:
        return self.knelpunten[:TOP_PER_LEVEL]

    @property
    def ranked(self) -> list[KnelpuntLine]:
        return self.knelpunten[:RANKED_PER_LEVEL]

    @property
    def more(self) -> int:
        return max(0, len(self.knelpunten) - RANKED_PER_LEVEL)


@dataclass(frozen=True)
class SubthemaBlock:
    name: str
    knelpunten: list[KnelpuntLine]


@dataclass(frozen=True)
class ThemaBlock:
    slug: str
    name: str
    description: str
    knelpunt_count: int
    entry_count: int
    subthemes: list[SubthemaBlock]

    @property
    def knelpunten(self) -> list[KnelpuntLine]:
        return [k for sub in self.subthemes for k in sub.knelpunten]


@dataclass(frozen=True)
class Matrix:
    """Knelpunten per row (a theme or region) and column (a level, dimension or theme), with the
    entries behind them beside each count."""

    rows: list[str]
    columns: list[str]
    cells: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    total: int
    entry_cells: list[list[int]] = field(default_factory=list)
    entry_row_totals: list[int] = field(default_factory=list)
    entry_column_totals: list[int] = field(default_factory=list)
    entry_total: int = 0

    @property
    def table_rows(self) -> list[tuple[str, list[tuple[int, int]], tuple[int, int]]]:
        """(row label, [(knelpunten, entries)] per column, (row total, row entries)) per row."""
        entries = self.entry_cells or [[0] * len(self.columns) for _row in self.rows]
        entry_totals = self.entry_row_totals or [0] * len(self.rows)
        return [
            (label, list(zip(cells, entry_row, strict=False)), (total, entry_total))
            for label, cells, entry_row, total, entry_total in zip(
                self.rows, self.cells, entries, self.row_totals, entry_totals, strict=False
            )
        ]

    @property
    def footer(self) -> list[tuple[int, int]]:
        return list(zip(self.column_totals, self.entry_column_totals or [0] * len(self.columns), strict=False))

    def cell(self, row: str, column: str) -> int:
        return self.cells[self.rows.index(row)][self.columns.index(column)]


@dataclass(frozen=True)
class Emphasis:
    """A theme one region raised clearly more often than the regions together."""

    region: str
    theme: str
    knelpunten: int
    share: int
    average: int


@dataclass(frozen=True)
class RegionalDifferences:
    region_by_theme: Matrix
    few_regions: list[KnelpuntLine]
    emphasis: list[Emphasis]


@dataclass(frozen=True)
class LichtmastRegion:
    session_id: int
    region: str
    session: str
    verdict: str
    verdict_label: str
    summary: str


@dataclass(frozen=True)
class LichtmastPoint:
    """A chance, condition or obstacle; the same text from several regions is listed once."""

    text: str
    regions: list[str]


@dataclass(frozen=True)
class LichtmastAspect:
    aspect: str
    label: str
    chances: list[LichtmastPoint]
    conditions: list[LichtmastPoint]
    obstacles: list[LichtmastPoint]


@dataclass(frozen=True)
class Lichtmast:
    tally: list[TallyRow]
    sessions: int
    per_session: list[LichtmastRegion]
    aspects: list[LichtmastAspect]

    @property
    def leading(self) -> TallyRow | None:
        """The verdict most sessions gave (ties: the first in the order ja, voorwaarden, nee, onbekend)."""
        return max(self.tally, key=lambda t: t.count, default=None)


@dataclass(frozen=True)
class BehoefteLine:
    id: int
    title: str
    description: str
    support_label: str
    level: str
    level_label: str
    priority: int | None
    priority_label: str
    knelpunten: list[str]
    sessions: int
    regions: list[str]
    points: int | None = None

    @property
    def knelpunten_shown(self) -> list[str]:
        return self.knelpunten[:KNELPUNTEN_PER_BEHOEFTE]

    @property
    def knelpunten_more(self) -> int:
        return max(0, len(self.knelpunten) - KNELPUNTEN_PER_BEHOEFTE)


@dataclass(frozen=True)
class LevelBlock:
    level: str
    label: str
    needs: list[BehoefteLine]

    @property
    def top(self) -> list[BehoefteLine]:
        return self.needs[:TOP_BEHOEFTEN_PER_NIVEAU]


@dataclass(frozen=True)
class ProgrammeLine:
    title: str
    aim: list[TextBlock]
    offer: list[TextBlock]
    level_label: str
    organiser: str
    needs: list[str]
    knelpunten: list[str]
    first_steps: list[TextBlock]


@dataclass(frozen=True)
class Rapport:
    texts: Texts
    session_slug: str | None
    session_title: str | None
    figures: KeyFigures
    sessions: list[SessionLine]
    participation_by_region: list[Participation]
    participation_by_type: list[Participation]
    levels: list[LevelKnelpunten]
    themes: list[ThemaBlock]
    theme_by_level: Matrix
    theme_by_dimension: Matrix
    regional: RegionalDifferences | None
    lamp_post: Lichtmast
    shopping_list: list[LevelBlock]
    programme: list[ProgrammeLine]
    abbreviations: list[tuple[str, str]]

    @property
    def is_session_report(self) -> bool:
        return self.session_slug is not None

    @property
    def participants_by_type(self) -> list[TallyRow]:
        return [TallyRow(label=row.label, count=row.registered) for row in self.participation_by_type]

    def fingerprint(self) -> str:
        """A hash of everything the PDF shows, plus the layout version: equal data, equal file."""
        payload = json.dumps(
            {"template": TEMPLATE_VERSION, "data": asdict(self)}, sort_keys=True, default=str, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- Typed text ----------------------------------------------------------------------------------


def text_blocks(value: str) -> list[TextBlock]:
    """Plain text as paragraphs and lists: a blank line ends a paragraph, lines starting with "- " are
    list items. The template escapes every line; nothing typed becomes HTML."""
    blocks: list[TextBlock] = []
    for chunk in (value or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.startswith("- "):
                if paragraph:
                    blocks.append(TextBlock("p", paragraph))
                    paragraph = []
                items.append(line[2:].strip())
            else:
                if items:
                    blocks.append(TextBlock("ul", items))
                    items = []
                paragraph.append(line)
        if paragraph:
            blocks.append(TextBlock("p", paragraph))
        if items:
            blocks.append(TextBlock("ul", items))
    return blocks


def _texts() -> Texts:
    tekst = RapportTekst.load()
    return Texts(
        title=tekst.title,
        subtitle=tekst.subtitle,
        author=tekst.author,
        version=tekst.version,
        publication_date=tekst.publication_date or timezone.localdate(),
        foreword=text_blocks(tekst.introduction),
        answer_rq1=text_blocks(tekst.answer_rq1),
        rq2_verdict=tekst.rq2_verdict,
        rq2_verdict_label=str(dict(Eindoordeel.choices).get(tekst.rq2_verdict, "")),
        answer_rq2=text_blocks(tekst.answer_rq2),
        conclusions=text_blocks(tekst.conclusions),
        method=text_blocks(tekst.method),
    )


# --- Loading (every query of the report is in this section) ---------------------------------------


@dataclass
class _Source:
    """What the chapters are built from, loaded once."""

    sessions: list[Regiosessie]
    entries: list[tuple]  # (pk, status, knelpunt_id, thema_id, dimension, session_id)
    knelpunten: dict[int, Knelpunt]
    figures: dict[int, KnelpuntFigures]
    needs_of_knelpunt: dict[int, list[int]]
    needs_of_entry: dict[int, list[int]]
    needs: dict[int, Behoefte]
    themas: list[Thema]
    subthemas: list[Subthema]


def _load(session_ids: list[int], sessions: list[Regiosessie]) -> _Source:
    in_scope = Q(session_id__in=session_ids)
    entries = list(
        Belemmering.objects.filter(in_scope)
        .order_by("pk")
        .values_list("pk", "status", "knelpunt_id", "thema_id", "dimension", "session_id")
    )
    established = Belemmering.objects.established().filter(in_scope)
    knelpunten = {
        k.pk: k
        for k in Knelpunt.objects.filter(pk__in=established.values("knelpunt_id")).select_related("thema", "subthema")
    }
    figures = knelpunt_figures(knelpunten.values())
    needs_of_knelpunt: dict[int, list[int]] = defaultdict(list)
    for knelpunt_id, need_id in Knelpunt.behoeften.through.objects.filter(
        knelpunt_id__in=established.values("knelpunt_id")
    ).values_list("knelpunt_id", "behoefte_id"):
        needs_of_knelpunt[knelpunt_id].append(need_id)
    needs_of_entry: dict[int, list[int]] = defaultdict(list)
    for entry_id, need_id in Belemmering.behoeften.through.objects.filter(
        belemmering__in=established.filter(knelpunt__isnull=False)
    ).values_list("belemmering_id", "behoefte_id"):
        needs_of_entry[entry_id].append(need_id)
    need_ids = {n for ids in needs_of_knelpunt.values() for n in ids} | {
        n for ids in needs_of_entry.values() for n in ids
    }
    return _Source(
        sessions=sessions,
        entries=entries,
        knelpunten=knelpunten,
        figures=figures,
        needs_of_knelpunt=needs_of_knelpunt,
        needs_of_entry=needs_of_entry,
        needs={n.pk: n for n in Behoefte.objects.filter(pk__in=need_ids)} if need_ids else {},
        themas=list(Thema.objects.order_by("order", "name")),
        subthemas=list(Subthema.objects.order_by("thema__order", "order", "name")),
    )


def _participation(sessions: list[Regiosessie]) -> tuple[list[Participation], list[Participation]]:
    """Confirmed registrations and attendance per region and per organisation type."""
    rows = (
        Aanmelding.objects.confirmed()
        .filter(session__in=[s.pk for s in sessions])
        .values("session_id", "organisation_type")
        .annotate(n=Count("id"), present=Count("id", filter=Q(attended=True)))
        .order_by()
    )
    region_of = {s.pk: s.regio.name for s in sessions}
    by_region: dict[str, list[int]] = {s.regio.name: [0, 0] for s in sessions}
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for bucket in (by_region[region_of[row["session_id"]]], by_type[row["organisation_type"]]):
            bucket[0] += row["n"]
            bucket[1] += row["present"]
    types = [
        Participation(label=str(label), registered=by_type[value][0], attended=by_type[value][1])
        for value, label in Aanmelding.OrganisationType.choices
        if by_type.get(value, [0])[0]
    ]
    regions = [Participation(label=name, registered=r, attended=a) for name, (r, a) in by_region.items()]
    return regions, types


# --- Chapters -----------------------------------------------------------------------------------


def _knelpunt_rows(source: _Source, session_id: int | None) -> list[KnelpuntLine]:
    """Every knelpunt raised in scope, with its figures (for one session: that session's part only)."""
    level_labels = dict(Niveau.choices)
    priority_labels = dict(Knelpunt.Prioriteit.choices)
    rows = []
    for pk, k in source.knelpunten.items():
        fig = source.figures[pk]
        entries = [e for e in fig.entries if session_id is None or e.session_id == session_id]
        if not entries:
            continue
        regions = list(dict.fromkeys(e.region_name for e in entries)) if session_id else list(fig.regions)
        attended = fig.attended if session_id is None else entries[0].session_attended
        recognised = sum(e.recognised_by for e in entries)
        levels_given = Counter(e.level for e in entries)
        need_ids = list(dict.fromkeys(source.needs_of_knelpunt.get(pk, [])))
        rows.append(
            KnelpuntLine(
                id=pk,
                title=k.title,
                description=k.description.strip(),
                theme=k.thema.name,
                subtheme=k.subthema.name if k.subthema_id else "",
                level=k.level,
                level_label=str(level_labels.get(k.level, k.level)),
                priority=k.priority,
                priority_label=str(priority_labels.get(k.priority, k.priority)),
                sessions=len({e.session_id for e in entries}),
                regions=regions,
                entries=len(entries),
                recognised_by=recognised,
                attended=attended,
                recognition=_recognition(recognised, attended),
                levels_given=[
                    TallyRow(label=str(label), count=levels_given[value])
                    for value, label in Niveau.choices
                    if levels_given[value]
                ],
                levels_agree=set(levels_given) <= {k.level},
                raised_in=[
                    RaisedIn(
                        title=e.title,
                        region=e.region_name,
                        session=e.session_title,
                        level_label=str(level_labels.get(e.level, e.level)),
                        recognised_by=e.recognised_by,
                        attended=e.session_attended,
                    )
                    for e in entries
                ],
                needs=sorted(source.needs[n].title for n in need_ids if n in source.needs),
            )
        )
    rows.sort(key=lambda r: (-r.sessions, -r.recognised_by, r.title.lower()))
    return rows


def _recognition(recognised: int, attended: int | None) -> str:
    if attended is None:
        return _("herkend door %(n)d (aanwezigheid niet geregistreerd)") % {"n": recognised}
    return _("herkend door %(n)d van %(m)d aanwezigen") % {"n": recognised, "m": attended}


def levels_chapter(knelpunten: list[KnelpuntLine]) -> list[LevelKnelpunten]:
    """RQ1: knelpunten per decided level, ranked by sessions that raised them, then recognition."""
    return [
        LevelKnelpunten(level=value, label=str(label), knelpunten=[k for k in knelpunten if k.level == value])
        for value, label in Niveau.choices
    ]


def themes_chapter(source: _Source, knelpunten: list[KnelpuntLine]) -> list[ThemaBlock]:
    """RQ1 per theme and sub-topic, in the announced order; "Overig" for knelpunten without sub-topic."""
    other = _("Overig")
    blocks = []
    for thema in source.themas:
        in_theme = [k for k in knelpunten if k.theme == thema.name]
        names = [s.name for s in source.subthemas if s.thema_id == thema.pk] + [other]
        subthemes = [
            SubthemaBlock(name=name, knelpunten=[k for k in in_theme if (k.subtheme or other) == name])
            for name in names
        ]
        blocks.append(
            ThemaBlock(
                slug=thema.slug,
                name=thema.name,
                description=thema.description,
                knelpunt_count=len(in_theme),
                entry_count=sum(k.entries for k in in_theme),
                subthemes=[s for s in subthemes if s.knelpunten],
            )
        )
    return blocks


def _matrix(rows: list[str], columns: list[str], knelpunten: Counter, entries: Counter, row_knelpunten=None) -> Matrix:
    cells = [[knelpunten[(row, column)] for column in columns] for row in rows]
    entry_cells = [[entries[(row, column)] for column in columns] for row in rows]
    # A knelpunt can sit in several columns (e.g. dimensions); its row still counts it once.
    row_totals = [row_knelpunten[row] for row in rows] if row_knelpunten is not None else [sum(r) for r in cells]
    return Matrix(
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=row_totals,
        column_totals=[sum(r[c] for r in cells) for c in range(len(columns))],
        total=sum(row_totals),
        entry_cells=entry_cells,
        entry_row_totals=[sum(r) for r in entry_cells],
        entry_column_totals=[sum(r[c] for r in entry_cells) for c in range(len(columns))],
        entry_total=sum(sum(r) for r in entry_cells),
    )


def matrices(source: _Source, knelpunten: list[KnelpuntLine], session_id: int | None) -> tuple[Matrix, Matrix]:
    """Theme x decided level and theme x dimension, counting knelpunten with their entries beside them.

    A knelpunt counts under every dimension its entries named, so the dimension columns can add up to
    more than the row total; the row total counts each knelpunt once.
    """
    themes = [t.name for t in source.themas]
    levels = [str(label) for _v, label in Niveau.choices]
    by_level = _matrix(
        themes,
        levels,
        Counter((k.theme, k.level_label) for k in knelpunten),
        _sum_by(knelpunten, lambda k: (k.theme, k.level_label)),
    )
    short = {value: str(label).split(" (")[0] for value, label in Dimensie.choices}
    dimensions = list(short.values())
    shown = {k.id: k for k in knelpunten}
    dim_knelpunten: set[tuple[int, str]] = set()
    dim_entries: Counter = Counter()
    for _pk, status, knelpunt_id, _thema_id, dimension, entry_session in source.entries:
        if status != Belemmering.Status.VASTGESTELD or knelpunt_id not in shown:
            continue
        if session_id is not None and entry_session != session_id:
            continue
        k = shown[knelpunt_id]
        dim_knelpunten.add((knelpunt_id, short.get(dimension, dimension)))
        dim_entries[(k.theme, short.get(dimension, dimension))] += 1
    by_dimension = _matrix(
        themes,
        dimensions,
        Counter((shown[pk].theme, dim) for pk, dim in dim_knelpunten),
        dim_entries,
        row_knelpunten=Counter(k.theme for k in knelpunten),
    )
    return by_level, by_dimension


def _sum_by(knelpunten: list[KnelpuntLine], key) -> Counter:
    totals: Counter = Counter()
    for k in knelpunten:
        totals[key(k)] += k.entries
    return totals


def regional_chapter(source: _Source, knelpunten: list[KnelpuntLine]) -> RegionalDifferences:
    """Regions x themes (knelpunten raised there), the knelpunten only one or two regions raised, and the
    themes a region raised clearly more often than the regions together."""
    regions = list(dict.fromkeys(s.regio.name for s in source.sessions))
    themes = [t.name for t in source.themas]
    cells: Counter = Counter()
    entries: Counter = Counter()
    for k in knelpunten:
        for region in k.regions:
            cells[(region, k.theme)] += 1
        for raised in k.raised_in:
            entries[(raised.region, k.theme)] += 1
    matrix = _matrix(regions, themes, cells, entries)
    few = [k for k in knelpunten if len(k.regions) <= 2] if len(regions) > 2 else []
    few.sort(key=lambda k: (k.regions, k.theme, k.title.lower()))
    emphasis = []
    grand = sum(matrix.row_totals) or 1
    for r, region in enumerate(regions):
        region_total = matrix.row_totals[r]
        candidates = [
            Emphasis(
                region=region,
                theme=theme,
                knelpunten=matrix.cells[r][c],
                share=round(100 * matrix.cells[r][c] / region_total),
                average=round(100 * matrix.column_totals[c] / grand),
            )
            for c, theme in enumerate(themes)
            if region_total and matrix.cells[r][c] >= EMPHASIS_MIN_KNELPUNTEN
        ]
        best = max(candidates, key=lambda n: n.share - n.average, default=None)
        if best and best.share - best.average >= EMPHASIS_POINTS:
            emphasis.append(best)
    return RegionalDifferences(region_by_theme=matrix, few_regions=few, emphasis=emphasis)


def lamp_post_chapter(sessions: list[Regiosessie]) -> Lichtmast:
    """RQ2: the tally of the held sessions' verdicts (a held session without an answer counts as
    unknown; one not yet held does not count), each session's verdict, and the chances, conditions and
    obstacles per aspect."""
    answers = {
        a.session_id: a
        for a in LichtmastAntwoord.objects.filter(session__in=[s.pk for s in sessions]).prefetch_related("bevindingen")
    }
    labels = dict(LichtmastAntwoord.Oordeel.choices)
    held = [s for s in sessions if not s.cancelled]
    per_session = []
    for s in held:
        answer = answers.get(s.pk)
        verdict = answer.verdict if answer else LichtmastAntwoord.Oordeel.ONBEKEND
        per_session.append(
            LichtmastRegion(
                session_id=s.pk,
                region=s.regio.name,
                session=s.title,
                verdict=verdict,
                verdict_label=str(labels[verdict]),
                summary=answer.summary.strip() if answer else "",
            )
        )
    counted = Counter(row.verdict for row in per_session)
    # Most given verdict first ("4 van 6 sessies: ja, onder voorwaarden"); ties in the choices' order.
    tally = sorted(
        (TallyRow(label=str(label), count=counted[value]) for value, label in labels.items() if counted[value]),
        key=lambda t: -t.count,
    )
    region_of = {s.pk: s.regio.name for s in held}
    findings = [
        (region_of[a.session_id], b) for a in answers.values() if a.session_id in region_of for b in a.bevindingen.all()
    ]
    return Lichtmast(tally=tally, sessions=len(held), per_session=per_session, aspects=_aspects(findings))


def _aspects(findings: list[tuple[str, LichtmastBevinding]]) -> list[LichtmastAspect]:
    def points(aspect: str, kind: str) -> list[LichtmastPoint]:
        regions_by_text: dict[str, list[str]] = {}
        for region, b in findings:
            if b.aspect == aspect and b.kind == kind:
                regions = regions_by_text.setdefault(b.text.strip(), [])
                if region not in regions:
                    regions.append(region)
        return [LichtmastPoint(text=text, regions=regions) for text, regions in regions_by_text.items()]

    aspects = []
    for value, label in LichtmastBevinding.Aspect.choices:
        if any(b.aspect == value for _r, b in findings):
            aspects.append(
                LichtmastAspect(
                    aspect=value,
                    label=str(label),
                    chances=points(value, LichtmastBevinding.Soort.KANS),
                    conditions=points(value, LichtmastBevinding.Soort.VOORWAARDE),
                    obstacles=points(value, LichtmastBevinding.Soort.BELEMMERING),
                )
            )
    return aspects


def shopping_list(
    source: _Source, knelpunten: list[KnelpuntLine], points: Mapping[int, int] | None = None
) -> list[LevelBlock]:
    """The boodschappenlijstje: per level that should organise it, each need with the knelpunten it
    answers (linked to the knelpunt, or to an entry grouped under it), its priority (the highest of those
    knelpunten) and, when given, the participants' points per need (keyed by need pk).

    Ranked by points when given, then priority, then the number of knelpunten and sessions."""
    shown = {k.id: k for k in knelpunten}
    answers: dict[int, set[int]] = defaultdict(set)
    for knelpunt_id, need_ids in source.needs_of_knelpunt.items():
        for need_id in need_ids:
            answers[need_id].add(knelpunt_id)
    knelpunt_of_entry = {pk: kp for pk, _s, kp, *_rest in source.entries}
    for entry_id, need_ids in source.needs_of_entry.items():
        for need_id in need_ids:
            answers[need_id].add(knelpunt_of_entry[entry_id])
    level_labels = dict(Niveau.choices)
    support_labels = dict(Behoefte.Ondersteuning.choices)
    priority_labels = dict(Knelpunt.Prioriteit.choices)
    lines = []
    for need_id, knelpunt_ids in answers.items():
        behind = sorted((shown[k] for k in knelpunt_ids if k in shown), key=lambda k: k.title.lower())
        if not behind or need_id not in source.needs:
            continue
        need = source.needs[need_id]
        priority = min(k.priority for k in behind)
        lines.append(
            BehoefteLine(
                id=need.pk,
                title=need.title,
                description=need.description.strip(),
                support_label=str(support_labels.get(need.support_type, need.support_type)),
                level=need.level,
                level_label=str(level_labels.get(need.level, need.level)),
                priority=priority,
                priority_label=str(priority_labels.get(priority, priority)),
                knelpunten=[k.title for k in behind],
                sessions=len({g.session for k in behind for g in k.raised_in}),
                regions=sorted({r for k in behind for r in k.regions}),
                points=points.get(need.pk, 0) if points is not None else None,
            )
        )
    lines.sort(key=lambda n: (-(n.points or 0), n.priority, -len(n.knelpunten), -n.sessions, n.title.lower()))
    return [
        LevelBlock(level=value, label=str(label), needs=[n for n in lines if n.level == value])
        for value, label in Niveau.choices
    ]


def programme_chapter() -> list[ProgrammeLine]:
    """The proposal for the national support programme, item by item in the team's order."""
    labels = dict(Niveau.choices)
    return [
        ProgrammeLine(
            title=item.title,
            aim=text_blocks(item.aim),
            offer=text_blocks(item.offer),
            level_label=str(labels.get(item.level, item.level)),
            organiser=item.organiser,
            needs=sorted(n.title for n in item.behoeften.all()),
            knelpunten=sorted(k.title for k in item.knelpunten.all()),
            first_steps=text_blocks(item.first_steps),
        )
        for item in ProgrammaOnderdeel.objects.prefetch_related("behoeften", "knelpunten")
    ]


def sessions_chapter(source: _Source, knelpunten: list[KnelpuntLine], report_date: date) -> list[SessionLine]:
    """One line per session; a session counts as held when it started on or before the report's date."""
    entries = Counter(e[5] for e in source.entries if e[1] == Belemmering.Status.VASTGESTELD)
    distinct = Counter(session for k in knelpunten for session in {g.session for g in k.raised_in})
    lines = []
    for s in source.sessions:
        day = timezone.localtime(s.start).date()
        lines.append(
            SessionLine(
                id=s.pk,
                slug=s.slug,
                title=s.title,
                region=s.regio.name,
                city=s.city,
                date=day,
                held=not s.cancelled and day <= report_date,
                cancelled=s.cancelled,
                registered=s.confirmed_count,
                attended=s.attended_count,
                entries=entries[s.pk],
                knelpunten=distinct[s.title],
            )
        )
    return lines


# --- The whole report ---------------------------------------------------------------------------


def build_report(*, session: Regiosessie | None = None, points: Mapping[int, int] | None = None) -> Rapport:
    """The whole report, or one session's report (the same chapters for that session only), as plain data.

    `points` (participants' points per need pk) orders the shopping list when the prioritisation round
    has run; by default the frozen points of the latest closed round (an open round's stay out).
    """
    if points is None:
        frozen = closed_round_points()
        points = frozen.points_by_need if frozen else None
    texts = _texts()
    sessions_qs = Regiosessie.objects.select_related("regio").with_counts().order_by("start", "title")
    if session is not None:
        sessions_qs = sessions_qs.filter(pk=session.pk)
    sessions = list(sessions_qs)
    source = _load([s.pk for s in sessions], sessions)
    session_id = session.pk if session is not None else None
    knelpunten = _knelpunt_rows(source, session_id)
    by_region, by_type = _participation(sessions)
    session_lines = sessions_chapter(source, knelpunten, texts.publication_date)
    theme_by_level, theme_by_dimension = matrices(source, knelpunten, session_id)
    shopping = shopping_list(source, knelpunten, points)
    established = [e for e in source.entries if e[1] == Belemmering.Status.VASTGESTELD]
    figures = KeyFigures(
        sessions=len(sessions),
        sessions_held=sum(1 for line in session_lines if line.held),
        regions=len({s.regio_id for s in sessions}),
        registered=sum(s.confirmed_count for s in sessions),
        attended=sum(s.attended_count for s in sessions),
        entries=len(established),
        concept_entries=len(source.entries) - len(established),
        ungrouped_entries=sum(1 for e in established if e[2] is None),
        knelpunten=len(knelpunten),
        needs=sum(len(block.needs) for block in shopping),
    )
    return Rapport(
        texts=texts,
        session_slug=session.slug if session is not None else None,
        session_title=session.title if session is not None else None,
        figures=figures,
        sessions=session_lines,
        participation_by_region=by_region,
        participation_by_type=by_type,
        levels=levels_chapter(knelpunten),
        themes=themes_chapter(source, knelpunten),
        theme_by_level=theme_by_level,
        theme_by_dimension=theme_by_dimension,
        regional=regional_chapter(source, knelpunten) if session is None else None,
        lamp_post=lamp_post_chapter([s for s, line in zip(sessions, session_lines, strict=False) if line.held]),
        shopping_list=shopping,
        programme=programme_chapter(),
        abbreviations=list(ABBREVIATIONS),
    )
