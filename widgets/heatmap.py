"""CalendarHeatmap: one square per day, weeks as columns and weekdays as rows (like GitHub's)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from widgets._draw import CellGrid, center_message, component_style, fmt_num

LEVELS = 4
"""Colour steps above zero; more are hard to tell apart in a terminal."""
LABEL_W = 4
CELL_W = 2
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")

DayValues = Iterable[tuple[dt.date, float | None]] | Mapping[dt.date, float | None]


@dataclass(frozen=True)
class HeatmapData:
    values: Mapping[dt.date, float | None] = field(default_factory=dict)
    unit: str = ""

    @classmethod
    def build(cls, values: DayValues = (), unit: str = "") -> HeatmapData:
        items = values.items() if isinstance(values, Mapping) else values
        out: dict[dt.date, float | None] = {}
        for day, value in items:
            if isinstance(day, dt.datetime):
                day = day.date()
            v = None if value is None else float(value)
            out[day] = v if v is None or math.isfinite(v) else None
        return cls(out, unit)

    @property
    def known(self) -> list[float]:
        return [v for v in self.values.values() if v is not None]


def level_of(value: float, top: float) -> int:
    """0 for exactly zero (a dose-free day is worth seeing), else 1..LEVELS by share of top."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(value / top * LEVELS - 1e-9)))


@dataclass(frozen=True)
class HeatmapStyles:
    levels: tuple[Style, ...] = tuple(Style() for _ in range(LEVELS + 1))
    empty: Style = field(default_factory=Style)
    axis: Style = field(default_factory=Style)
    title: Style = field(default_factory=Style)


def render_heatmap(
    data: HeatmapData, width: int, *, title: str = "", styles: HeatmapStyles | None = None
) -> Text:
    """Month labels, 7 weekday rows, and a legend; shows the latest weeks that fit."""
    st = styles or HeatmapStyles()
    height = 9 + int(bool(title))
    known = data.known
    if not known:
        return center_message("no data yet", width, height, st.empty)
    days = sorted(data.values)
    first_monday = days[0] - dt.timedelta(days=days[0].weekday())
    last = days[-1]
    n_weeks = (last - first_monday).days // 7 + 1
    fits = max(1, (width - LABEL_W) // CELL_W)
    week0 = max(0, n_weeks - fits)
    top = max(known)

    grid = CellGrid(width, 8)
    for r, label in enumerate(DAY_LABELS):
        grid.text(0, r + 1, label, st.axis)
    month_labels: list[tuple[int, str]] = []
    for w in range(week0, n_weeks):
        x = LABEL_W + (w - week0) * CELL_W
        monday = first_monday + dt.timedelta(weeks=w)
        for r in range(7):
            day = monday + dt.timedelta(days=r)
            if day > last or day < days[0]:
                continue
            value = data.values.get(day)
            if value is None:
                grid.put(x, r + 1, "·", st.empty)
            else:
                grid.put(x, r + 1, "■", st.levels[level_of(value, top)])
            if day.day == 1:
                month_labels.append((x, f"{day:%b}"))
    # The first column is labelled with its month too, so the reader is never lost,
    # unless a month starts right after it and the two labels would collide.
    first_day = max(days[0], first_monday + dt.timedelta(weeks=week0))
    if not month_labels or month_labels[0][0] >= LABEL_W + 6:
        month_labels.insert(0, (LABEL_W, f"{first_day:%b}"))
    last_x = -10
    for x, label in month_labels:
        if x >= last_x + 4 and x + len(label) <= width:
            grid.text(x, 0, label, st.axis)
            last_x = x

    legend = Text(no_wrap=True, overflow="crop", end="")
    legend.append(" " * LABEL_W)
    legend.append("less ", st.axis)
    for level in range(LEVELS + 1):
        legend.append("■ ", st.levels[level])
    legend.append("more", st.axis)
    unit = f" {data.unit}" if data.unit else ""
    legend.append(f"   0 – {fmt_num(top)}{unit}", st.axis)
    legend.append("   ·", st.empty)
    legend.append(" no data", st.axis)
    legend.truncate(width)

    out = Text(no_wrap=True, overflow="crop", end="")
    if title:
        out.append(title, st.title)
        out.append("\n")
    out.append_text(grid.to_text())
    out.append("\n")
    out.append_text(legend)
    return out


class CalendarHeatmap(Widget):
    """A calendar heat map of a daily value; None is drawn as 'no data'."""

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: auto;
        padding: 0 1;
    }
    CalendarHeatmap > .calendar-heatmap--level-0 { color: $panel-lighten-2; }
    CalendarHeatmap > .calendar-heatmap--level-1 { color: $primary 35%; }
    CalendarHeatmap > .calendar-heatmap--level-2 { color: $primary 55%; }
    CalendarHeatmap > .calendar-heatmap--level-3 { color: $primary 78%; }
    CalendarHeatmap > .calendar-heatmap--level-4 { color: $primary; }
    CalendarHeatmap > .calendar-heatmap--empty { color: $text-muted; }
    CalendarHeatmap > .calendar-heatmap--axis { color: $text-muted; }
    CalendarHeatmap > .calendar-heatmap--title { text-style: bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"calendar-heatmap--level-{i}" for i in range(LEVELS + 1)),
        "calendar-heatmap--empty",
        "calendar-heatmap--axis",
        "calendar-heatmap--title",
    }

    data: reactive[HeatmapData] = reactive(HeatmapData, layout=True)
    title: reactive[str] = reactive("", layout=True)

    def __init__(
        self,
        values: DayValues = (),
        *,
        unit: str = "",
        title: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(CalendarHeatmap.data, HeatmapData.build(values, unit))
        self.set_reactive(CalendarHeatmap.title, title)

    def set_data(self, values: DayValues, *, unit: str | None = None) -> None:
        self.data = HeatmapData.build(values, self.data.unit if unit is None else unit)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 9 + int(bool(self.title))

    def render(self) -> RenderResult:
        styles = HeatmapStyles(
            levels=tuple(
                component_style(self, f"calendar-heatmap--level-{i}") for i in range(LEVELS + 1)
            ),
            empty=component_style(self, "calendar-heatmap--empty"),
            axis=component_style(self, "calendar-heatmap--axis"),
            title=component_style(self, "calendar-heatmap--title"),
        )
        return render_heatmap(self.data, self.size.width, title=self.title, styles=styles)
