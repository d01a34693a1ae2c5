"""Spreadsheet import and export of obstacles, and establishing them."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from belemmeringen.models import Behoefte, Belemmering
from belemmeringen.services import import_belemmeringen, mark_vastgesteld
from belemmeringen.spreadsheets import export_belemmeringen
from belemmeringen.tests.factories import make_belemmering

pytestmark = pytest.mark.django_db

HEADER = ["Thema", "Subthema", "Titel", "Omschrijving", "Niveau", "Dimensie", "Herkend door", "Behoeften", "Status"]
GOOD_ROWS = [
    [
        "Organisatie",
        "Competenties en vaardigheden",
        "Te weinig data-expertise",
        "Geen data-analisten in dienst",
        "Lokaal",
        "Horizontaal",
        6,
        "Kennisnetwerk opschaling",
        "Vastgesteld",
    ],
    [
        "  juridisch ",
        "AANBESTEDEN VAN INNOVATIE",
        "Aanbesteden duurt te lang",
        "",
        "nationaal",
        "NATIONAAL",
        "3",
        "Modelbestek voor Smart City-aanbestedingen; Kennisnetwerk opschaling",
        "",
    ],
    [
        "Technisch",
        "",
        "Coördinatie van sensornetwerken ontbreekt",
        "Één beheerder per gemeente",
        "Regionaal",
        "regionaal",
        "",
        "",
        "concept",
    ],
]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, sep=";") -> bytes:
    lines = [sep.join(header)] + [sep.join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def run(session, data, name="belemmeringen.xlsx", **kwargs):
    return import_belemmeringen(data=data, file_name=name, session=session, **kwargs)


# --- Happy path -----------------------------------------------------------------------------------


def test_import_xlsx_creates_obstacles_with_names_forgiven(session_a, facilitator_a):
    report = run(session_a, xlsx(GOOD_ROWS), user=facilitator_a)
    assert report.errors == []
    assert (report.new, report.updated, report.unchanged) == (3, 0, 0)
    first = Belemmering.objects.get(title="Te weinig data-expertise")
    assert (first.thema.name, first.subthema.name, first.level, first.dimension, first.recognised_by, first.status) == (
        "Organisatie",
        "Competenties en vaardigheden",
        "lokaal",
        "horizontaal",
        6,
        "vastgesteld",
    )
    assert first.session == session_a and first.created_by == facilitator_a
    second = Belemmering.objects.get(title="Aanbesteden duurt te lang")
    assert second.thema.name == "Juridisch" and second.subthema.name == "Aanbesteden van innovatie"
    assert second.status == "concept"  # empty status cell
    assert sorted(b.title for b in second.behoeften.all()) == [
        "Kennisnetwerk opschaling",
        "Modelbestek voor Smart City-aanbestedingen",
    ]
    third = Belemmering.objects.get(title="Coördinatie van sensornetwerken ontbreekt")
    assert third.description == "Één beheerder per gemeente"  # diacritics kept
    assert third.subthema is None and third.recognised_by == 0


def test_import_links_existing_need_by_title_ignoring_case(session_a, behoefte):
    rows = [
        [
            "Technisch",
            "Standaarden",
            "Sensordata",
            "",
            "Nationaal",
            "Nationaal",
            2,
            "  LANDELIJKE DATASTANDAARD voor sensoren in de openbare ruimte ",
            "Concept",
        ]
    ]
    report = run(session_a, xlsx(rows))
    assert report.errors == [] and report.new_behoeften == []
    assert list(Belemmering.objects.get(title="Sensordata").behoeften.all()) == [behoefte]
    assert Behoefte.objects.count() == 1


def test_new_need_gets_support_type_of_theme_and_level_of_obstacle(session_a, facilitator_a):
    run(session_a, xlsx(GOOD_ROWS), user=facilitator_a)
    need = Behoefte.objects.get(title="Modelbestek voor Smart City-aanbestedingen")
    assert (need.support_type, need.level, need.created_by) == ("juridisch", "nationaal", facilitator_a)


def test_import_csv_with_semicolons_and_windows_encoding(session_a):
    data = csv_bytes([GOOD_ROWS[2]]).decode("utf-8").encode("cp1252")
    report = run(session_a, data, name="export.csv")
    assert report.errors == []
    assert Belemmering.objects.get(session=session_a).title == "Coördinatie van sensornetwerken ontbreekt"


def test_dry_run_reports_counts_and_saves_nothing(session_a):
    report = run(session_a, xlsx(GOOD_ROWS), dry_run=True)
    assert report.errors == [] and report.new == 3
    assert not Belemmering.objects.exists()
    assert not Behoefte.objects.exists()


# --- Bad files: a message that names row and column, and nothing imported ------------------------


def assert_nothing_imported():
    assert not Belemmering.objects.exists()
    assert not Behoefte.objects.exists()


def test_missing_column_is_named_once(session_a):
    header = [h for h in HEADER if h != "Niveau"]
    rows = [[v for h, v in zip(HEADER, row, strict=False) if h != "Niveau"] for row in GOOD_ROWS]
    report = run(session_a, xlsx(rows, header=header))
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Kolom 'Niveau' ontbreekt in de eerste rij.")
    assert_nothing_imported()


def test_unknown_theme_names_row_and_column(session_a):
    rows = [GOOD_ROWS[0], ["Mobiliteit", "", "Parkeren", "", "Lokaal", "Verticaal", 1, "", ""]]
    report = run(session_a, xlsx(rows))
    assert report.errors == [
        "Rij 3, kolom Thema: onbekend thema 'Mobiliteit'. Kies uit: Organisatie, Financiering, Juridisch, Technisch."
    ]
    assert_nothing_imported()


def test_subthema_of_other_theme_is_rejected(session_a):
    rows = [["Technisch", "Dataprotectie", "AVG-zorgen", "", "Lokaal", "Verticaal", 1, "", ""]]
    report = run(session_a, xlsx(rows))
    assert report.errors == [
        "Rij 2, kolom Subthema: 'Dataprotectie' hoort bij thema Juridisch, niet bij thema 'Technisch'."
    ]
    assert_nothing_imported()


def test_empty_required_cell_is_reported(session_a):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], ["Technisch", "", "   ", "", "Lokaal", "Verticaal", 1, "", ""]]
    report = run(session_a, xlsx(rows))
    assert report.errors == ["Rij 4, kolom Titel: deze cel is leeg, maar is verplicht."]
    assert_nothing_imported()


def test_wrong_level_lists_allowed_values(session_a):
    rows = [["Technisch", "", "Iets", "", "Provinciaal", "Verticaal", 1, "", ""]]
    report = run(session_a, xlsx(rows))
    assert report.errors == [
        "Rij 2, kolom Niveau: 'Provinciaal' is geen geldige waarde. Kies uit: Lokaal, Regionaal, Nationaal."
    ]
    assert_nothing_imported()


def test_negative_and_fractional_counts_are_rejected(session_a):
    rows = [
        ["Technisch", "", "Min", "", "Lokaal", "Verticaal", -1, "", ""],
        ["Technisch", "", "Half", "", "Lokaal", "Verticaal", "2,5", "", ""],
    ]
    report = run(session_a, xlsx(rows))
    assert report.errors == [
        "Rij 2, kolom Herkend door: moet 0 of meer zijn, niet -1.",
        "Rij 3, kolom Herkend door: '2,5' is geen geheel getal.",
    ]
    assert_nothing_imported()


def test_file_over_10_mb_is_refused_with_a_message(session_a):
    data = csv_bytes(GOOD_ROWS) + b"#" * (10 * 1024 * 1024)
    report = run(session_a, data, name="groot.csv")
    assert len(report.errors) == 1 and "het maximum is 10 MB" in report.errors[0]
    assert_nothing_imported()


def test_other_file_types_and_garbage_are_refused(session_a):
    assert "Alleen XLSX- en CSV-bestanden" in run(session_a, b"x", name="notities.docx").errors[0]
    assert "geen leesbaar XLSX-bestand" in run(session_a, b"dit is geen zip", name="kapot.xlsx").errors[0]
    assert "geen belemmeringen" in run(session_a, xlsx([])).errors[0]


def test_row_numbers_follow_the_spreadsheet_when_empty_rows_are_skipped(session_a):
    rows = [GOOD_ROWS[0], [None] * len(HEADER), ["Mobiliteit", "", "X", "", "Lokaal", "Verticaal", 1, "", ""]]
    assert run(session_a, xlsx(rows)).errors[0].startswith("Rij 4, kolom Thema")


def test_row_naming_another_session_is_rejected(session_a, session_b):
    header = ["Regiosessie", *HEADER]
    rows = [[session_b.title, *GOOD_ROWS[0]], [session_a.slug, *GOOD_ROWS[1]]]
    report = run(session_a, xlsx(rows, header=header))
    assert report.errors == [
        f"Rij 2, kolom Regiosessie: '{session_b.title}' is niet de regiosessie waarin u importeert ({session_a.title})."
    ]
    assert_nothing_imported()


def test_id_of_other_sessions_obstacle_is_unknown_and_untouched(session_a, belemmering_b):
    header = ["ID", *HEADER]
    rows = [[belemmering_b.pk, *GOOD_ROWS[0]]]
    report = run(session_a, xlsx(rows, header=header))
    assert report.errors == [
        f"Rij 2, kolom ID: belemmering {belemmering_b.pk} bestaat niet in deze regiosessie; laat de cel leeg voor een nieuwe."
    ]
    belemmering_b.refresh_from_db()
    assert belemmering_b.session_id != session_a.pk and belemmering_b.title != GOOD_ROWS[0][2]


def test_facilitator_may_not_import_into_other_session(session_b, facilitator_a):
    with pytest.raises(PermissionDenied):
        run(session_b, xlsx(GOOD_ROWS), user=facilitator_a)
    assert_nothing_imported()


# --- Export and round trip -----------------------------------------------------------------------


def test_export_has_obstacles_and_needs_sheets(session_a, session_b, belemmering_a, belemmering_b):
    book = load_workbook(io.BytesIO(export_belemmeringen(Belemmering.objects.all())))
    assert book.sheetnames == ["Belemmeringen", "Behoeften"]
    rows = list(book["Belemmeringen"].iter_rows(values_only=True))
    assert rows[0] == (
        "ID",
        "Regiosessie",
        "Thema",
        "Subthema",
        "Titel",
        "Omschrijving",
        "Niveau",
        "Dimensie",
        "Herkend door",
        "Benodigde ondersteuning",
        "Behoeften",
        "Status",
        "Regio",
    )
    assert len(rows) == 3
    # The region column (export only) lets programme staff sort and pivot by region.
    assert {row[-1] for row in rows[1:]} == {session_a.regio.name, session_b.regio.name}
    needs = list(book["Behoeften"].iter_rows(values_only=True))
    assert needs[1][0] == "Landelijke datastandaard voor sensoren in de openbare ruimte"
    assert needs[1][4:] == (2, 2)  # named in two sessions, two regions


def test_export_escapes_formulas_and_import_restores_them(session_a):
    dangerous = ['=HYPERLINK("http://evil")', "+31 6 1234", "-- opsomming", "@SUM(A1)", "'=al gequote"]
    for title in dangerous:
        make_belemmering(session_a, title=title, description="- eerste punt\n- tweede punt")
    data = export_belemmeringen(Belemmering.objects.all())
    sheet = load_workbook(io.BytesIO(data))["Belemmeringen"]
    titles = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(t.startswith("'") for t in titles)
    assert all(row[5] == "'- eerste punt\n- tweede punt" for row in sheet.iter_rows(min_row=2, values_only=True))
    Belemmering.objects.update(title="gewijzigd", description="")
    report = run(session_a, data)
    assert report.errors == [] and report.updated == len(dangerous)
    assert sorted(Belemmering.objects.values_list("title", flat=True)) == sorted(dangerous)
    assert set(Belemmering.objects.values_list("description", flat=True)) == {"- eerste punt\n- tweede punt"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "'=x", "''+x"])
def test_formula_escape_round_trips(value):
    from core.spreadsheets import escape_formula, unescape_formula

    assert escape_formula(value).startswith("'")
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("value", ["gewoon", "'quote aan het begin", "", 5])
def test_harmless_values_are_not_escaped(value):
    from core.spreadsheets import escape_formula, unescape_formula

    assert escape_formula(value) == value
    assert unescape_formula(value) == value


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips_exactly(session_a, facilitator_a, fmt):
    run(session_a, xlsx(GOOD_ROWS), user=facilitator_a)

    def snapshot():
        return sorted(
            (
                b.title,
                b.description,
                b.thema_id,
                b.subthema_id,
                b.level,
                b.dimension,
                b.recognised_by,
                b.support_needed,
                b.status,
                tuple(sorted(n.title for n in b.behoeften.all())),
            )
            for b in Belemmering.objects.all()
        )

    before = snapshot()
    data = export_belemmeringen(Belemmering.objects.filter(session=session_a), fmt)
    report = run(session_a, data, name=f"export.{fmt}", user=facilitator_a)
    assert report.errors == []
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_edited_export_updates_the_obstacle(session_a, belemmering_a):
    data = export_belemmeringen(Belemmering.objects.all())
    book = load_workbook(io.BytesIO(data))
    book["Belemmeringen"]["I2"] = 12
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(session_a, buffer.getvalue())
    assert (report.new, report.updated) == (0, 1)
    belemmering_a.refresh_from_db()
    assert belemmering_a.recognised_by == 12


# --- Establishing ----------------------------------------------------------------------------------


def test_mark_vastgesteld_only_in_users_sessions(facilitator_a, belemmering_a, belemmering_b):
    count = mark_vastgesteld(belemmeringen=Belemmering.objects.all(), user=facilitator_a)
    assert count == 1
    assert Belemmering.objects.get(pk=belemmering_a.pk).status == "vastgesteld"
    assert Belemmering.objects.get(pk=belemmering_b.pk).status == "concept"
