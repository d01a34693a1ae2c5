"""Suggestions for grouping entries into knelpunten: entries from different sessions that describe the
same obstacle, and ungrouped entries that fit a knelpunt the team already made.

Similarity is pg_trgm's: the share of word trigrams two texts have in common (|A ∩ B| / |A ∪ B|), on
the title and on the description. Two entries score

    max(title similarity, (title similarity + description similarity) / 2)

A pair is a candidate when its titles reach the threshold; a matching description then raises the
score (so it is ticked on the suggestions page, or applied by `--apply-above`). Titles that do not
look alike are not paired on their descriptions alone: finding those pairs through the index costs
several times more than the titles, and lowering the title threshold for them far more again
(measured, see docs/performance.md "Knelpunten: suggesties").

On PostgreSQL the database finds the candidate pairs through the trigram index on the title
(migration 0006) with the `%` operator and scores them with `similarity()`; on SQLite (a laptop) the
same trigrams are computed in Python (tested to give pg_trgm's figures), comparing only entries of the
same theme to keep it quick. The team decides: suggestions are only
applied when accepted (in the admin, or with `suggest_knelpunten --apply-above`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.db import connection, transaction

from belemmeringen import services
from belemmeringen.models import Belemmering, Knelpunt

#: Pairs scoring below this are not suggested. Rewordings by another region ("niet gedeeld" /
#: "worden niet gedeeld") score 0.6 to 1; different obstacles in the same theme stay under 0.35.
DEFAULT_THRESHOLD = 0.45


@dataclass(frozen=True)
class Suggestion:
    """Entries that look like one obstacle: a new knelpunt, or (with `knelpunt_id`) additions to one.

    `score` is the weakest link: every entry scores at least this much against the group.
    """

    score: float
    entry_ids: tuple[int, ...]
    knelpunt_id: int | None = None

    @property
    def key(self) -> str:
        """A compact form value: 'n:3.8.12' for a new knelpunt, 'k41:3.8' to add to knelpunt 41."""
        prefix = f"k{self.knelpunt_id}" if self.knelpunt_id else "n"
        return f"{prefix}:{'.'.join(map(str, self.entry_ids))}"

    @classmethod
    def from_key(cls, key: str) -> Suggestion | None:
        match = re.fullmatch(r"(n|k(\d+)):(\d+(?:\.\d+)*)", key or "")
        if not match:
            return None
        knelpunt_id = int(match[2]) if match[2] else None
        return cls(score=0.0, entry_ids=tuple(int(i) for i in match[3].split(".")), knelpunt_id=knelpunt_id)


@dataclass
class AcceptResult:
    created: list[Knelpunt] = field(default_factory=list)
    attached: int = 0
    #: Suggestions that no longer apply (entries grouped meanwhile, knelpunt deleted).
    skipped: int = 0


# --- Similarity -----------------------------------------------------------------------------------


def trigrams(text: str) -> frozenset[str]:
    """Word trigrams as pg_trgm makes them: lower case, each word padded with two spaces in front and
    one behind, punctuation and underscores separate words."""
    grams: set[str] = set()
    for word in re.findall(r"[^\W_]+", (text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def combined(title_sim: float, description_sim: float) -> float:
    return max(title_sim, (title_sim + description_sim) / 2)


# --- Suggestions ----------------------------------------------------------------------------------


def suggest(*, threshold: float = DEFAULT_THRESHOLD) -> list[Suggestion]:
    """Suggested groups among the ungrouped entries, best first: first new knelpunten, then
    additions to existing ones. An entry appears in at most one suggestion; one that fits an existing
    knelpunt is offered for that, not for a new one."""
    if connection.vendor == "postgresql":
        attach_scores = _attach_scores_pg(threshold)
        pairs = _entry_pairs_pg(threshold)
    else:
        attach_scores = _attach_scores_py(threshold)
        pairs = _entry_pairs_py(threshold)
    attach = _best_knelpunt(attach_scores)
    pairs = [pair for pair in pairs if pair[1] not in attach and pair[2] not in attach]
    return _cluster(pairs) + _attach_suggestions(attach)


def _best_knelpunt(scores: Iterable[tuple[float, int, int]]) -> dict[int, tuple[float, int]]:
    best: dict[int, tuple[float, int]] = {}
    for score, entry_id, knelpunt_id in scores:
        if entry_id not in best or (score, -knelpunt_id) > (best[entry_id][0], -best[entry_id][1]):
            best[entry_id] = (score, knelpunt_id)
    return best


def _attach_suggestions(best: dict[int, tuple[float, int]]) -> list[Suggestion]:
    per_knelpunt: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for entry_id, (score, knelpunt_id) in best.items():
        per_knelpunt[knelpunt_id].append((score, entry_id))
    found = [
        Suggestion(
            score=round(min(score for score, _ in items), 3),
            entry_ids=tuple(sorted(entry_id for _, entry_id in items)),
            knelpunt_id=knelpunt_id,
        )
        for knelpunt_id, items in per_knelpunt.items()
    ]
    return sorted(found, key=lambda s: (-s.score, s.knelpunt_id))


def _cluster(pairs: list[tuple[float, int, int, int, int]]) -> list[Suggestion]:
    """Join the strongest pairs first; a group takes at most one entry per session, so a chain of
    look-alikes cannot swallow a whole theme (a session names an obstacle once)."""
    group_of: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    sessions: dict[int, set[int]] = {}
    weakest: dict[int, float] = {}
    for score, a, b, session_a, session_b in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ga, gb = group_of.get(a, a), group_of.get(b, b)
        if ga == gb:
            continue
        sa, sb = sessions.get(ga, {session_a}), sessions.get(gb, {session_b})
        if sa & sb:
            continue
        merged = members.pop(gb, {b}) | members.get(ga, {a})
        for entry_id in merged:
            group_of[entry_id] = ga
        members[ga], sessions[ga] = merged, sa | sb
        sessions.pop(gb, None)
        weakest[ga] = min(score, weakest.get(ga, 1.0), weakest.pop(gb, 1.0))
    found = [Suggestion(score=round(weakest[g], 3), entry_ids=tuple(sorted(ids))) for g, ids in members.items()]
    return sorted(found, key=lambda s: (-s.score, -len(s.entry_ids), s.entry_ids))


# --- PostgreSQL: the trigram indexes find the candidates --------------------------------------------

_PAIRS_SQL = """
SELECT a.id, b.id, a.session_id, b.session_id,
       similarity(UPPER(a.title::text), UPPER(b.title::text)),
       CASE WHEN a.description <> '' AND b.description <> ''
            THEN similarity(UPPER(a.description::text), UPPER(b.description::text)) ELSE 0 END
FROM belemmeringen_belemmering a
JOIN belemmeringen_belemmering b
  ON b.id > a.id AND b.session_id <> a.session_id AND b.knelpunt_id IS NULL
 AND UPPER(b.title::text) % UPPER(a.title::text)
WHERE a.knelpunt_id IS NULL
"""

_ATTACH_SQL = """
SELECT e.id, k.id, similarity(UPPER(e.title::text), UPPER(k.title::text))
FROM belemmeringen_belemmering e
JOIN belemmeringen_knelpunt k ON UPPER(k.title::text) % UPPER(e.title::text)
WHERE e.knelpunt_id IS NULL
UNION ALL
SELECT e.id, g.knelpunt_id, similarity(UPPER(e.title::text), UPPER(g.title::text))
FROM belemmeringen_belemmering e
JOIN belemmeringen_belemmering g
  ON g.knelpunt_id IS NOT NULL AND UPPER(g.title::text) % UPPER(e.title::text)
WHERE e.knelpunt_id IS NULL
"""


def _run_with_threshold(sql: str, threshold: float) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        # `%` compares against this setting; local to the transaction.
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
        cursor.execute(sql)
        return cursor.fetchall()


def _entry_pairs_pg(threshold: float) -> list[tuple[float, int, int, int, int]]:
    pairs = []
    rows = _run_with_threshold(_PAIRS_SQL, threshold)
    for a, b, session_a, session_b, title_sim, description_sim in rows:
        pairs.append((combined(title_sim, description_sim), a, b, session_a, session_b))
    return pairs


def _attach_scores_pg(threshold: float) -> list[tuple[float, int, int]]:
    return [(score, e, k) for e, k, score in _run_with_threshold(_ATTACH_SQL, threshold) if score >= threshold]


# --- Elsewhere (SQLite): the same trigrams in Python, per theme -------------------------------------


def _entry_pairs_py(threshold: float) -> list[tuple[float, int, int, int, int]]:
    per_theme: dict[int, list[tuple]] = defaultdict(list)
    rows = Belemmering.objects.ungrouped().values_list("pk", "session_id", "thema_id", "title", "description")
    for pk, session_id, thema_id, title, description in rows.order_by("pk"):
        per_theme[thema_id].append((pk, session_id, trigrams(title), trigrams(description)))
    pairs = []
    for entries in per_theme.values():
        for (a, sa, ta, da), (b, sb, tb, db) in combinations(entries, 2):
            if sa == sb:
                continue
            title_sim = similarity(ta, tb)
            if title_sim >= threshold:
                pairs.append((combined(title_sim, similarity(da, db) if da and db else 0.0), a, b, sa, sb))
    return pairs


def _attach_scores_py(threshold: float) -> list[tuple[float, int, int]]:
    targets = [(k, trigrams(t)) for k, t in Knelpunt.objects.values_list("pk", "title")]
    targets += [
        (k, trigrams(t))
        for k, t in Belemmering.objects.filter(knelpunt__isnull=False).values_list("knelpunt_id", "title")
    ]
    if not targets:
        return []
    scores = []
    for pk, title in Belemmering.objects.ungrouped().values_list("pk", "title"):
        grams = trigrams(title)
        for knelpunt_id, target in targets:
            score = similarity(grams, target)
            if score >= threshold:
                scores.append((score, pk, knelpunt_id))
    return scores


# --- Accepting ------------------------------------------------------------------------------------


def accept(*, suggestions: Iterable[Suggestion], user=None) -> AcceptResult:
    """Apply accepted suggestions through the grouping services (each its own transaction). Entries
    grouped since the suggestion was made are left where they are; a new group needs two left."""
    result = AcceptResult()
    for suggestion in suggestions:
        entries = list(Belemmering.objects.ungrouped().filter(pk__in=suggestion.entry_ids))
        if suggestion.knelpunt_id:
            knelpunt = Knelpunt.objects.filter(pk=suggestion.knelpunt_id).first()
            if knelpunt is None or not entries:
                result.skipped += 1
                continue
            result.attached += services.add_to_knelpunt(knelpunt=knelpunt, belemmeringen=entries, user=user)
        elif len(entries) >= 2:
            result.created.append(services.create_knelpunt(belemmeringen=entries, user=user))
        else:
            result.skipped += 1
    return result
