"""Rows of one XLSX worksheet, streamed: the import's reader for workbooks.

Why not openpyxl's read-only mode: opening a workbook there parses every worksheet from start to end
when it lacks a `<dimension>` element (`ReadOnlyWorksheet._get_size`), before the first row is handed
out, outside any row limit or deadline: 15 s for a 1-million-row sheet on our machine. Here the first
row comes after the first `<row>` element, so the import's limits (rows, time) apply from the start.
Sizes: zipfile never unpacks more than a part's declared size, and `spreadsheets._check_parts` holds
each declared size to IMPORT_MAX_SHEET_BYTES before this module opens anything.

XML is parsed by the standard library (expat 2.4+ refuses entity expansion attacks and fetches no
external entities); a DOCTYPE, which no spreadsheet program writes, is refused outright.

Values: text (shared or inline), numbers (int when whole), booleans, and the cached result of a
formula. Dates arrive as their serial number; no import column holds a date.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import XMLPullParser

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 64 * 1024


class XlsxStructureError(ValueError):
    """The workbook is not built as an XLSX file is (missing part, bad XML, a DOCTYPE)."""


def _elements(archive: zipfile.ZipFile, part: str, tags: set[str]) -> Iterator:
    """End events for `tags` in `part`, read in chunks; every other element is freed as it ends."""
    parser = XMLPullParser(events=("end",))
    try:
        handle = archive.open(part)
    except KeyError:
        raise XlsxStructureError(f"missing part {part}") from None
    with handle:
        first = True
        while chunk := handle.read(CHUNK):
            if first and b"<!DOCTYPE" in chunk[:2048].upper():
                raise XlsxStructureError("DOCTYPE in a workbook part")
            first = False
            parser.feed(chunk)
            yield from _drain(parser, tags)
        parser.close()
        yield from _drain(parser, tags)


def _drain(parser: XMLPullParser, tags: set[str]) -> Iterator:
    for _event, element in parser.read_events():
        if element.tag in tags:
            yield element


def _text(element) -> str:
    """The text of a shared or inline string: its <t>, or its rich-text runs' <t>s (not phonetic runs)."""
    direct = element.find(f"{MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(run.findtext(f"{MAIN}t") or "" for run in element.findall(f"{MAIN}r"))


def sheet_path(archive: zipfile.ZipFile, preferred: str) -> str:
    """The part of the sheet named `preferred`, else of the first sheet."""
    sheets = [(s.get("name"), s.get(f"{REL}id")) for s in _elements(archive, "xl/workbook.xml", {f"{MAIN}sheet"})]
    if not sheets:
        raise XlsxStructureError("no sheets")
    targets = {
        r.get("Id"): r.get("Target")
        for r in _elements(archive, "xl/_rels/workbook.xml.rels", {f"{PKG_REL}Relationship"})
    }
    rel_id = next((rid for name, rid in sheets if name == preferred), sheets[0][1])
    target = targets.get(rel_id)
    if not target:
        raise XlsxStructureError("sheet without a part")
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def shared_strings(archive: zipfile.ZipFile, limit: int) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for element in _elements(archive, "xl/sharedStrings.xml", {f"{MAIN}si"}):
        strings.append(_text(element))
        element.clear()
        if len(strings) > limit:
            raise XlsxStructureError("too many shared strings")
    return strings


def _column(reference: str | None) -> int | None:
    """'C7' -> 2 (zero-based)."""
    if not reference:
        return None
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - 64)
    return number - 1 if number else None


def _value(cell, strings: list[str]):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{MAIN}is")
        return _text(inline) if inline is not None else ""
    raw = cell.findtext(f"{MAIN}v")
    if raw is None:
        return None
    if kind == "s":
        index = int(raw)
        if not 0 <= index < len(strings):
            raise XlsxStructureError("shared string out of range")
        return strings[index]
    if kind == "b":
        return raw == "1"
    if kind == "n":
        number = float(raw)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return raw  # str (a formula's text result), e (an error such as #N/A), d (ISO date)


def rows(archive: zipfile.ZipFile, part: str, strings: list[str], max_columns: int) -> Iterator[tuple[int, list]]:
    """(row number, values) per <row>: gaps filled with None, cut at `max_columns`. Rows the file
    leaves out (blank ones) are not produced, so the number comes from the row's own `r`."""
    number = 0
    for row in _elements(archive, part, {f"{MAIN}row"}):
        stated = row.get("r", "")
        number = int(stated) if stated.isdigit() and int(stated) > number else number + 1
        values: list = []
        for position, cell in enumerate(row.iter(f"{MAIN}c")):
            column = _column(cell.get("r"))
            column = position if column is None else column
            if column >= max_columns:
                break
            if column >= len(values):
                values.extend([None] * (column + 1 - len(values)))
            values[column] = _value(cell, strings)
        row.clear()
        yield number, values
