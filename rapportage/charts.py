"""Charts drawn on the server as SVG: no JavaScript, identical in the browser and in the PDF.

Every bar carries its label and its number as text, so nothing is told by colour alone; the SVG has a
<title> and <desc> as its text alternative, and the templates put the same numbers in a table beside it.
All text is escaped here, because labels can come from what people typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rapportage.data import Matrix, TallyRow

# Dark enough for 3:1 against white (WCAG 1.4.11); the colours only help, the labels carry the meaning.
PALETTE = ["#154273", "#007bc7", "#39870c", "#a90061", "#e17000", "#5c3d8f"]

_ids = count(1)

WIDTH = 640
LABEL_WIDTH = 230
VALUE_GAP = 6
BAR_HEIGHT = 16
BAR_GAP = 5
GROUP_GAP = 14
GROUP_TITLE = 18
# "Rapport Sans" is the @font-face of the report stylesheet (shipped Open Sans, DejaVu Sans as fallback).
FONT = "Rapport Sans, DejaVu Sans, sans-serif"


def _svg(body: list[str], width: int, height: int, title: str, description: str) -> SafeString:
    uid = next(_ids)
    title_id, desc_id = f"grafiek-{uid}-titel", f"grafiek-{uid}-beschrijving"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="12">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _describe(groups: Sequence[tuple[str, Sequence[TallyRow]]]) -> str:
    parts = []
    for name, items in groups:
        values = ", ".join(f"{item.label}: {item.count}" for item in items)
        parts.append(f"{name}: {values}" if name else values)
    return "; ".join(parts) + "."


def grouped_bar_chart(
    groups: Sequence[tuple[str, Sequence[TallyRow]]],
    *,
    title: str,
    colour_by_position: bool = True,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
) -> SafeString:
    """Horizontal bars in groups (e.g. one group per theme, one bar per level).

    A group with an empty name is drawn without a heading, which makes a plain bar chart.
    """
    maximum = max((item.count for _name, items in groups for item in items), default=0) or 1
    bar_room = width - label_width - 40
    body: list[str] = []
    y = 4
    for name, items in groups:
        if name:
            y += GROUP_TITLE
            body.append(f'<text x="0" y="{y - 5}" font-weight="bold">{escape(name)}</text>')
        for position, item in enumerate(items):
            colour = PALETTE[position % len(PALETTE)] if colour_by_position else PALETTE[0]
            bar = round(bar_room * item.count / maximum, 1)
            text_y = y + BAR_HEIGHT - 4
            body.append(
                f'<text x="{label_width - VALUE_GAP}" y="{text_y}" text-anchor="end">{escape(item.label)}</text>'
            )
            if bar:
                body.append(f'<rect x="{label_width}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" fill="{colour}"/>')
            body.append(f'<text x="{label_width + bar + VALUE_GAP}" y="{text_y}">{item.count}</text>')
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP if name else 0
    body.insert(0, f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{y}" stroke="#333" stroke-width="1"/>')
    return _svg(body, width, y + 4, title, _describe(groups))


def bar_chart(
    items: Sequence[TallyRow], *, title: str, width: int = WIDTH, label_width: int = LABEL_WIDTH
) -> SafeString:
    return grouped_bar_chart([("", items)], title=title, colour_by_position=False, width=width, label_width=label_width)


def matrix_chart(matrix: Matrix, *, title: str) -> SafeString:
    """One group per row of the matrix (a theme), one bar per column (a level or dimension)."""
    groups = [
        (row, [TallyRow(label=column, count=matrix.cells[r][c]) for c, column in enumerate(matrix.columns)])
        for r, row in enumerate(matrix.rows)
    ]
    return grouped_bar_chart(groups, title=title)


def _heat_colour(value: int, maximum: int) -> tuple[str, str]:
    """Fill and text colour for a heat-map cell: light to dark blue; white text on the dark half."""
    if not value:
        return "#ffffff", "#1a1a1a"
    steps = ["#e8eef5", "#c6d6ea", "#8fb0d6", "#4f7fb8", "#154273"]
    index = min(len(steps) - 1, round((len(steps) - 1) * value / (maximum or 1)))
    return steps[index], "#ffffff" if index >= 3 else "#1a1a1a"


def heat_map(matrix: Matrix, *, title: str, width: int = WIDTH, label_width: int = 150) -> SafeString:
    """A grid with one cell per row and column, its number printed in it and the shade growing with it.

    It shows at a glance where knelpunten cluster, which a table of numbers only shows on reading; the
    number in each cell carries the meaning, the shade only helps.
    """
    cell_w = (width - label_width) / max(len(matrix.columns), 1)
    header, cell_h = 34, 22
    maximum = max((v for row in matrix.cells for v in row), default=0)
    body: list[str] = []
    for c, column in enumerate(matrix.columns):
        x = label_width + c * cell_w + cell_w / 2
        body.append(
            f'<text x="{x:.1f}" y="{header - 8}" text-anchor="middle" font-weight="bold">{escape(column)}</text>'
        )
    for r, row in enumerate(matrix.rows):
        y = header + r * cell_h
        body.append(f'<text x="{label_width - VALUE_GAP}" y="{y + cell_h - 7}" text-anchor="end">{escape(row)}</text>')
        for c, value in enumerate(matrix.cells[r]):
            fill, ink = _heat_colour(value, maximum)
            x = label_width + c * cell_w
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{fill}" '
                f'stroke="#b3b3b3" stroke-width="0.5"/>'
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h - 7}" text-anchor="middle" fill="{ink}">{value}</text>'
            )
    groups = [
        (row, [TallyRow(label=column, count=matrix.cells[r][c]) for c, column in enumerate(matrix.columns)])
        for r, row in enumerate(matrix.rows)
    ]
    return _svg(body, width, header + len(matrix.rows) * cell_h + 4, title, _describe(groups))
