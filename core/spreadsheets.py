"""Spreadsheet safety: what every export to CSV or XLSX does to a cell before writing it.

* `escape_formula` makes a text cell inert for spreadsheet programs (CSV/formula injection): a text
  that starts with a formula character gets a leading apostrophe, as OWASP advises. import-export's
  own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=", which misses the other
  characters and alters the data. `unescape_formula` undoes it on import, so a round trip
  export → import gives back exactly what was stored.
* `replace_illegal_characters` keeps a control character typed into a form from breaking an XLSX
  export: openpyxl refuses such characters, so each becomes U+FFFD and the reader sees that something
  was there.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Spreadsheet programs run a cell that starts with one of these as a formula (or a formula continuation).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Prefix `'` to a text that would start a formula; other values are returned unchanged.

    A text that already starts with quotes before a formula character gets one more quote, so that
    `unescape_formula` can tell an escape from a quote that was typed.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value):
    """Remove the quote `escape_formula` added; a value it would not have escaped is left alone."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def replace_illegal_characters(value):
    """Replace each character that XLSX cannot hold with U+FFFD; other values are returned unchanged."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value
