from __future__ import annotations

import re

from rapportage.charts import bar_chart, matrix_chart
from rapportage.data import Matrix, TallyRow


def test_bars_carry_labels_numbers_and_a_text_alternative():
    svg = bar_chart([TallyRow("Gemeente", 3), TallyRow("Bedrijf", 1)], title="Deelnemers")
    assert 'role="img"' in svg
    assert "<title" in svg and ">Deelnemers</title>" in svg
    assert "<desc" in svg and "Gemeente: 3, Bedrijf: 1." in svg
    assert ">Gemeente</text>" in svg and ">3</text>" in svg


def test_longest_bar_is_the_biggest_count_and_zero_draws_no_bar():
    svg = bar_chart([TallyRow("a", 4), TallyRow("b", 2), TallyRow("c", 0)], title="t")
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [370.0, 185.0]


def test_labels_are_escaped():
    svg = bar_chart([TallyRow('<script>alert("x")</script>', 1)], title="<b>titel</b>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;titel&lt;/b&gt;" in svg


def test_matrix_chart_has_a_group_per_row():
    m = Matrix(
        rows=["Organisatie", "Technisch"],
        columns=["Lokaal", "Nationaal"],
        cells=[[2, 0], [1, 1]],
        row_totals=[2, 2],
        column_totals=[3, 1],
        total=4,
    )
    svg = matrix_chart(m, title="Thema en niveau")
    assert svg.count('font-weight="bold"') == 2
    assert "Organisatie: Lokaal: 2, Nationaal: 0; Technisch: Lokaal: 1, Nationaal: 1." in svg
