"""Hostile spreadsheets as the security probe made them, generated in about a second each.

`million_row_csv` stays under the 10 MB upload limit (8 bytes a row); `million_row_xlsx` writes the
sheet's XML straight into the zip (openpyxl would take minutes) and stays small because the rows repeat.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HEADER = "Thema;Titel;Niveau;Dimensie\n"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Belemmeringen" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def million_row_csv(path: Path, rows: int = 1_000_000) -> Path:
    path.write_bytes((HEADER + "a;b;c;d\n" * rows).encode())
    return path


def wide_invalid_csv(path: Path, rows: int = 20_000, columns: int = 200) -> Path:
    """The row limit, 200 columns (196 of them unknown) and every row wrong: 8 MB, the worst memory case
    found (584 MB before unknown columns were left out at reading)."""
    header = ["Thema", "Titel", "Niveau", "Dimensie"] + [f"x{i}" for i in range(columns - 4)]
    path.write_text(";".join(header) + "\n" + (";".join(["a"] * columns) + "\n") * rows)
    return path


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def million_row_xlsx(path: Path, rows: int = 1_000_000, *, declared_size: int | None = None) -> Path:
    """A workbook with `rows` data rows. `declared_size` makes the zip lie about the sheet's
    unpacked size (the central directory says that many bytes), as a zip bomb would."""
    header = "".join(_inline(f"{c}1", t) for c, t in zip("ABCD", ["Thema", "Titel", "Niveau", "Dimensie"], strict=True))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(f'<row r="1">{header}</row>'.encode())
            chunk = []
            for number in range(2, rows + 2):
                chunk.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>a</t></is></c></row>')
                if len(chunk) == 10000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    if declared_size is not None:
        _lie_about_size(path, "xl/worksheets/sheet1.xml", declared_size)
    return path


def _lie_about_size(path: Path, member: str, declared: int) -> None:
    """Rewrite the central directory's uncompressed size of `member` (what `infolist()` reports)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_len] == name:
            if int.from_bytes(data[at + 24 : at + 28], "little") == 0xFFFFFFFF:
                raise ValueError("zip64 member: its size is in the extra field")
            data[at + 24 : at + 28] = declared.to_bytes(4, "little")
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
