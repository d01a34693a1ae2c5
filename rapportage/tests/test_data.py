"""The report's data, checked exactly against the hand-counted fixtures in factories.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belemmeringen.models import Belemmering
from rapportage.data import build_report
from rapportage.models import RapportTekst
from rapportage.tests.factories import make_many_obstacles, make_obstacle

pytestmark = pytest.mark.django_db


def test_theme_by_level_matrix_counts_only_established_obstacles(findings):
    m = build_report().theme_by_level
    assert m.rows == ["Organisatie", "Financiering", "Juridisch", "Technisch"]
    assert m.columns == ["Lokaal", "Regionaal", "Nationaal"]
    assert m.cells == [[2, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert m.row_totals == [3, 1, 1, 2]
    assert m.column_totals == [3, 2, 2]
    assert m.total == 7
    # The concept obstacle (Financiering, regionaal) is not counted.
    assert m.cell("Financiering", "Regionaal") == 0


def test_theme_by_dimension_matrix_uses_short_dimension_names(findings):
    m = build_report().theme_by_dimension
    assert m.columns == ["Verticaal", "Horizontaal", "Regionaal", "Nationaal"]
    assert m.cells == [[0, 2, 1, 0], [1, 0, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]]
    assert m.column_totals == [2, 2, 2, 1]


def test_key_figures_and_concept_count(findings):
    f = build_report().figures
    assert (f.sessions, f.regions, f.registered, f.attended) == (2, 2, 5, 3)
    assert f.obstacles == 7
    assert f.concept_obstacles == 1
    assert f.needs == 5  # N6 hangs only off the concept obstacle
    assert f.themes == 4


def test_include_concept_counts_the_concept_obstacle_too(findings):
    rapport = build_report(include_concept=True)
    assert rapport.figures.obstacles == 8
    assert rapport.figures.concept_obstacles == 0
    assert rapport.theme_by_level.cell("Financiering", "Regionaal") == 1


def test_top_obstacles_bundle_same_title_across_sessions_and_rank_by_recognition(findings):
    top = build_report().top_obstacles
    assert [(b.title, b.recognised_by, b.sessions, b.regions) for b in top] == [
        # 12 + 8, raised in two sessions, ties with 20 in one session and wins on sessions.
        ("Pilotresultaten worden niet gedeeld", 20, 2, ["Noord", "Zuid"]),
        ("Geen open standaarden voor sensordata", 20, 1, ["Zuid"]),
        ("Geen structureel budget voor innovatie", 15, 1, ["Noord"]),
        ("Aanbesteden van innovatie is complex", 9, 1, ["Zuid"]),
        ("Te weinig datakennis", 6, 1, ["Noord"]),
    ]
    assert top[0].level_labels == ["Lokaal", "Regionaal"]


def test_obstacles_per_theme_are_grouped_by_subtopic_in_the_announced_order(findings):
    themes = {t.name: t for t in build_report().themes}
    organisatie = themes["Organisatie"]
    assert [s.name for s in organisatie.subthemes] == ["Inzicht in ervaringen uit pilots", "Competenties en vaardigheden"]
    assert organisatie.obstacle_count == 3
    # Technisch has one obstacle without a sub-topic: it goes under "Overig", after the real ones.
    assert [s.name for s in themes["Technisch"].subthemes] == ["Standaarden", "Overig"]
    # The appendix keeps every single obstacle, also the two with the same title.
    assert [r.title for r in organisatie.appendix] == [
        "Pilotresultaten worden niet gedeeld",
        "pilotresultaten  worden niet gedeeld",
        "Te weinig datakennis",
    ]


def test_shopping_list_per_level_ranked_by_sessions_then_obstacles(findings):
    levels = {b.level: b for b in build_report().shopping_list}
    assert [b.level for b in build_report().shopping_list] == ["lokaal", "regionaal", "nationaal"]
    assert [(n.title, n.sessions, n.obstacles) for n in levels["nationaal"].needs] == [
        ("Kennisplatform pilots", 2, 3),
        ("Innovatiebudget", 1, 1),
        ("Landelijke standaarden", 1, 1),
    ]
    assert levels["nationaal"].needs[0].regions == ["Noord", "Zuid"]
    assert levels["nationaal"].needs[0].support_label == "Kennis en ervaring"
    assert [n.title for n in levels["regionaal"].needs] == ["Regionale inkoopsamenwerking"]
    assert [n.title for n in levels["lokaal"].needs] == ["Beheerafspraken sensoren"]


def test_participants_by_organisation_type_count_confirmed_registrations(findings):
    rows = build_report().participants_by_type
    assert [(r.label, r.count) for r in rows] == [("Gemeente", 3), ("Provincie", 1), ("Bedrijf", 1)]


def test_sessions_and_regional_differences(findings):
    rapport = build_report()
    assert [(s.region, s.registered, s.attended, s.obstacles) for s in rapport.sessions] == [
        ("Noord", 3, 1, 4),
        ("Zuid", 2, 2, 3),
    ]
    noord, zuid = rapport.regions
    assert [c.count for c in noord.per_theme] == [2, 1, 0, 1]
    assert [c.count for c in zuid.per_level] == [0, 2, 1]
    assert noord.top_obstacle == "Geen structureel budget voor innovatie"
    assert zuid.recognised_by == 37


def test_lamp_post_verdicts_and_findings_per_aspect(findings):
    rapport = build_report()
    assert [(a.region, a.verdict_label) for a in rapport.lamp_post] == [
        ("Noord", "Ja, onder voorwaarden"),
        ("Zuid", "Nee"),
    ]
    aspects = {a.aspect: a for a in rapport.lamp_post_aspects}
    assert list(aspects) == ["opstelplek", "elektra"]
    assert [(p.regions, p.text) for p in aspects["elektra"].conditions] == [
        (["Noord"], "Voeding moet ook overdag beschikbaar zijn.")
    ]
    assert [p.regions for p in aspects["elektra"].obstacles] == [["Zuid"]]
    assert aspects["opstelplek"].chances[0].text == "Masten staan overal in de stad."


def test_same_lamp_post_point_from_several_regions_is_listed_once(findings):
    from belemmeringen.models import LichtmastBevinding

    LichtmastBevinding.objects.create(antwoord=findings.zuid.lichtmast_antwoord, aspect="opstelplek", kind="kans",
                                      text="Masten staan overal in de stad. ")
    aspects = {a.aspect: a for a in build_report().lamp_post_aspects}
    assert [(p.text, p.regions) for p in aspects["opstelplek"].chances] == [
        ("Masten staan overal in de stad.", ["Noord", "Zuid"])
    ]


def test_session_report_only_counts_that_session(findings):
    rapport = build_report(session=findings.zuid)
    assert rapport.is_session_report
    assert rapport.figures.obstacles == 3
    assert rapport.figures.concept_obstacles == 1
    assert [b.title for b in rapport.top_obstacles][0] == "Geen open standaarden voor sensordata"
    nationaal = next(b for b in rapport.shopping_list if b.level == "nationaal")
    assert [(n.title, n.sessions, n.obstacles) for n in nationaal.needs] == [
        ("Kennisplatform pilots", 1, 2),
        ("Landelijke standaarden", 1, 1),
    ]
    assert [a.region for a in rapport.lamp_post] == ["Zuid"]


def test_texts_come_from_the_admin_row_with_defaults_when_there_is_none(findings):
    RapportTekst.objects.all().delete()
    assert build_report().texts.title == "Belemmeringen schaalsprong Smart City"
    RapportTekst.objects.create(title="Eindrapport", introduction="  Eerste alinea.\n\nTweede.  ")
    texts = build_report().texts
    assert texts.title == "Eindrapport"
    assert texts.introduction == "Eerste alinea.\n\nTweede."


def test_report_is_built_in_a_fixed_number_of_queries(sessie_a, sessie_b, findings):
    with CaptureQueriesContext(connection) as small:
        build_report()
    make_many_obstacles([sessie_a, sessie_b], 200)
    with CaptureQueriesContext(connection) as big:
        rapport = build_report()
    assert rapport.figures.obstacles == 207
    assert len(small.captured_queries) <= 10
    assert len(big.captured_queries) == len(small.captured_queries)


def test_fingerprint_is_stable_and_changes_with_any_finding(findings):
    first = build_report().fingerprint()
    assert build_report().fingerprint() == first

    obstacle = findings.obstacles[0]
    obstacle.recognised_by += 1
    obstacle.save()
    second = build_report().fingerprint()
    assert second != first

    # A concept obstacle changes only the concept count, which the report shows, so it counts too.
    make_obstacle(findings.noord, thema_slug="technisch", title="Nieuw", level="lokaal", dimension="verticaal",
                  status=Belemmering.Status.CONCEPT)
    assert build_report().fingerprint() != second


def test_fingerprint_differs_between_full_and_session_report(findings):
    assert build_report().fingerprint() != build_report(session=findings.noord).fingerprint()
