from __future__ import annotations

import datetime as dt

from rich.style import Style

from tests.widgets.sample import D0, Host
from widgets.heatmap import (
    LEVELS,
    CalendarHeatmap,
    HeatmapData,
    HeatmapStyles,
    level_of,
    render_heatmap,
)


def steps(days: int) -> dict[dt.date, float | None]:
    out: dict[dt.date, float | None] = {}
    for i in range(days):
        out[D0 + dt.timedelta(days=i)] = None if i % 9 == 4 else float((i * 1371) % 12000)
    return out


def test_layout_weekdays_rows_weeks_columns() -> None:
    text = render_heatmap(HeatmapData.build(steps(28), "steps"), 60, title="Steps")
    rows = text.plain.split("\n")
    assert len(rows) == 10  # title, months, 7 weekdays, legend
    assert rows[0] == "Steps"
    assert rows[1].startswith("    Oct")
    assert [r[:3] for r in rows[2:9]] == ["Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun"]
    # D0 is a Monday: 28 days = 4 full weeks = 4 columns, 2 cells apart.
    for r in rows[2:9]:
        cells = r[4:12:2]
        assert len(cells) == 4 and all(c in "■·" for c in cells)
        assert r[12:].strip() == ""
    # Day 4 (Friday of week 1) has no data.
    assert rows[2 + 4][4] == "·"
    assert "less" in rows[-1] and "more" in rows[-1] and "steps" in rows[-1]


def test_partial_first_week_starts_on_its_weekday() -> None:
    data = {D0 + dt.timedelta(days=3): 5.0, D0 + dt.timedelta(days=4): 0.0}  # Thu, Fri
    rows = render_heatmap(HeatmapData.build(data), 40).plain.split("\n")
    assert rows[1][4] == " " and rows[3][4] == " "  # Mon, Wed blank (before the data)
    assert rows[4][4] == "■" and rows[5][4] == "■"


def test_levels() -> None:
    assert level_of(0, 10) == 0
    assert level_of(0.1, 10) == 1
    assert level_of(5, 10) == 2
    assert level_of(10, 10) == LEVELS
    styles = HeatmapStyles(levels=tuple(Style(color=f"color({i})") for i in range(LEVELS + 1)))
    data = {D0: 0.0, D0 + dt.timedelta(1): 10.0}
    text = render_heatmap(HeatmapData.build(data), 40, styles=styles)
    used = {str(s.style) for s in text.spans}
    assert "color(0)" in used and f"color({LEVELS})" in used


def test_long_history_shows_latest_weeks_that_fit() -> None:
    data = steps(365)
    text = render_heatmap(HeatmapData.build(data), 44)
    rows = text.plain.split("\n")
    assert all(len(r) <= 44 for r in rows)
    # 20 week columns fit in 40 cells; the last day (D0 + 364) is a Monday.
    last = max(data)
    assert last.weekday() == 0
    assert rows[1][4 + 2 * 19] in "■·"  # last column, Monday row
    assert rows[2][4 + 2 * 19] == " "  # Tuesday after the last day: blank


def test_empty() -> None:
    assert "no data yet" in render_heatmap(HeatmapData.build({D0: None}), 40).plain
    assert "no data yet" in render_heatmap(HeatmapData(), 40).plain


async def test_widget_renders_and_updates() -> None:
    widget = CalendarHeatmap(steps(60), unit="steps", title="Steps")
    app = Host(widget)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert widget.size.height == 10
        assert "■" in widget.render().plain
        widget.set_data([])
        await pilot.pause()
        assert "no data yet" in widget.render().plain
        await pilot.resize_terminal(80, 24)
        widget.set_data(steps(400))
        await pilot.pause()
        assert all(len(r) <= 78 for r in widget.render().plain.split("\n"))


def test_snapshot(snap_compare) -> None:
    widget = CalendarHeatmap(steps(180), unit="steps", title="Steps per day")
    assert snap_compare(Host(widget), terminal_size=(100, 12))
