"""DailyChart: a bar chart of one value per day, with an optional plan line and marked days.

Used for dose vs plan (Taper), minutes asleep per night (Sleep) and steps per day
(Activity). A cursor selects a day (left/right when focused, or a click) and posts
`DailyChart.DaySelected`, which the Sleep screen uses to pick the hypnogram's night.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from widgets._draw import (
    EIGHTHS,
    CellGrid,
    as_background,
    center_message,
    component_style,
    fmt_num,
    nice_step,
)

DayValues = Iterable[tuple[dt.date, float | None]] | Mapping[dt.date, float | None]

MAX_SLOT = 6
"""Widest column per day: wider bars only waste room and make short series look odd."""


def _pairs(data: DayValues | None) -> dict[dt.date, float | None]:
    if data is None:
        return {}
    items = data.items() if isinstance(data, Mapping) else data
    out: dict[dt.date, float | None] = {}
    for day, value in items:
        # Polars hands datetimes out of date columns only if the caller cast wrong;
        # accept them rather than fail on a screen.
        if isinstance(day, dt.datetime):
            day = day.date()
        if value is not None:
            value = float(value)
            if not math.isfinite(value):
                value = None
        out[day] = value
    return out


@dataclass(frozen=True)
class DailySeries:
    """The chart's data: one value per day (None = no data), a plan, marked days.

    `days` is the continuous range from the first to the last date in `values`, so
    a missing day shows as a gap rather than silently closing up.
    """

    values: Mapping[dt.date, float | None] = field(default_factory=dict)
    plan: Mapping[dt.date, float | None] = field(default_factory=dict)
    marked: frozenset[dt.date] = frozenset()
    unit: str = ""
    # An aggregated series (a week, month ... per value) lists its buckets' first days here;
    # `days` is then these, not every day between them.
    buckets: tuple[dt.date, ...] = ()

    @classmethod
    def build(
        cls,
        values: DayValues = (),
        plan: DayValues | None = None,
        marked: Collection[dt.date] = (),
        unit: str = "",
    ) -> DailySeries:
        return cls(_pairs(values), _pairs(plan), frozenset(marked), unit)

    @property
    def days(self) -> list[dt.date]:
        if self.buckets:
            return list(self.buckets)
        if not self.values:
            return []
        first, last = min(self.values), max(self.values)
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in self.values.values())


@dataclass(frozen=True)
class ChartStyles:
    """Rich styles the renderer needs; the widget fills them from theme-aware CSS."""

    bar: Style = field(default_factory=Style)
    marked: Style = field(default_factory=Style)
    cursor: Style = field(default_factory=Style)
    plan: Style = field(default_factory=Style)
    axis: Style = field(default_factory=Style)
    muted: Style = field(default_factory=Style)
    title: Style = field(default_factory=Style)


@dataclass(frozen=True)
class ChartGeometry:
    """Where days landed in the last render (for mouse clicks and tests).

    With `period` other than "day" each column is a bucket (a week, month, quarter or year)
    and view_start / visible count buckets; `buckets` holds each bucket's first index into
    the series' days, so a click or a key can find the days behind a column.
    """

    plot_x: int = 0
    slot: int = 1
    view_start: int = 0
    visible: int = 0
    period: str = "day"
    buckets: tuple[int, ...] = ()


PERIODS = ("day", "week", "month", "quarter", "year")
"""Column widths a whole span can be drawn at: the first whose columns fit is used."""


def period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


def bucket_starts(days: list[dt.date], period: str) -> tuple[int, ...]:
    """Indices into `days` (consecutive) where a new bucket begins."""
    out: list[int] = []
    last: dt.date | None = None
    for i, day in enumerate(days):
        start = period_start(day, period)
        if start != last:
            out.append(i)
            last = start
    return tuple(out)


def fit_period(days: list[dt.date], columns: int) -> str:
    """The finest period whose buckets fit `columns` one column each."""
    for period in PERIODS:
        if len(bucket_starts(days, period)) <= columns:
            return period
    return PERIODS[-1]


def bucket_label(day: dt.date, period: str) -> str:
    if period == "week":
        return f"week of {day:%-d %b %Y}"
    if period == "month":
        return f"{day:%b %Y}"
    if period == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day:%Y}"
    if period == "year":
        return f"{day:%Y}"
    return f"{day:%a} {_day_label(day)}"


def _mean_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def aggregate(
    series: DailySeries, period: str, marked_rule: str = "any"
) -> tuple[DailySeries, tuple[int, ...]]:
    """The series with one value per bucket (the mean of its days with data), keyed by each
    bucket's first day, and the bucket starts as indices into series.days.

    A bucket is marked when any of its days is ("any": a taper step in the week) or when most
    of its days with data are ("most": a week of mostly insomnia nights).
    """
    days = series.days
    starts = bucket_starts(days, period)
    values: dict[dt.date, float | None] = {}
    plan: dict[dt.date, float | None] = {}
    marked: set[dt.date] = set()
    for k, first in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(days)
        chunk = days[first:end]
        key = chunk[0]
        values[key] = _mean_or_none([series.values.get(d) for d in chunk])
        if series.plan:
            plan[key] = _mean_or_none([series.plan.get(d) for d in chunk])
        hits = [d for d in chunk if d in series.marked]
        if marked_rule == "most":
            known = sum(1 for d in chunk if series.values.get(d) is not None)
            if known and len(hits) * 2 > known:
                marked.add(key)
        elif hits:
            marked.add(key)
    agg = DailySeries(
        values,
        plan if any(v is not None for v in plan.values()) else {},
        frozenset(marked),
        series.unit,
        buckets=tuple(values),
    )
    return agg, starts


def _day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def render_daily_chart(
    series: DailySeries,
    width: int,
    height: int,
    *,
    cursor: int | None = None,
    view_start: int | None = None,
    title: str = "",
    plan_label: str = "plan",
    marked_label: str = "marked",
    styles: ChartStyles | None = None,
    whole_span: bool = False,
    marked_rule: str = "any",
) -> tuple[Text, ChartGeometry]:
    """Draw the chart into a width × height Text; pure, so it is testable without an app.

    view_start is the index of the first visible day when not all days fit; None
    shows the most recent days. With whole_span, days that do not fit one column each are
    drawn a week, month, quarter or year per column instead, so the whole span is on screen
    (each column the mean of its days with data); the cursor, a day index, marks its bucket.
    """
    st = styles or ChartStyles()
    if series.is_empty:
        return center_message("no data yet", width, height, st.muted), ChartGeometry()
    period = "day"
    buckets: tuple[int, ...] = ()
    if whole_span:
        # The label width is not known before the scale is; 6 columns is the widest label.
        period = fit_period(series.days, max(1, width - 6))
        if period != "day":
            day_cursor = cursor
            series, buckets = aggregate(series, period, marked_rule)
            cursor = None
            if day_cursor is not None:
                cursor = max(k for k, first in enumerate(buckets) if first <= day_cursor)
            view_start = 0
            marked_label += " in the " + period if marked_rule == "any" else " on most days"
    days = series.days
    show_header = height >= 5
    plot_h = height - 2 - int(show_header)
    if plot_h < 1 or width < 12:
        return center_message("too small", width, height, st.muted), ChartGeometry()

    numbers = [v for v in series.values.values() if v is not None]
    numbers += [v for d, v in series.plan.items() if v is not None and days[0] <= d <= days[-1]]
    top_value = max([*numbers, 0.0])
    # Labels use a coarse step (rows stay apart); the top of the scale a fine one,
    # so a 410 g peak is not drawn against an empty band up to 600.
    step = nice_step(top_value or 1.0, max(1, plot_h // 2))
    fine = nice_step(top_value or 1.0, max(1, plot_h))
    y_max = max(fine, math.ceil(top_value / fine - 1e-9) * fine)

    ticks = [i * step for i in range(math.floor(y_max / step + 1e-9) + 1)]
    labels = [fmt_num(t) for t in ticks]
    label_w = max(len(s) for s in labels)
    plot_x = label_w + 1
    plot_w = width - plot_x
    n = len(days)
    slot = max(1, min(MAX_SLOT, plot_w // n))
    bar_w = slot - 1 if slot >= 2 else 1
    visible = min(n, plot_w // slot)
    if view_start is None:
        view_start = n - visible
    view_start = max(0, min(view_start, n - visible))

    grid = CellGrid(width, height - int(show_header))
    top = 0
    bottom = top + plot_h - 1  # last plot row
    axis_y = bottom + 1
    dates_y = bottom + 2

    def row_of(value: float) -> int:
        """Plot row (from the bottom, 0-based) in which a bar of this value ends."""
        return max(0, math.ceil(value / y_max * plot_h - 1e-9) - 1)

    # Y axis: tick labels right-aligned against the axis line.
    for y in range(top, bottom + 1):
        grid.put(label_w, y, "│", st.axis)
    for tick, label in zip(ticks, labels, strict=True):
        y = bottom - row_of(tick)
        grid.text(label_w - len(label), y, label, st.axis)
        grid.put(label_w, y, "┤", st.axis)
    grid.put(label_w, axis_y, "└", st.axis)
    for x in range(plot_x, width):
        grid.put(x, axis_y, "─", st.axis)

    for j in range(visible):
        i = view_start + j
        day = days[i]
        x0 = plot_x + j * slot
        value = series.values.get(day)
        is_cursor = cursor == i
        style = st.cursor if is_cursor else st.marked if day in series.marked else st.bar
        full = rem = 0
        if value is None:
            grid.put(x0 + (bar_w - 1) // 2, bottom, "·", st.muted)
        elif value > 0:
            eighths = max(1, round(value / y_max * plot_h * 8))
            full, rem = divmod(min(eighths, plot_h * 8), 8)
            for r in range(full):
                for dx in range(bar_w):
                    grid.put(x0 + dx, bottom - r, "█", style)
            if rem:
                for dx in range(bar_w):
                    grid.put(x0 + dx, bottom - full, EIGHTHS[rem], style)
        if is_cursor:
            for dx in range(bar_w):
                grid.put(x0 + dx, axis_y, "━", st.cursor)

        planned = series.plan.get(day)
        if planned is not None and planned >= 0:
            pos = min(planned / y_max * plot_h, plot_h - 1e-6)
            r = int(pos)
            frac = pos - r
            char = "▁" if frac < 1 / 3 else "─" if frac < 2 / 3 else "▔"
            # The plan line runs through the gap too, so it reads as one stepped line.
            for dx in range(slot):
                covered = dx < bar_w and (r < full or (r == full and rem >= 4))
                plan_style = st.plan + as_background(style) if covered else st.plan
                grid.put(x0 + dx, bottom - r, char, plan_style)

    # Date axis: label every `every` days so labels never touch; weekly or longer
    # spacings start on Mondays, which is how people think about a taper week.
    label_len = 6
    every = next((k for k in (1, 2, 7, 14, 28, 56, 112) if k * slot >= label_len + 1), 364)
    if period != "day":
        # A bucket per column: weeks and months labelled "Jun 24" (weeks within a year by
        # their Monday, "2 Mar") every few columns; quarters
        # and years by the year where one begins ("2019"), never closer than a space apart.
        every_b = next(k for k in range(1, n + 2) if k * slot >= label_len + 1)
        last_x = -10
        for j in range(visible):
            day = days[view_start + j]
            if period in ("quarter", "year"):
                if day.month != 1:
                    continue
                label = f"{day:%Y}"
            elif j % every_b:
                continue
            elif period == "week" and (days[-1] - days[0]).days < 365:
                label = _day_label(day)  # within a year the span line gives it
            else:
                label = f"{day:%b %y}"
            x = plot_x + j * slot
            if x + len(label) > width or x < last_x + len(label) + 1:
                continue
            last_x = x
            if cursor != view_start + j:
                grid.put(x, axis_y, "┬", st.axis)
            grid.text(x, dates_y, label, st.axis)
    for j in range(visible if period == "day" else 0):
        day = days[view_start + j]
        if every >= 7 and day.weekday() != 0:
            continue
        if every < 7 and (view_start + j) % every:
            continue
        if every >= 14 and (day - days[0]).days // 7 % (every // 7):
            continue
        x = plot_x + j * slot
        label = _day_label(day)
        if x + len(label) > width:
            continue
        if cursor != view_start + j:
            grid.put(x, axis_y, "┬", st.axis)
        grid.text(x, dates_y, label, st.axis)

    geometry = ChartGeometry(
        plot_x=plot_x,
        slot=slot,
        view_start=view_start,
        visible=visible,
        period=period,
        buckets=buckets,
    )
    body = grid.to_text()
    if not show_header:
        return body, geometry
    text = _header(series, days, cursor, width, title, plan_label, marked_label, st, period)
    text.append("\n")
    text.append_text(body)
    return text, geometry


def _header(
    series: DailySeries,
    days: list[dt.date],
    cursor: int | None,
    width: int,
    title: str,
    plan_label: str,
    marked_label: str,
    st: ChartStyles,
    period: str = "day",
) -> Text:
    """Title and legend on the left, the selected day's (or bucket's) reading on the right."""
    left = Text()
    if title:
        left.append(title, st.title)
        if series.unit:
            left.append(f" ({series.unit})", st.muted)
    legend = Text()
    if series.plan:
        legend.append("  ─", st.plan)
        legend.append(f" {plan_label}", st.muted)
    if series.marked:
        legend.append("  █", st.marked)
        legend.append(f" {marked_label}", st.muted)

    readout = Text()
    if cursor is not None and 0 <= cursor < len(days):
        day = days[cursor]
        value = series.values.get(day)
        readout.append(f"{bucket_label(day, period)}: ", st.muted)
        if value is None:
            readout.append("no data", st.muted)
        else:
            mean = "" if period == "day" else "mean "
            readout.append(f"{mean}{fmt_num(value)} {series.unit}".rstrip(), st.cursor)
        planned = series.plan.get(day)
        if planned is not None:
            readout.append(f" · {plan_label} {fmt_num(planned)}", st.plan)
        if day in series.marked:
            readout.append(f" · {marked_label}", st.marked)

    # Drop the legend before the readout: the readout is what the cursor is for.
    if left.cell_len + legend.cell_len + readout.cell_len + 2 <= width:
        left.append_text(legend)
    line = left
    gap = width - line.cell_len - readout.cell_len
    if gap >= 2:
        line.append(" " * gap)
        line.append_text(readout)
    elif readout.cell_len <= width:
        line = readout
    line.truncate(width)
    line.no_wrap = True
    line.end = ""
    return line


class DailyChart(Widget, can_focus=True):
    """A daily bar chart with an optional plan line, marked days and a day cursor."""

    DEFAULT_CSS = """
    DailyChart {
        height: 12;
        min-height: 5;
        padding: 0 1;
    }
    DailyChart > .daily-chart--bar { color: $primary; }
    DailyChart > .daily-chart--marked { color: $error; }
    DailyChart > .daily-chart--cursor { color: $accent; text-style: bold; }
    DailyChart > .daily-chart--plan { color: $foreground; }
    DailyChart > .daily-chart--axis { color: $text-muted; }
    DailyChart > .daily-chart--muted { color: $text-muted; }
    DailyChart > .daily-chart--title { text-style: bold; }
    DailyChart:focus { background-tint: $foreground 4%; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "daily-chart--bar",
        "daily-chart--marked",
        "daily-chart--cursor",
        "daily-chart--plan",
        "daily-chart--axis",
        "daily-chart--muted",
        "daily-chart--title",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous day", show=False),
        Binding("right", "move(1)", "Next day", show=False),
        Binding("shift+left,pageup", "move(-7)", "Week back", show=False),
        Binding("shift+right,pagedown", "move(7)", "Week on", show=False),
        Binding("home", "jump(0)", "First day", show=False),
        Binding("end", "jump(-1)", "Last day", show=False),
    ]

    class DaySelected(Message):
        """The cursor moved to another day (by key, click, or new data)."""

        def __init__(self, chart: DailyChart, date: dt.date) -> None:
            super().__init__()
            self.chart = chart
            self.date = date

        @property
        def control(self) -> DailyChart:
            return self.chart

        def can_replace(self, message: Message) -> bool:
            # Holding an arrow key queues many selections; only the last one matters to a
            # screen that loads a night's stages for it.
            return isinstance(message, DailyChart.DaySelected) and message.chart is self.chart

    series: reactive[DailySeries] = reactive(DailySeries, layout=False)
    cursor: reactive[int | None] = reactive(None)
    title: reactive[str] = reactive("")

    def __init__(
        self,
        values: DayValues = (),
        *,
        plan: DayValues | None = None,
        marked: Collection[dt.date] = (),
        unit: str = "",
        title: str = "",
        plan_label: str = "plan",
        marked_label: str = "marked",
        whole_span: bool = False,
        marked_rule: str = "any",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.plan_label = plan_label
        self.marked_label = marked_label
        # Draw every day of the series, a week (month, ...) per column when days do not fit,
        # instead of scrolling through the latest days.
        self.whole_span = whole_span
        self.marked_rule = marked_rule
        self._posted: dt.date | None = None
        self._view_start: int | None = None
        self.geometry = ChartGeometry()
        self.set_reactive(DailyChart.title, title)
        series = DailySeries.build(values, plan, marked, unit)
        self.set_reactive(DailyChart.series, series)
        self.set_reactive(DailyChart.cursor, self._pick_cursor(series, None))

    def set_data(
        self,
        values: DayValues,
        *,
        plan: DayValues | None = None,
        marked: Collection[dt.date] = (),
        unit: str | None = None,
    ) -> None:
        """Replace the data; the selected date is kept if it is still in range."""
        self.series = DailySeries.build(
            values, plan, marked, self.series.unit if unit is None else unit
        )

    @property
    def days(self) -> list[dt.date]:
        return self.series.days

    @property
    def selected_date(self) -> dt.date | None:
        days = self.series.days
        if self.cursor is None or not 0 <= self.cursor < len(days):
            return None
        return days[self.cursor]

    def select_date(self, day: dt.date) -> None:
        """Move the cursor to day (ignored if the day is not on the chart)."""
        days = self.series.days
        if day in days:
            self.cursor = days.index(day)

    @staticmethod
    def _pick_cursor(series: DailySeries, keep: dt.date | None) -> int | None:
        days = series.days
        if not days:
            return None
        if keep is not None and keep in days:
            return days.index(keep)
        # The latest day that has data: the newest night is what people look at first.
        for i in range(len(days) - 1, -1, -1):
            if series.values.get(days[i]) is not None:
                return i
        return len(days) - 1

    def watch_series(self, old: DailySeries, new: DailySeries) -> None:
        old_days = old.days
        keep = None
        if self.cursor is not None and 0 <= self.cursor < len(old_days):
            keep = old_days[self.cursor]
        self.cursor = self._pick_cursor(new, keep)
        self._post_selection()

    def watch_cursor(self) -> None:
        self._post_selection()

    def on_mount(self) -> None:
        # is_mounted only turns true after on_mount; announce the initial day then.
        self.call_after_refresh(self._post_selection)

    def _post_selection(self) -> None:
        day = self.selected_date
        if day is not None and day != self._posted and self.is_mounted:
            self._posted = day
            self.post_message(self.DaySelected(self, day))

    def action_move(self, delta: int) -> None:
        n = len(self.series.days)
        if not n:
            return
        current = n - 1 if self.cursor is None else self.cursor
        g = self.geometry
        if g.period != "day" and g.buckets:
            # A column is a bucket: move by buckets, onto the latest day with data in it.
            here = max(k for k, first in enumerate(g.buckets) if first <= current)
            self.cursor = self._bucket_day(max(0, min(len(g.buckets) - 1, here + delta)))
            return
        self.cursor = max(0, min(n - 1, current + delta))

    def _bucket_day(self, k: int) -> int:
        """The latest day with data in bucket k (its first day when none has)."""
        g = self.geometry
        days = self.series.days
        first = g.buckets[k]
        end = g.buckets[k + 1] if k + 1 < len(g.buckets) else len(days)
        for i in range(end - 1, first - 1, -1):
            if self.series.values.get(days[i]) is not None:
                return i
        return first

    def action_jump(self, index: int) -> None:
        n = len(self.series.days)
        if n:
            self.cursor = index % n

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        g = self.geometry
        if offset is None or not g.visible or offset.x < g.plot_x:
            return
        j = (offset.x - g.plot_x) // g.slot
        if j < g.visible:
            if g.period != "day" and g.buckets:
                self.cursor = self._bucket_day(g.view_start + j)
            else:
                self.cursor = g.view_start + j

    def _styles(self) -> ChartStyles:
        return ChartStyles(
            bar=component_style(self, "daily-chart--bar"),
            marked=component_style(self, "daily-chart--marked"),
            cursor=component_style(self, "daily-chart--cursor"),
            plan=component_style(self, "daily-chart--plan"),
            axis=component_style(self, "daily-chart--axis"),
            muted=component_style(self, "daily-chart--muted"),
            title=component_style(self, "daily-chart--title"),
        )

    def render(self) -> RenderResult:
        width, height = self.size
        draw = partial(
            render_daily_chart,
            self.series,
            width,
            height,
            cursor=self.cursor,
            title=self.title,
            plan_label=self.plan_label,
            marked_label=self.marked_label,
            styles=self._styles(),
            whole_span=self.whole_span,
            marked_rule=self.marked_rule,
        )
        # First pass finds how many days fit; the second keeps the cursor in view.
        text, geometry = draw(view_start=self._view_start)
        start = geometry.view_start
        if geometry.period == "day" and geometry.visible and self.cursor is not None:
            if self.cursor < start:
                start = self.cursor
            elif self.cursor >= start + geometry.visible:
                start = self.cursor - geometry.visible + 1
            if start != geometry.view_start:
                text, geometry = draw(view_start=start)
        # Remember the window only once it has been moved off the newest days, so
        # fresh data keeps showing the latest days.
        n = len(self.series.days)
        at_end = geometry.period != "day" or geometry.view_start + geometry.visible >= n
        self._view_start = None if at_end else geometry.view_start
        self.geometry = geometry
        return text
