"""Reading and writing obstacle spreadsheets (XLSX and CSV).

`export_belemmeringen(queryset, fmt)` is the one export: the admin, the command line and the report's
spreadsheet download all use it. Text cells that a spreadsheet program would run as a formula are
prefixed with `'` (and the import strips that prefix again, so a round trip is exact).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

import tablib
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _g
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from belemmeringen import xlsxstream
from belemmeringen.importlimits import Deadline, ImportLimitError, ImportLimits, part_too_large, too_many_rows
from belemmeringen.models import Behoefte, Belemmering, Niveau
from belemmeringen.resources import (
    COL_DIMENSION,
    COL_LEVEL,
    COL_STATUS,
    COL_SUBTHEMA,
    COL_THEMA,
    COLUMNS,
    DIMENSIE_UITLEG,
    HEADER_ROWS,
    REQUIRED_COLUMNS,
    BelemmeringResource,
    allowed_values,
    canonical_headers,
)
from core.spreadsheets import escape_formula, replace_illegal_characters

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
SHEET_BELEMMERINGEN = "Belemmeringen"
SHEET_BEHOEFTEN = "Behoeften"
SHEET_WAARDEN = "Toegestane waarden"
# An unpacked XLSX larger than this in total is refused before openpyxl reads it (a "zip bomb"); each
# part is also held to settings.IMPORT_MAX_SHEET_BYTES (see importlimits).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# The template has 13 columns; a header row far wider is not an obstacles sheet (and would make every
# row that wide in memory).
MAX_COLUMNS = 200
BEHOEFTE_COLUMNS = ["Behoefte", "Soort ondersteuning", "Niveau", "Toelichting", "Aantal sessies", "Aantal regio's"]
# Byte order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BYTE_ORDER_MARKS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# C0 and C1 control characters (tab excepted) cannot be part of a column name.
HEADER_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# How often (in rows) the reader looks at the clock.
DEADLINE_EVERY = 500


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is Dutch and meant for the person uploading."""


def format_for(file_name: str) -> str:
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    raise SpreadsheetError(
        _g("Alleen XLSX- en CSV-bestanden kunnen worden ingelezen (bestand: %(naam)s).") % {"naam": file_name}
    )


def check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _g("Het bestand is %(mb).1f MB; het maximum is 10 MB. Splits het bestand of laat lege rijen en opmaak weg.")
            % {"mb": size / (1024 * 1024)}
        )


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _check_headers(headers: list[str]) -> None:
    """Refuse a header row that cannot be a set of column names, before any row is imported."""
    if len(headers) > MAX_COLUMNS:
        raise SpreadsheetError(
            _g(
                "De eerste rij heeft %(aantal)d kolommen; een belemmeringenbestand heeft er hoogstens %(max)d. Gebruik het sjabloon."
            )
            % {"aantal": len(headers), "max": MAX_COLUMNS}
        )
    for index, header in enumerate(headers, start=1):
        if HEADER_CONTROL_RE.search(header):
            raise SpreadsheetError(
                _g(
                    "Kolomnaam %(nummer)d in de eerste rij bevat een onzichtbaar stuurteken (bijvoorbeeld een NUL-teken). "
                    "Er is niets ingelezen. Typ de kolomnamen opnieuw of gebruik het sjabloon."
                )
                % {"nummer": index}
            )


def _known_columns(headers: list[str]) -> list[int]:
    """Positions of the columns the import reads (first of each name). Other columns are ignored by the
    import anyway; leaving them out here keeps 20,000 rows of a 200-column file from filling memory."""
    seen, keep = set(), []
    for index, name in enumerate(canonical_headers(headers)):
        if name in COLUMNS and name not in seen:
            seen.add(name)
            keep.append(index)
    return keep


def _build_dataset(
    rows, *, limits: ImportLimits | None = None, deadline: Deadline | None = None, numbered: bool = False
) -> tablib.Dataset:
    """First row is the header; rows that are entirely empty are left out, but every kept row remembers
    its spreadsheet row number so messages point at the row the person sees.

    `rows` is consumed lazily: the row limit and the deadline are checked while reading, so a file with
    a million rows is refused at row limit + 1 without the rest ever being read. `numbered` rows come
    as (spreadsheet row number, values) pairs, for files that leave blank rows out."""
    limits = limits or ImportLimits.from_settings()
    deadline = deadline or Deadline(seconds=limits.time_limit)
    dataset = tablib.Dataset()
    source_rows: list[int] = []
    headers = None
    keep: list[int] = []
    for count, (number, row) in enumerate(rows if numbered else enumerate(rows, start=1), start=1):
        if count % DEADLINE_EVERY == 0:
            deadline.check()
        # Blank rows count too (at twice the limit): a million empty rows also take time to read.
        if count > 2 * limits.max_rows + HEADER_ROWS:
            raise too_many_rows(limits.max_rows)
        values = [_cell(v) for v in row]
        if headers is None:
            if not any(str(v).strip() for v in values):
                continue
            headers = [str(v).strip() for v in values]
            while headers and not headers[-1]:
                headers.pop()
            _check_headers(headers)
            keep = _known_columns(headers)
            dataset.headers = [canonical_headers(headers)[i] for i in keep]
            continue
        values = [values[i] if i < len(values) else "" for i in keep]
        if not any(str(v).strip() for v in values):
            continue
        if len(source_rows) >= limits.max_rows:
            raise too_many_rows(limits.max_rows)
        dataset.append(values)
        source_rows.append(number)
    if headers is None:
        raise SpreadsheetError(_g("Het bestand is leeg: de eerste rij moet de kolomnamen bevatten."))
    dataset.source_rows = source_rows
    return dataset


def _not_a_spreadsheet(data: bytes, expected: str) -> SpreadsheetError | None:
    """A file whose first bytes say it is something else (a PDF or a workbook renamed)."""
    if data[:5] == b"%PDF-":
        return SpreadsheetError(
            _g(
                "Dit bestand is een PDF, geen spreadsheet (alleen de naam eindigt op .%(soort)s). Er is niets ingelezen. "
                "Open de gegevens in Excel of LibreOffice en sla ze op als Excel-werkmap (.xlsx) of als CSV."
            )
            % {"soort": expected}
        )
    if expected == "csv" and data[:4] == b"PK\x03\x04":
        return SpreadsheetError(
            _g("Dit bestand is een Excel-werkmap, geen CSV. Geef het de extensie .xlsx of sla het op als CSV UTF-8.")
        )
    if expected == "xlsx" and data[:4] != b"PK\x03\x04":
        return SpreadsheetError(
            _g("Dit is geen leesbaar XLSX-bestand. Sla het op als Excel-werkmap (.xlsx) of als CSV.")
        )
    return None


def _check_parts(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Sizes as the archive declares them. zipfile never unpacks more than the declared size of a part
    (a lying header ends in a CRC error, not in more bytes), so this bounds what openpyxl can read."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > limits.max_sheet_bytes:
            raise part_too_large(info.filename, info.file_size, limits.max_sheet_bytes)
    if total > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _g(
                "Het bestand is uitgepakt te groot om in te lezen (meer dan %(max)d MB). Splits het bestand in kleinere delen."
            )
            % {"max": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def read_xlsx(data: bytes, *, limits: ImportLimits | None = None, deadline: Deadline | None = None) -> tablib.Dataset:
    limits = limits or ImportLimits.from_settings()
    wrong = _not_a_spreadsheet(data, "xlsx")
    if wrong:
        raise wrong
    unreadable = _g("Dit is geen leesbaar XLSX-bestand. Sla het op als Excel-werkmap (.xlsx) of als CSV.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetError(unreadable) from None
    with archive:
        _check_parts(archive, limits)
        try:
            part = xlsxstream.sheet_path(archive, SHEET_BELEMMERINGEN)
            # Every cell of every allowed row could be a distinct text; a file with more is not ours.
            strings = xlsxstream.shared_strings(archive, limit=(limits.max_rows + 1) * MAX_COLUMNS)
            rows = xlsxstream.rows(archive, part, strings, max_columns=MAX_COLUMNS + 1)
            return _build_dataset(rows, limits=limits, deadline=deadline, numbered=True)
        except (SpreadsheetError, ImportLimitError):
            raise
        except (xlsxstream.XlsxStructureError, zipfile.BadZipFile, ParseError, ValueError, EOFError, OSError):
            raise SpreadsheetError(
                _g(
                    "Het werkblad kon niet worden gelezen; het bestand is beschadigd. Sla het opnieuw op als Excel-werkmap (.xlsx) of als CSV."
                )
            ) from None


def decode_csv(data: bytes) -> str:
    """Text by its byte order mark (UTF-8, UTF-16, UTF-32); without one UTF-8, else Windows-1252, which
    Excel on Windows uses for "CSV". UTF-16 without a mark cannot be told apart safely: refused."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                break
    else:
        head = data[:4096]
        # UTF-16 text has a NUL in every other byte; a stray NUL in a UTF-8 file is caught per cell.
        if head.count(b"\x00") * 4 < len(head):
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data.decode("cp1252", errors="replace")
    raise SpreadsheetError(
        _g(
            "De tekencodering van dit CSV-bestand is niet te herkennen (het lijkt UTF-16 zonder kenmerk, of geen tekstbestand). "
            "Er is niets ingelezen. Sla het op als 'CSV UTF-8' of als Excel-werkmap (.xlsx)."
        )
    )


def read_csv(
    data: bytes | str, *, limits: ImportLimits | None = None, deadline: Deadline | None = None
) -> tablib.Dataset:
    if isinstance(data, bytes):
        wrong = _not_a_spreadsheet(data, "csv")
        if wrong:
            raise wrong
        text = decode_csv(data)
    else:
        text = data.lstrip("\ufeff")
    first_line = text[: text.find("\n")] if "\n" in text else text
    # Dutch Excel separates with ';'; others with ','.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _build_dataset(reader, limits=limits, deadline=deadline)
    except csv.Error as e:
        raise SpreadsheetError(
            _g(
                "Rij %(rij)d van het CSV-bestand is niet te lezen (bijvoorbeeld een cel van meer dan 128.000 tekens). Er is niets ingelezen."
            )
            % {"rij": reader.line_num}
        ) from e


def read_table(data: bytes, file_name: str, *, deadline: Deadline | None = None) -> tablib.Dataset:
    check_size(len(data))
    if format_for(file_name) == "xlsx":
        return read_xlsx(data, deadline=deadline)
    return read_csv(data, deadline=deadline)


class XLSXFormat(base_formats.XLSX):
    """The admin's XLSX import reads the same way (and within the same limits) as the command line."""

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)


class CSVFormat(base_formats.CSV):
    def is_binary(self):
        # Bytes in, so we can detect the encoding ourselves.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return read_csv(in_stream)


# --- Export -------------------------------------------------------------------------------------


def _obstacle_rows(queryset: QuerySet[Belemmering]):
    resource = BelemmeringResource()
    queryset = queryset.select_related("session__regio", "thema", "subthema").prefetch_related(
        Prefetch("behoeften", queryset=Behoefte.objects.only("id", "title"))
    )
    for obj in queryset.iterator(chunk_size=2000):
        yield [escape_formula(v) for v in resource.export_resource(obj)]


def _need_rows(queryset: QuerySet[Belemmering]):
    """The needs behind the exported obstacles, counted over those obstacles only."""
    scoped = Q(belemmeringen__in=queryset.values("pk"))
    needs = (
        Behoefte.objects.filter(belemmeringen__in=queryset.values("pk"))
        .distinct()
        .annotate(
            sessions=Count("belemmeringen__session", distinct=True, filter=scoped),
            regions=Count("belemmeringen__session__regio", distinct=True, filter=scoped),
        )
        .order_by("-sessions", "title")
    )
    for need in needs:
        yield [
            escape_formula(need.title),
            need.get_support_type_display(),
            str(Niveau(need.level).label) if need.level in Niveau.values else need.level,
            escape_formula(need.description),
            need.sessions,
            need.regions,
        ]


def _autosize(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _xlsx_safe(row) -> list:
    """XLSX cannot hold most control characters (openpyxl raises); a typed text may contain them.
    Show each as U+FFFD so the export never fails and the reader sees that something was there."""
    return [replace_illegal_characters(v) for v in row]


COLUMN_WIDTHS = [8, 28, 16, 34, 40, 60, 12, 14, 12, 40, 50, 13, 20]


def export_belemmeringen(queryset: QuerySet[Belemmering], fmt: str = "xlsx") -> bytes:
    """The obstacles in `queryset` as a spreadsheet: XLSX (sheets 'Belemmeringen' and 'Behoeften')
    or CSV (obstacles only). The caller decides which obstacles someone may export."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows(_obstacle_rows(queryset))
        # The byte order mark makes Excel read the file as UTF-8, so diacritics survive.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"Unknown export format {fmt!r}; use 'xlsx' or 'csv'.")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_BELEMMERINGEN)
    _autosize(sheet, COLUMN_WIDTHS)
    sheet.freeze_panes = "A2"
    sheet.append(COLUMNS)
    for row in _obstacle_rows(queryset):
        sheet.append(_xlsx_safe(row))
    needs = workbook.create_sheet(SHEET_BEHOEFTEN)
    _autosize(needs, [50, 26, 12, 60, 14, 14])
    needs.append(BEHOEFTE_COLUMNS)
    for row in _need_rows(queryset):
        needs.append(_xlsx_safe(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def blank_template() -> bytes:
    """An empty obstacles sheet with the columns, dropdowns for the choice columns, and a second sheet
    listing every allowed value."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_BELEMMERINGEN
    sheet.append(COLUMNS)
    bold = Font(bold=True)
    for index in range(1, len(COLUMNS) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
    _autosize(sheet, COLUMN_WIDTHS)
    sheet.freeze_panes = "A2"
    values = allowed_values()
    _add_allowed_values_sheet(workbook, values, bold)
    _add_dropdowns(workbook, sheet, values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_allowed_values_sheet(workbook: Workbook, values: dict[str, list[str]], bold: Font) -> None:
    """The sheet that lists every allowed value per choice column, with notes on filling in the rest."""
    lists = workbook.create_sheet(SHEET_WAARDEN)
    explained = [COL_THEMA, COL_SUBTHEMA, COL_LEVEL, COL_DIMENSION, COL_STATUS]
    for index, column in enumerate(explained, start=1):
        lists.cell(row=1, column=index, value=column).font = bold
        entries = values[column]
        for row, value in enumerate(entries, start=2):
            # The dimension is typed by its short name; the list shows what each one means.
            lists.cell(
                row=row, column=index, value=DIMENSIE_UITLEG.get(value, value) if column == COL_DIMENSION else value
            )
    _autosize(lists, [16, 60, 12, 60, 14])
    notes_row = max(len(v) for v in values.values()) + 3
    notes = [
        _g("Verplichte kolommen: %(kolommen)s.") % {"kolommen": ", ".join(REQUIRED_COLUMNS)},
        _g("Laat de kolom ID leeg voor nieuwe belemmeringen; een ID uit een export werkt die belemmering bij."),
        _g("Subthema: de naam zonder het thema tussen haakjes; het moet bij het gekozen thema horen."),
        _g("Behoeften: titels gescheiden door ';'. Een nieuwe titel wordt een nieuwe behoefte."),
        _g("Herkend door: een geheel getal, 0 of meer. Status leeg betekent Concept."),
    ]
    for offset, text in enumerate(notes):
        lists.cell(row=notes_row + offset, column=1, value=text)


def _add_dropdowns(workbook: Workbook, sheet, values: dict[str, list[str]]) -> None:
    """Dropdowns for the choice columns (Excel and LibreOffice show them; other programs simply ignore
    them), fed from a hidden sheet."""
    hidden = workbook.create_sheet("_keuzes")
    hidden.sheet_state = "hidden"
    dropdowns = {
        COL_THEMA: values[COL_THEMA],
        COL_LEVEL: values[COL_LEVEL],
        COL_DIMENSION: values[COL_DIMENSION],
        COL_STATUS: values[COL_STATUS],
        COL_SUBTHEMA: sorted({v.rsplit(" (", 1)[0] for v in values[COL_SUBTHEMA]}),
    }
    for index, (column, entries) in enumerate(dropdowns.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(entries, start=1):
            hidden.cell(row=row, column=index, value=value)
        validation = DataValidation(
            type="list",
            formula1=f"'_keuzes'!${letter}$1:${letter}${len(entries)}",
            allow_blank=column in (COL_SUBTHEMA, COL_STATUS),
            showErrorMessage=False,
        )
        target = get_column_letter(COLUMNS.index(column) + 1)
        validation.add(f"{target}2:{target}5000")
        sheet.add_data_validation(validation)
