"""The report's data, checked exactly against the hand-counted fixtures in factories.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belemmeringen.models import Belemmering
from rapportage.data import TextBlock, build_report, text_blocks
from rapportage.models import ProgrammaOnderdeel, RapportTekst
from rapportage.tests.factories import make_many_obstacles, make_obstacle, set_texts

pytestmark = pytest.mark.django_db


def test_knelpunten_per_level_are_ranked_by_sessions_then_recognition(findings):
    levels = {block.level: block for block in build_report().levels}
    assert [b.level for b in build_report().levels] == ["lokaal", "regionaal", "nationaal"]
    assert [(k.title, k.sessions, k.recognised_by) for k in levels["nationaal"].knelpunten] == [
        # Raised in two sessions: first, although one session recognised another one more.
        ("Pilotresultaten worden niet gedeeld", 2, 20),
        ("Geen open standaarden voor sensordata", 1, 20),
        ("Geen structureel innovatiebudget", 1, 15),
    ]
    assert [k.title for k in levels["regionaal"].knelpunten] == ["Aanbesteden van innovatie is complex"]
    assert [k.title for k in levels["lokaal"].knelpunten] == ["Beheer van sensoren onduidelijk"]
    assert [len(b.knelpunten) for b in build_report().levels] == [1, 1, 3]


def test_knelpunt_shows_recognition_out_of_attendance_and_the_levels_sessions_gave(findings):
    pilot = build_report().levels[2].knelpunten[0]
    assert pilot.regions == ["Noord", "Zuid"]
    assert (pilot.recognised_by, pilot.attended) == (20, 3)  # Noord 1 + Zuid 2 present
    assert pilot.recognition == "herkend door 20 van 3 aanwezigen"
    assert [(t.label, t.count) for t in pilot.levels_given] == [("Lokaal", 1), ("Regionaal", 1)]
    assert pilot.level_label == "Nationaal" and not pilot.levels_agree
    assert [(g.region, g.level_label, g.recognised_by, g.attended) for g in pilot.raised_in] == [
        ("Noord", "Lokaal", 12, 1),
        ("Zuid", "Regionaal", 8, 2),
    ]
    assert pilot.needs == ["Kennisplatform pilots"]


def test_theme_by_level_matrix_counts_knelpunten_with_their_entries(findings):
    m = build_report().theme_by_level
    assert m.rows == ["Organisatie", "Financiering", "Juridisch", "Technisch"]
    assert m.columns == ["Lokaal", "Regionaal", "Nationaal"]
    assert m.cells == [[0, 0, 1], [0, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert m.entry_cells == [[0, 0, 2], [0, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert (m.row_totals, m.column_totals, m.total, m.entry_total) == ([1, 1, 1, 2], [1, 1, 3], 5, 6)
    assert m.cell("Financiering", "Regionaal") == 0  # the concept entry does not count


def test_theme_by_dimension_counts_a_knelpunt_under_each_dimension_its_entries_named(findings):
    m = build_report().theme_by_dimension
    assert m.columns == ["Verticaal", "Horizontaal", "Regionaal", "Nationaal"]
    assert m.cells == [[0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]]
    # Organisatie has one knelpunt, named horizontal in Noord and regional in Zuid: counted once in its row.
    assert m.row_totals == [1, 1, 1, 2]
    assert m.entry_row_totals == [2, 1, 1, 2]


def test_key_figures_count_entries_knelpunten_and_what_is_left_out(findings):
    f = build_report().figures
    assert (f.sessions, f.sessions_held, f.regions, f.registered, f.attended) == (2, 2, 2, 5, 3)
    assert (f.entries, f.knelpunten, f.needs) == (7, 5, 5)
    assert f.concept_entries == 1
    assert f.ungrouped_entries == 1  # "Te weinig datakennis"


def test_lamp_post_tally_counts_each_held_sessions_verdict(findings):
    lp = build_report().lamp_post
    assert [(t.label, t.count) for t in lp.tally] == [("Ja, onder voorwaarden", 1), ("Nee", 1)]
    assert lp.sessions == 2
    assert [(a.region, a.verdict_label) for a in lp.per_session] == [
        ("Noord", "Ja, onder voorwaarden"),
        ("Zuid", "Nee"),
    ]


def test_a_session_without_a_lamp_post_answer_counts_as_unknown(findings):
    findings.zuid.lichtmast_antwoord.delete()
    lp = build_report().lamp_post
    assert [(t.label, t.count) for t in lp.tally] == [("Ja, onder voorwaarden", 1), ("Nog onbekend", 1)]


def test_lamp_post_findings_per_aspect(findings):
    aspects = {a.aspect: a for a in build_report().lamp_post.aspects}
    assert list(aspects) == ["opstelplek", "elektra"]
    assert [(p.regions, p.text) for p in aspects["elektra"].conditions] == [
        (["Noord"], "Voeding moet ook overdag beschikbaar zijn.")
    ]
    assert [p.regions for p in aspects["elektra"].obstacles] == [["Zuid"]]


def test_same_lamp_post_point_from_several_regions_is_listed_once(findings):
    from belemmeringen.models import LichtmastBevinding

    LichtmastBevinding.objects.create(
        antwoord=findings.zuid.lichtmast_antwoord,
        aspect="opstelplek",
        kind="kans",
        text="Masten staan overal in de stad. ",
    )
    aspects = {a.aspect: a for a in build_report().lamp_post.aspects}
    assert [(p.text, p.regions) for p in aspects["opstelplek"].chances] == [
        ("Masten staan overal in de stad.", ["Noord", "Zuid"])
    ]


def test_shopping_list_gives_each_need_its_owner_priority_and_knelpunten(findings):
    levels = {b.level: b for b in build_report().shopping_list}
    nationaal = levels["nationaal"].needs
    assert [(n.title, n.level_label, n.priority_label, n.knelpunten) for n in nationaal] == [
        # N1 is linked to K1 and, through an entry grouped under it, to K3.
        (
            "Kennisplatform pilots",
            "Nationaal",
            "Hoog",
            ["Aanbesteden van innovatie is complex", "Pilotresultaten worden niet gedeeld"],
        ),
        ("Landelijke standaarden", "Nationaal", "Hoog", ["Geen open standaarden voor sensordata"]),
        ("Innovatiebudget", "Nationaal", "Middel", ["Geen structureel innovatiebudget"]),
    ]
    assert nationaal[0].sessions == 2 and nationaal[0].regions == ["Noord", "Zuid"]
    assert [(n.title, n.priority_label) for n in levels["regionaal"].needs] == [
        ("Regionale inkoopsamenwerking", "Hoog")
    ]
    assert [(n.title, n.priority_label) for n in levels["lokaal"].needs] == [("Beheerafspraken sensoren", "Laag")]
    assert all(n.points is None for block in levels.values() for n in block.needs)


def test_participants_points_reorder_the_shopping_list(findings):
    points = {findings.needs["N2"].pk: 9, findings.needs["N1"].pk: 4}
    nationaal = build_report(points=points).shopping_list[2].needs
    assert [(n.title, n.points) for n in nationaal] == [
        ("Innovatiebudget", 9),
        ("Kennisplatform pilots", 4),
        ("Landelijke standaarden", 0),
    ]


def test_participation_per_region_and_organisation_type(findings):
    rapport = build_report()
    assert [(r.label, r.registered, r.attended) for r in rapport.participation_by_region] == [
        ("Noord", 3, 1),
        ("Zuid", 2, 2),
    ]
    assert [(r.label, r.registered, r.attended) for r in rapport.participation_by_type] == [
        ("Gemeente", 3, 2),
        ("Provincie", 1, 1),
        ("Bedrijf", 1, 0),
    ]


def test_sessions_list_entries_and_knelpunten(findings):
    rapport = build_report()
    assert [(s.region, s.held, s.registered, s.attended, s.entries, s.knelpunten) for s in rapport.sessions] == [
        ("Noord", True, 3, 1, 4, 3),
        ("Zuid", True, 2, 2, 3, 3),
    ]


def test_a_session_after_the_report_date_is_not_held(findings):
    import datetime

    set_texts(publication_date=datetime.date(2000, 1, 1))
    rapport = build_report()
    assert [s.held for s in rapport.sessions] == [False, False]
    # A session not yet held gives no lamp-post verdict, not even "unknown".
    assert (rapport.lamp_post.sessions, rapport.lamp_post.tally, rapport.lamp_post.per_session) == (0, [], [])
    assert rapport.figures.sessions_held == 0


def test_themes_group_knelpunten_by_subtopic_in_the_announced_order(findings):
    themes = {t.name: t for t in build_report().themes}
    assert [s.name for s in themes["Technisch"].subthemes] == ["Standaarden", "Overig"]
    assert (themes["Organisatie"].knelpunt_count, themes["Organisatie"].entry_count) == (1, 2)


def test_regional_chapter_only_in_the_full_report(findings):
    rapport = build_report()
    assert rapport.regional.region_by_theme.rows == ["Noord", "Zuid"]
    assert rapport.regional.region_by_theme.cells == [[1, 1, 0, 1], [1, 0, 1, 1]]
    assert rapport.regional.few_regions == []  # with two regions, every knelpunt is "one or two"
    assert build_report(session=findings.zuid).regional is None


def test_session_report_counts_only_that_sessions_part(findings):
    rapport = build_report(session=findings.zuid)
    assert rapport.is_session_report
    assert (rapport.figures.entries, rapport.figures.knelpunten, rapport.figures.concept_entries) == (3, 3, 1)
    ranked = [(k.title, k.recognised_by, k.attended) for block in rapport.levels for k in block.knelpunten]
    assert ranked == [
        ("Aanbesteden van innovatie is complex", 9, 2),
        ("Geen open standaarden voor sensordata", 20, 2),
        ("Pilotresultaten worden niet gedeeld", 8, 2),  # Zuid's own entry only
    ]
    assert [n.title for n in rapport.shopping_list[2].needs] == ["Kennisplatform pilots", "Landelijke standaarden"]
    assert [a.region for a in rapport.lamp_post.per_session] == ["Zuid"]


def test_texts_become_paragraphs_and_lists():
    assert text_blocks("Eerste alinea\nloopt door.\n\n- een\n- twee\nNa de lijst.") == [
        TextBlock("p", ["Eerste alinea", "loopt door."]),
        TextBlock("ul", ["een", "twee"]),
        TextBlock("p", ["Na de lijst."]),
    ]
    assert text_blocks("  \n\n ") == []


def test_empty_chapters_are_named(findings):
    set_texts(
        introduction="Voorwoord.", answer_rq1="", rq2_verdict="voorwaarden", answer_rq2="Zo.", conclusions="", method=""
    )
    texts = build_report().texts
    assert texts.empty_chapters == ["Antwoord op onderzoeksvraag 1", "Conclusies", "Werkwijze en verantwoording"]
    assert texts.rq2_verdict_label == "Ja, onder voorwaarden"


def test_texts_come_from_the_admin_row_with_defaults_when_there_is_none(findings):
    RapportTekst.objects.all().delete()
    assert build_report().texts.title == "Belemmeringen schaalsprong Smart City"
    RapportTekst.objects.create(title="Eindrapport", introduction="  Eerste alinea.\n\nTweede.  ")
    texts = build_report().texts
    assert texts.title == "Eindrapport"
    assert texts.foreword == [TextBlock("p", ["Eerste alinea."]), TextBlock("p", ["Tweede."])]


def test_programme_items_in_the_teams_order_with_needs_and_knelpunten(findings):
    later = ProgrammaOnderdeel.objects.create(title="Kennisplatform", aim="Delen.", offer="Een platform.", order=2)
    first = ProgrammaOnderdeel.objects.create(
        title="Standaardenraad", aim="Afspreken.", offer="Een raad.", order=1, organiser="IenW"
    )
    first.knelpunten.add(findings.knelpunten["K4"])
    first.behoeften.add(findings.needs["N4"])
    later.knelpunten.add(findings.knelpunten["K1"])
    programme = build_report().programme
    assert [p.title for p in programme] == ["Standaardenraad", "Kennisplatform"]
    assert (programme[0].needs, programme[0].knelpunten, programme[0].organiser) == (
        ["Landelijke standaarden"],
        ["Geen open standaarden voor sensordata"],
        "IenW",
    )


def test_report_is_built_in_a_fixed_number_of_queries(session_a, session_b, findings):
    ProgrammaOnderdeel.objects.create(title="Onderdeel", aim="Doel.", offer="Aanbod.")
    with CaptureQueriesContext(connection) as small:
        build_report()
    make_many_obstacles([session_a, session_b], 300, knelpunten=40)
    with CaptureQueriesContext(connection) as big:
        rapport = build_report()
    assert rapport.figures.entries == 307
    assert rapport.figures.knelpunten == 45
    assert len(small.captured_queries) <= 18  # one of them reads the closed prioritisation round's points
    assert len(big.captured_queries) == len(small.captured_queries)


def test_fingerprint_is_stable_and_changes_with_any_finding(findings):
    first = build_report().fingerprint()
    assert build_report().fingerprint() == first

    obstacle = findings.obstacles[0]
    obstacle.recognised_by += 1
    obstacle.save()
    second = build_report().fingerprint()
    assert second != first

    # A concept entry changes only the concept count, which the report shows, so it counts too.
    make_obstacle(
        findings.noord,
        thema_slug="technisch",
        title="Nieuw",
        level="lokaal",
        dimension="verticaal",
        status=Belemmering.Status.CONCEPT,
    )
    assert build_report().fingerprint() != second


def test_fingerprint_differs_between_full_and_session_report(findings):
    assert build_report().fingerprint() != build_report(session=findings.noord).fingerprint()


def test_a_need_names_at_most_eight_knelpunten_and_counts_the_rest(session_a, session_b, findings):
    make_many_obstacles([session_a, session_b], 60, needs_per_level=1, knelpunten=30)
    need = next(n for block in build_report().shopping_list for n in block.needs if n.title == "Behoefte lokaal 1")
    assert len(need.knelpunten) == 10  # knelpunt j links need j % 3: every third of the thirty
    assert need.knelpunten_shown == need.knelpunten[:8]
    assert need.knelpunten_more == 2
