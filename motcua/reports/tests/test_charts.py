"""The server-side SVG charts: geometry only (the pages' tests check the rendered SVG)."""

from __future__ import annotations

from motcua.reports.charts import Series, bar_chart, line_chart

MONTHS = ["Tháng 1/2026", "Tháng 2/2026", "Tháng 3/2026"]


def bars(*series: Series) -> list[tuple[str, float]]:
    chart = bar_chart(
        slug="c",
        title="t",
        description="d",
        y_label="y",
        x_label="x",
        labels=MONTHS,
        short_labels=["1", "2", "3"],
        series=list(series),
    )
    return [(b.tooltip, b.height) for b in chart.bars]


def test_a_count_axis_has_whole_number_ticks() -> None:
    for top, labels in [
        (4, ["0", "1", "2", "3", "4"]),
        (2, ["0", "1", "2", "3", "4"]),
        (4123, ["0", "2.000", "4.000", "6.000", "8.000"]),
    ]:
        chart = bar_chart(
            slug="c",
            title="t",
            description="d",
            y_label="y",
            x_label="x",
            labels=MONTHS[:1],
            short_labels=["1"],
            series=[Series("s", [float(top)], "series-1")],
        )
        assert [t.label for t in chart.ticks] == labels


def test_stacked_bars_stand_on_each_other_and_empty_ones_are_not_drawn() -> None:
    drawn = bars(
        Series("Đúng hạn", [3.0, 0.0, 1.0], "series-ok"),
        Series("Quá hạn", [1.0, 0.0, 0.0], "series-late"),
    )
    assert [tooltip for tooltip, _ in drawn] == [
        "Tháng 1/2026 · Đúng hạn: 3",
        "Tháng 1/2026 · Quá hạn: 1",
        "Tháng 3/2026 · Đúng hạn: 1",
    ]
    assert drawn[0][1] == 3 * drawn[1][1] == 3 * drawn[2][1]


def test_a_month_without_dossiers_has_no_point_and_a_dash_in_the_table() -> None:
    chart = line_chart(
        slug="c",
        title="t",
        description="d",
        y_label="y",
        x_label="x",
        labels=MONTHS,
        short_labels=["1", "2", "3"],
        series=Series("Trực tuyến", [50.0, 0.0, 6.25], "series-1"),
        missing=[False, True, False],
    )
    assert [p.tooltip for p in chart.points] == [
        "Tháng 1/2026 · Trực tuyến: 50,0 %",
        "Tháng 3/2026 · Trực tuyến: 6,3 %",
    ]
    assert len(chart.polyline.split()) == 2
    assert chart.rows[1] == ("Tháng 2/2026", ["—"])
    assert [t.label for t in chart.ticks] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
