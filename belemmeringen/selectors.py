"""Reads on knelpunten: the figures derived from the per-session entries behind each one.

`knelpunt_figures` answers, for any number of knelpunten, in a fixed number of queries (three, or two
when given a list of loaded knelpunten): which sessions and regions raised it, how many entries,
"herkend door N van M aanwezigen", and the levels the sessions gave next to the level the team decided.
The report, the results pages and the admin all read these figures here, so they say the same thing.

Only established (vastgesteld) entries count: a concept entry is not yet what a session said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _g
from django.utils.translation import ngettext

from belemmeringen.models import Belemmering, Knelpunt, Niveau
from regiosessies.models import Aanmelding


@dataclass(frozen=True)
class RaisedIn:
    """One established entry behind a knelpunt: where it was said, at which level, by how many."""

    entry_id: int
    title: str
    session_id: int
    session_title: str
    session_start: datetime
    region_id: int
    region_name: str
    level: str
    recognised_by: int
    #: Participants recorded as present at that session; None when no attendance is recorded there.
    session_attended: int | None

    @property
    def level_label(self) -> str:
        return str(Niveau(self.level).label)


@dataclass(frozen=True)
class SessionRef:
    id: int
    title: str
    start: datetime
    region_id: int
    region_name: str


@dataclass(frozen=True)
class KnelpuntFigures:
    """What the entries behind one knelpunt add up to."""

    knelpunt_id: int
    level_decided: str
    #: The established entries, in session order.
    entries: tuple[RaisedIn, ...]
    #: Distinct sessions that raised it, by start.
    sessions: tuple[SessionRef, ...]
    #: Distinct region names, in the regions' own order.
    regions: tuple[str, ...]
    #: N in "herkend door N van M": the sum of the entries' recognised_by.
    recognised_by: int
    #: M: attendance recorded for the sessions that raised it. None unless attendance is recorded for
    #: every one of them, because a partial count would make N look larger than it is.
    attended: int | None
    #: How often each level was given by the sessions (level value -> number of entries).
    levels_given: Counter = field(default_factory=Counter, hash=False)

    @property
    def entry_count(self) -> int:
        return len(self.entries)

    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @property
    def region_count(self) -> int:
        return len(self.regions)

    @property
    def levels_agree(self) -> bool:
        """True when every session that raised it gave the level the team decided."""
        return set(self.levels_given) <= {self.level_decided}

    def recognition_label(self) -> str:
        """'herkend door N van M aanwezigen', or 'herkend door N deelnemers' when M is unknown."""
        if self.attended is None:
            return ngettext("herkend door %(n)d deelnemer", "herkend door %(n)d deelnemers", self.recognised_by) % {
                "n": self.recognised_by
            }
        return _g("herkend door %(n)d van %(m)d aanwezigen") % {"n": self.recognised_by, "m": self.attended}


def knelpunt_figures(knelpunten: QuerySet[Knelpunt] | Iterable[Knelpunt]) -> dict[int, KnelpuntFigures]:
    """The derived figures per knelpunt, keyed by its pk, in a fixed number of queries.

    A knelpunt without established entries gets empty figures (no sessions, N = 0, M = None).
    """
    knelpunten = list(knelpunten)
    ids = [k.pk for k in knelpunten]
    rows = list(
        Belemmering.objects.established()
        .filter(knelpunt_id__in=ids)
        .order_by("session__start", "session__regio__order", "pk")
        .values_list(
            "pk",
            "knelpunt_id",
            "title",
            "level",
            "recognised_by",
            "session_id",
            "session__title",
            "session__start",
            "session__regio_id",
            "session__regio__name",
            "session__regio__order",
        )
    )
    attended = attendance_per_session({row[5] for row in rows})
    by_knelpunt: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for row in rows:
        by_knelpunt[row[1]].append(row)
    return {k.pk: _figures(k, by_knelpunt[k.pk], attended) for k in knelpunten}


def attendance_per_session(session_ids: Iterable[int]) -> dict[int, int]:
    """Attended registrations per session; sessions without any are absent (attendance not recorded)."""
    session_ids = set(session_ids)
    if not session_ids:
        return {}
    counts = (
        Aanmelding.objects.filter(session_id__in=session_ids, attended=True)
        .order_by()
        .values_list("session_id")
        .annotate(n=Count("pk"))
    )
    return dict(counts)


def _figures(knelpunt: Knelpunt, rows: list[tuple], attended: dict[int, int]) -> KnelpuntFigures:
    entries = tuple(
        RaisedIn(
            entry_id=pk,
            title=title,
            session_id=session_id,
            session_title=session_title,
            session_start=start,
            region_id=region_id,
            region_name=region_name,
            level=level,
            recognised_by=recognised,
            session_attended=attended.get(session_id),
        )
        for pk, _k, title, level, recognised, session_id, session_title, start, region_id, region_name, _o in rows
    )
    sessions: dict[int, SessionRef] = {}
    regions: dict[int, tuple[int, str]] = {}
    for row in rows:
        sessions.setdefault(row[5], SessionRef(row[5], row[6], row[7], row[8], row[9]))
        regions.setdefault(row[8], (row[10], row[9]))
    known = [attended.get(session_id) for session_id in sessions]
    return KnelpuntFigures(
        knelpunt_id=knelpunt.pk,
        level_decided=knelpunt.level,
        entries=entries,
        sessions=tuple(sessions.values()),
        regions=tuple(name for _order, name in sorted(regions.values())),
        recognised_by=sum(entry.recognised_by for entry in entries),
        attended=sum(known) if known and None not in known else None,
        levels_given=Counter(entry.level for entry in entries),
    )
