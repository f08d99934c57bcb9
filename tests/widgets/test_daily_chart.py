from __future__ import annotations

import datetime as dt

from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Label

from tests.widgets.sample import D0, Host, asleep_series
from widgets.daily_chart import (
    ChartStyles,
    DailyChart,
    DailySeries,
    aggregate,
    render_daily_chart,
)


def lines(text) -> list[str]:
    return text.plain.split("\n")


def test_empty_series_says_no_data_yet() -> None:
    text, geometry = render_daily_chart(DailySeries.build([]), 80, 10)
    assert "no data yet" in text.plain
    assert geometry.visible == 0
    # All-None counts as empty too: there is nothing to draw.
    text, _ = render_daily_chart(
        DailySeries.build([(D0, None), (D0 + dt.timedelta(1), None)]), 80, 10
    )
    assert "no data yet" in text.plain


def test_fills_exact_size_and_labels_axes() -> None:
    series = DailySeries.build(asleep_series(), unit="min")
    text, geometry = render_daily_chart(series, 96, 12, cursor=20, title="Asleep")
    rows = lines(text)
    assert len(rows) == 12
    assert all(len(r) == 96 for r in rows[1:])
    assert rows[0].startswith("Asleep (min)")
    assert "Sun 25 Oct: 390 min" in rows[0]  # cursor readout: day 20 = 25 Oct
    assert geometry.visible == 21
    # y labels: a 0 at the bottom plot row, a round tick higher up.
    assert rows[-3].lstrip().startswith("0┤")
    assert any(r.lstrip().startswith("400┤") for r in rows)
    # Dates start on Mondays once labels are weekly or coarser; here every other day.
    assert "5 Oct" in rows[-1]


def test_bar_heights_follow_values() -> None:
    values = [(D0 + dt.timedelta(i), v) for i, v in enumerate([0.0, 50.0, 100.0])]
    text, g = render_daily_chart(DailySeries.build(values), 40, 12)
    rows = lines(text)[1:-2]  # plot rows only
    column = [r[g.plot_x + 2 * g.slot] for r in rows]  # the 100 bar
    half = [r[g.plot_x + g.slot] for r in rows]  # the 50 bar
    assert column.count("█") == len(rows)  # 100 is the top of the scale
    assert 0 < half.count("█") < len(rows)
    assert [r[g.plot_x] for r in rows].count("█") == 0  # zero draws nothing


def test_missing_day_is_a_dot_and_gaps_are_filled() -> None:
    values = [(D0, 10.0), (D0 + dt.timedelta(3), 20.0)]  # 2 days missing in between
    series = DailySeries.build(values)
    assert len(series.days) == 4
    text, g = render_daily_chart(series, 40, 10)
    bottom = lines(text)[-3]
    assert bottom[g.plot_x + g.slot : g.plot_x + 3 * g.slot].count("·") == 2


def test_plan_line_and_marked_days_use_their_styles() -> None:
    styles = ChartStyles(
        bar=Style(color="blue"),
        marked=Style(color="red"),
        plan=Style(color="white"),
        cursor=Style(color="yellow"),
    )
    values = [(D0 + dt.timedelta(i), 100.0) for i in range(4)]
    plan = [(D0 + dt.timedelta(i), 50.0) for i in range(4)]
    series = DailySeries.build(values, plan, marked={D0 + dt.timedelta(1)})
    text, _ = render_daily_chart(series, 40, 12, cursor=3, styles=styles)
    plot = text.plain.split("\n")
    colours = {str(span.style) for span in text.spans}
    assert "red" in colours  # the marked day
    assert "yellow" in colours  # the cursor day
    # The plan crosses the bars at half height: drawn with the plan colour on the bar colour.
    assert any("white on blue" in c for c in colours)
    assert any(ch in row for row in plot[1:-2] for ch in "─▁▔")
    assert "plan" in plot[0]


def test_narrow_width_shows_latest_days_and_scrolls_with_cursor() -> None:
    series = DailySeries.build(asleep_series(60))
    text, g = render_daily_chart(series, 40, 10, cursor=59)
    assert g.visible < 60
    assert g.view_start + g.visible == 60  # the newest days are shown
    text, g2 = render_daily_chart(series, 40, 10, cursor=0, view_start=0)
    assert g2.view_start == 0
    assert all(len(r) == 40 for r in lines(text)[1:])


def test_tiny_size_does_not_crash() -> None:
    series = DailySeries.build(asleep_series())
    for w, h in ((5, 3), (12, 4), (20, 2), (1, 1)):
        text, _ = render_daily_chart(series, w, h)
        assert len(lines(text)) == h


class ChartApp(App[None]):
    def __init__(self, chart: DailyChart) -> None:
        super().__init__()
        self.chart = chart
        self.selected: list[dt.date] = []

    def compose(self) -> ComposeResult:
        yield self.chart
        yield Label(id="out")

    def on_daily_chart_day_selected(self, message: DailyChart.DaySelected) -> None:
        assert message.control is self.chart
        self.selected.append(message.date)


async def test_arrow_keys_post_day_selected() -> None:
    data = asleep_series()
    app = ChartApp(DailyChart(data, unit="min", title="Asleep"))
    async with app.run_test(size=(100, 32)) as pilot:
        app.chart.focus()
        await pilot.pause()
        # The newest day with data is selected and announced on mount.
        assert app.selected == [data[-1][0]]
        await pilot.press("left", "left")
        await pilot.pause()
        assert app.selected[-2:] == [data[-2][0], data[-3][0]]
        assert app.chart.selected_date == data[-3][0]
        await pilot.press("right")
        await pilot.press("home")
        await pilot.pause()
        assert app.selected[-2:] == [data[-2][0], data[0][0]]
        # Moving left at the first day stays put and posts nothing new.
        count = len(app.selected)
        await pilot.press("left")
        await pilot.pause()
        assert len(app.selected) == count
        await pilot.press("end")
        await pilot.pause()
        assert app.selected[-1] == data[-1][0]


async def test_click_selects_day() -> None:
    data = asleep_series(7)
    app = ChartApp(DailyChart(data))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        g = app.chart.geometry
        # +1 for the widget's left padding.
        await pilot.click(DailyChart, offset=(1 + g.plot_x + 2 * g.slot, 5))
        await pilot.pause()
        assert app.chart.selected_date == data[2][0]
        assert app.selected[-1] == data[2][0]


async def test_new_data_keeps_selected_date() -> None:
    data = asleep_series()
    app = ChartApp(DailyChart(data))
    async with app.run_test(size=(100, 32)) as pilot:
        app.chart.focus()
        await pilot.press("home")
        await pilot.pause()
        chosen = app.chart.selected_date
        app.chart.set_data([*data, (D0 + dt.timedelta(days=21), 333.0)])
        await pilot.pause()
        assert app.chart.selected_date == chosen
        # A date that is gone moves the cursor to the newest day with data.
        app.chart.set_data(data[5:])
        await pilot.pause()
        assert app.chart.selected_date == data[-1][0]
        assert app.selected[-1] == data[-1][0]


async def test_widget_renders_and_resizes() -> None:
    app = Host(DailyChart(asleep_series(), unit="min", title="Asleep"))
    async with app.run_test(size=(100, 32)) as pilot:
        chart = app.query_one(DailyChart)
        await pilot.pause()
        text = chart.render()
        assert "Asleep (min)" in text.plain
        assert len(text.plain.split("\n")) == chart.size.height
        wide = chart.geometry.slot
        await pilot.resize_terminal(80, 32)
        await pilot.pause()
        assert chart.size.width == 78
        assert chart.geometry.slot <= wide
        assert all(len(r) <= 78 for r in chart.render().plain.split("\n"))


async def test_empty_widget() -> None:
    app = Host(DailyChart([]))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert "no data yet" in app.query_one(DailyChart).render().plain
        await pilot.press("left")  # no crash without days


def test_snapshot(snap_compare) -> None:
    chart = DailyChart(
        asleep_series(28),
        plan=[(D0 + dt.timedelta(i), 400.0) for i in range(28)],
        marked={d for d, v in asleep_series(28) if v is not None and v < 320},
        unit="min",
        title="Asleep per night",
        marked_label="insomnia",
    )
    assert snap_compare(Host(chart), terminal_size=(100, 16))


def test_a_whole_span_of_years_is_drawn_a_bucket_per_column() -> None:
    # 1558 days of steps (issue #21): the latest days alone showed one bar and empty days.
    first = dt.date(2013, 3, 1)
    values = [(first + dt.timedelta(i), 5000.0 + (i % 7) * 500) for i in range(1558)]
    series = DailySeries.build(values)
    text, g = render_daily_chart(series, 80, 12, cursor=1557, whole_span=True)
    assert g.period == "month" and g.visible == len(g.buckets) == 52  # Mar 2013 - Jun 2017
    rows = lines(text)
    plot = rows[1:-2]
    bars = [x for x in range(g.plot_x, 80) if any(r[x] == "█" for r in plot)]
    assert len(bars) == 52  # every month drawn, none scrolled away
    assert "2013" not in rows[-1] and "Mar 13" in rows[-1] and "Jun 17" not in rows[0]
    assert "Jun 2017: mean" in rows[0]  # the cursor's bucket, its mean
    # without whole_span the chart still scrolls through the latest days
    _, days = render_daily_chart(series, 80, 12, cursor=1557)
    assert days.period == "day" and days.visible < 100


def test_a_bucket_is_marked_when_most_of_its_days_are() -> None:
    first = dt.date(2024, 1, 1)  # a Monday
    values = [(first + dt.timedelta(i), 400.0) for i in range(14)]
    marked = {first + dt.timedelta(i) for i in (0, 1, 2, 3, 7)}  # 4 of 7, then 1 of 7
    agg, starts = aggregate(DailySeries.build(values, marked=marked), "week", "most")
    assert starts == (0, 7)
    assert agg.days == [first, first + dt.timedelta(7)]
    assert agg.marked == frozenset({first})
    anyof, _ = aggregate(DailySeries.build(values, marked=marked), "week", "any")
    assert anyof.marked == frozenset(agg.days)
