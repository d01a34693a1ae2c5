"""Grouping suggestions find near-duplicate entries across sessions (run on SQLite and on PostgreSQL:
DATABASE_URL=postgres://... uses pg_trgm, the default SQLite the Python fallback)."""

from __future__ import annotations

import pytest
from django.db import connection

from belemmeringen import services
from belemmeringen.grouping import Suggestion, accept, similarity, suggest, trigrams
from belemmeringen.models import Belemmering, Knelpunt
from belemmeringen.tests.factories import make_belemmering
from regiosessies.tests.factories import make_session


@pytest.fixture
def sessions(db):
    return [
        make_session(slug, days=-d) for slug, d in (("groningen", 40), ("zwolle", 30), ("utrecht", 20), ("breda", 10))
    ]


@pytest.fixture
def entries(sessions):
    g, z, u, b = sessions
    pilot = "Na afloop van een pilot verdwijnt de kennis met de projectleider."
    return {
        "g_pilot": make_belemmering(g, title="Pilotresultaten worden niet gedeeld", description=pilot),
        "z_pilot": make_belemmering(z, title="pilotresultaten  worden niet gedeeld"),
        "u_pilot": make_belemmering(u, title="Pilotresultaten worden niet gedeeld.", description=pilot),
        "g_budget": make_belemmering(g, title="Geen structureel budget na de pilot"),
        "b_budget": make_belemmering(b, title="Geen structureel budget na afloop van de pilot"),
        "z_other": make_belemmering(z, title="Privacyregels remmen het plaatsen van camera's"),
        # Same session as g_pilot: a session names an obstacle once, so it is not grouped with it.
        "g_pilot_twice": make_belemmering(g, title="Pilotresultaten worden niet gedeeld!"),
    }


def ids(*objs) -> tuple[int, ...]:
    return tuple(sorted(o.pk for o in objs))


def test_trigrams_match_pg_trgm_for_case_spacing_and_punctuation():
    assert trigrams("Pilotresultaten worden niet gedeeld") == trigrams("pilotresultaten  worden niet gedeeld.")
    assert trigrams("de") == {"  d", " de", "de "}
    assert similarity(trigrams("abc"), trigrams("")) == 0.0


def test_python_similarity_equals_pg_trgm_similarity(db):
    if connection.vendor != "postgresql":
        pytest.skip("compares against PostgreSQL's pg_trgm")
    pairs = [
        ("Geen structureel budget na de pilot", "Geen structureel budget na afloop van de pilot"),
        ("Pilotresultaten worden niet gedeeld", "Resultaten van pilots blijven liggen"),
        ("Privacyregels remmen camera's", "privacy-regels remmen camera’s"),
    ]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(UPPER(%s), UPPER(%s))", [a, b])
            assert similarity(trigrams(a), trigrams(b)) == pytest.approx(cursor.fetchone()[0], abs=1e-6)


def test_near_duplicate_titles_across_sessions_are_suggested_as_one_group(entries):
    found = suggest()
    groups = {s.entry_ids: s for s in found}
    e = entries
    assert set(groups) == {ids(e["g_pilot"], e["z_pilot"], e["u_pilot"]), ids(e["g_budget"], e["b_budget"])}
    assert groups[ids(e["g_pilot"], e["z_pilot"], e["u_pilot"])].score == 1.0
    assert 0.45 <= groups[ids(e["g_budget"], e["b_budget"])].score < 1.0
    assert all(s.knelpunt_id is None for s in found)
    assert found[0].score >= found[1].score


def test_a_higher_threshold_keeps_only_the_closest(entries):
    e = entries
    assert [s.entry_ids for s in suggest(threshold=0.95)] == [ids(e["g_pilot"], e["z_pilot"], e["u_pilot"])]


def test_ungrouped_entry_is_suggested_for_a_knelpunt_with_a_similar_title(entries, programmateam):
    e = entries
    knelpunt = services.create_knelpunt(
        belemmeringen=[e["g_pilot"], e["u_pilot"]], user=programmateam, title="Pilotresultaten worden niet gedeeld"
    )
    found = suggest()
    attach = [s for s in found if s.knelpunt_id]
    assert [(s.knelpunt_id, s.entry_ids) for s in attach] == [(knelpunt.pk, ids(e["z_pilot"], e["g_pilot_twice"]))]
    assert attach[0].score == 1.0
    # An entry suggested for a knelpunt is not also offered for a new one.
    assert [s.entry_ids for s in found if not s.knelpunt_id] == [ids(e["g_budget"], e["b_budget"])]


def test_grouped_entries_are_not_suggested_again(entries, programmateam):
    e = entries
    services.create_knelpunt(belemmeringen=[e["g_budget"], e["b_budget"]], user=programmateam, title="Budget")
    assert ids(e["g_budget"], e["b_budget"]) not in {s.entry_ids for s in suggest()}


def test_accepting_suggestions_groups_them_and_skips_stale_ones(entries, programmateam):
    found = suggest()
    e = entries
    services.create_knelpunt(belemmeringen=[e["b_budget"]], user=programmateam, title="Alvast gegroepeerd")

    result = accept(suggestions=found, user=programmateam)

    assert len(result.created) == 1 and result.skipped == 1
    assert set(result.created[0].belemmeringen.all()) == {e["g_pilot"], e["z_pilot"], e["u_pilot"]}
    assert set(Belemmering.objects.ungrouped()) == {e["g_budget"], e["z_other"], e["g_pilot_twice"]}
    assert Knelpunt.objects.count() == 2


def test_suggestion_key_round_trips():
    for s in (Suggestion(0.8, (3, 8, 12)), Suggestion(0.5, (4,), knelpunt_id=41)):
        back = Suggestion.from_key(s.key)
        assert (back.entry_ids, back.knelpunt_id) == (s.entry_ids, s.knelpunt_id)
    assert Suggestion.from_key("n:3;DROP") is None
    assert Suggestion.from_key("") is None
