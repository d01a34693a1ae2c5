"""The bounds of a spreadsheet import: rows, unpacked size per part, time.

Every path that reads an obstacles file (the admin's preview and confirm, the command line, the service)
goes through `belemmeringen.spreadsheets.read_table` or its formats, which check these while streaming:
a file is refused at the first row past the limit, before the rest is read. The deadline is checked
again per row while the rows are imported, so a slow database cannot stretch an import either
(gunicorn's timeout does not fire for gthread workers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _g


class ImportLimitError(ValueError):
    """A limit was reached; the message (Dutch) says which one and what to do."""


@dataclass(frozen=True)
class ImportLimits:
    max_rows: int
    max_sheet_bytes: int
    time_limit: float

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            max_rows=settings.IMPORT_MAX_ROWS,
            max_sheet_bytes=settings.IMPORT_MAX_SHEET_BYTES,
            time_limit=settings.IMPORT_TIME_LIMIT,
        )


@dataclass
class Deadline:
    """When this import must stop; `check()` raises once that moment has passed."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def from_settings(cls) -> Deadline:
        return cls(seconds=ImportLimits.from_settings().time_limit)

    def check(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise ImportLimitError(
                _g(
                    "Het inlezen is gestopt na %(seconden)d seconden (de tijdslimiet). Er is niets opgeslagen. "
                    "Splits het bestand in kleinere delen en lees die na elkaar in."
                )
                % {"seconden": self.seconds}
            )


def too_many_rows(max_rows: int) -> ImportLimitError:
    return ImportLimitError(
        _g(
            "Het bestand heeft meer dan %(max)d rijen met gegevens (de limiet per bestand). Er is niets ingelezen. "
            "Splits het bestand in delen van hoogstens %(max)d rijen en lees die na elkaar in."
        )
        % {"max": max_rows}
    )


def too_many_wrong_rows(max_rows: int) -> ImportLimitError:
    return ImportLimitError(
        _g(
            "Meer dan %(max)d rijen bevatten fouten; het inlezen is daar gestopt en er is niets opgeslagen. "
            "Hieronder staan de eerste fouten. Klopt de kolomindeling? Vergelijk de eerste rij met het sjabloon."
        )
        % {"max": max_rows}
    )


def part_too_large(part: str, size: int, max_bytes: int) -> ImportLimitError:
    return ImportLimitError(
        _g(
            "Het werkblad is uitgepakt %(mb).0f MB (onderdeel %(deel)s); de limiet is %(max).0f MB per werkblad. "
            "Er is niets ingelezen. Splits het bestand in kleinere delen, of laat opmaak en lege rijen weg."
        )
        % {"mb": size / (1024 * 1024), "deel": part, "max": max_bytes / (1024 * 1024)}
    )
