"""Scatter and StripPlot: the data behind a link, drawn with Braille dots.

Scatter shows (x, y) pairs (e.g. daily dose vs minutes asleep); StripPlot compares
groups on one axis (e.g. nights after exercise vs the others) with a box per group.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from widgets._draw import (
    BrailleCanvas,
    CellGrid,
    center_message,
    component_style,
    fmt_num,
    nice_range,
    nice_step,
    scale,
)


@dataclass(frozen=True)
class PlotStyles:
    dots: Style = field(default_factory=Style)
    dots_alt: Style = field(default_factory=Style)
    box: Style = field(default_factory=Style)
    axis: Style = field(default_factory=Style)
    muted: Style = field(default_factory=Style)
    title: Style = field(default_factory=Style)


def _finite_pairs(
    points: Iterable[tuple[float | None, float | None]],
) -> tuple[tuple[float, float], ...]:
    out = []
    for x, y in points:
        if x is None or y is None:
            continue
        fx, fy = float(x), float(y)
        if math.isfinite(fx) and math.isfinite(fy):
            out.append((fx, fy))
    return tuple(out)


def _x_axis(
    grid: CellGrid, y: int, plot_x: int, lo: float, hi: float, label: str, st: PlotStyles
) -> None:
    """Axis line at row y with the low, middle and high values and the axis name below it."""
    width = grid.width
    grid.put(plot_x - 1, y, "└", st.axis)
    for x in range(plot_x, width):
        grid.put(x, y, "─", st.axis)
    plot_w = width - plot_x
    lo_text, hi_text = fmt_num(lo), fmt_num(hi)
    mid = (lo + hi) / 2
    mid_text = fmt_num(mid)
    grid.put(plot_x, y, "┬", st.axis)
    grid.put(width - 1, y, "┬", st.axis)
    grid.text(plot_x, y + 1, lo_text, st.axis)
    grid.text(width - len(hi_text), y + 1, hi_text, st.axis)
    mid_x = plot_x + plot_w // 2
    if plot_w >= len(lo_text) + len(hi_text) + len(mid_text) + 4:
        grid.put(mid_x, y, "┬", st.axis)
        grid.text(mid_x - len(mid_text) // 2, y + 1, mid_text, st.axis)
    if label:
        # The axis name goes between the tick labels where there is room.
        room_from = plot_x + len(lo_text) + 2
        room_to = mid_x - len(mid_text) // 2 - 2
        if room_to - room_from >= len(label):
            grid.text(room_to - len(label), y + 1, label, st.muted)
        else:
            after = mid_x + (len(mid_text) + 1) // 2 + 2
            if after + len(label) <= width - len(hi_text) - 2:
                grid.text(after, y + 1, label, st.muted)


def render_scatter(
    points: Sequence[tuple[float, float]],
    width: int,
    height: int,
    *,
    x_label: str = "",
    y_label: str = "",
    title: str = "",
    styles: PlotStyles | None = None,
) -> Text:
    """Header (title, y name, n), a Braille plot with y labels, and an x axis."""
    st = styles or PlotStyles()
    if not points:
        return center_message("no data yet", width, height, st.muted)
    plot_h = height - 3
    if plot_h < 2 or width < 20:
        return center_message("too small", width, height, st.muted)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x_lo, x_hi = nice_range(min(xs), max(xs))
    y_lo, y_hi = nice_range(min(ys), max(ys))
    # Y labels on round ticks (not the midpoint, which is rarely round), kept two rows apart.
    step = nice_step(y_hi - y_lo, max(1, plot_h // 2))
    y_ticks: list[tuple[int, str]] = []
    tick = math.ceil(y_lo / step - 1e-9) * step
    while tick <= y_hi + 1e-9:
        row = plot_h - 1 - scale(tick, y_lo, y_hi, plot_h)
        if not y_ticks or abs(row - y_ticks[-1][0]) >= 2:
            y_ticks.append((row, fmt_num(tick)))
        tick += step
    label_w = max(len(text) for _, text in y_ticks)
    plot_x = label_w + 1
    plot_w = width - plot_x

    canvas = BrailleCanvas(plot_w, plot_h)
    # A single Braille dot is too faint to read; each point is a 2 × 2 quad, on a
    # grid of one column and half a row per point.
    for x, y in points:
        col = scale(x, x_lo, x_hi, plot_w)
        half_row = plot_h * 2 - 1 - scale(y, y_lo, y_hi, plot_h * 2)
        for ddx in (0, 1):
            for ddy in (0, 1):
                canvas.set(col * 2 + ddx, half_row * 2 + ddy)
    grid = CellGrid(width, plot_h + 2)
    for y in range(plot_h):
        grid.put(label_w, y, "│", st.axis)
    for y, text in y_ticks:
        grid.text(label_w - len(text), y, text, st.axis)
        grid.put(label_w, y, "┤", st.axis)
    for cx, cy, char in canvas.cells():
        grid.put(plot_x + cx, cy, char, st.dots)
    _x_axis(grid, plot_h, plot_x, x_lo, x_hi, x_label, st)

    head = Text(no_wrap=True, overflow="crop", end="")
    if title:
        head.append(title + "  ", st.title)
    if y_label:
        head.append(f"↑ {y_label}", st.muted)
    n_text = f"n = {len(points)}"
    gap = width - head.cell_len - len(n_text)
    if gap >= 1:
        head.append(" " * gap)
        head.append(n_text, st.muted)
    head.truncate(width)
    out = Text(no_wrap=True, overflow="crop", end="")
    out.append_text(head)
    out.append("\n")
    out.append_text(grid.to_text())
    return out


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of already sorted values."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = q * (len(sorted_values) - 1)
    i = int(pos)
    j = min(i + 1, len(sorted_values) - 1)
    return sorted_values[i] + (sorted_values[j] - sorted_values[i]) * (pos - i)


Groups = Sequence[tuple[str, Sequence[float]]]


def render_strip(
    groups: Groups,
    width: int,
    *,
    unit: str = "",
    title: str = "",
    styles: PlotStyles | None = None,
) -> Text:
    """Per group: a row of jittered dots and a box row (whiskers, quartiles, median)."""
    st = styles or PlotStyles()
    clean = [
        (name, sorted(v for v in values if v is not None and math.isfinite(v)))
        for name, values in groups
    ]
    height = 1 + 2 * len(clean) + 2
    if not any(values for _, values in clean):
        return center_message("no data yet", width, max(height, 3), st.muted)
    every = [v for _, values in clean for v in values]
    lo, hi = nice_range(min(every), max(every))
    label_w = max(max(len(name) for name, _ in clean), len("median 0000")) + 1
    plot_x = label_w + 1
    plot_w = width - plot_x
    if plot_w < 10:
        return center_message("too narrow", width, height, st.muted)

    grid = CellGrid(width, 2 * len(clean) + 2)
    for g, (name, values) in enumerate(clean):
        dot_style = st.dots if g % 2 == 0 else st.dots_alt
        y = 2 * g
        grid.text(0, y, name[:label_w], st.title)
        grid.put(label_w, y, "│", st.axis)
        grid.put(label_w, y + 1, "│", st.axis)
        if not values:
            grid.text(plot_x + 1, y, "no data", st.muted)
            continue
        canvas = BrailleCanvas(plot_w, 1)
        # 2 × 2 quads like the scatter, alternating top and bottom half of the row
        # (deterministic jitter) so that neighbouring values stay countable.
        for i, v in enumerate(values):
            col = scale(v, lo, hi, plot_w)
            for ddx in (0, 1):
                for ddy in (0, 1):
                    canvas.set(col * 2 + ddx, (i % 2) * 2 + ddy)
        for cx, _, char in canvas.cells():
            grid.put(plot_x + cx, y, char, dot_style)
        q1, med, q3 = (_quantile(values, q) for q in (0.25, 0.5, 0.75))
        a, b = scale(values[0], lo, hi, plot_w), scale(values[-1], lo, hi, plot_w)
        for x in range(a, b + 1):
            grid.put(plot_x + x, y + 1, "─", st.box)
        for x in range(scale(q1, lo, hi, plot_w), scale(q3, lo, hi, plot_w) + 1):
            grid.put(plot_x + x, y + 1, "━", dot_style)
        grid.put(plot_x + scale(med, lo, hi, plot_w), y + 1, "┃", st.title)
        grid.text(0, y + 1, f"median {fmt_num(med)}"[:label_w], st.muted)
    _x_axis(grid, 2 * len(clean), plot_x, lo, hi, unit, st)

    head = Text(no_wrap=True, overflow="crop", end="")
    if title:
        head.append(title + "  ", st.title)
    head.append(
        "n = " + " vs ".join(str(len(values)) for _, values in clean),
        st.muted,
    )
    means = [statistics.fmean(values) for _, values in clean if values]
    if len(means) == len(clean) == 2:
        head.append(
            f"  ·  difference of means {fmt_num(means[0] - means[1], signed=True)}", st.muted
        )
        if unit:
            head.append(f" {unit}", st.muted)
    head.truncate(width)
    out = Text(no_wrap=True, overflow="crop", end="")
    out.append_text(head)
    out.append("\n")
    out.append_text(grid.to_text())
    return out


_SHARED_CSS = """
    {name} > .plot--dots {{ color: $accent; }}
    {name} > .plot--dots-alt {{ color: $primary-lighten-1; }}
    {name} > .plot--box {{ color: $text-muted; }}
    {name} > .plot--axis {{ color: $text-muted; }}
    {name} > .plot--muted {{ color: $text-muted; }}
    {name} > .plot--title {{ text-style: bold; }}
"""
_PLOT_CLASSES = {
    "plot--dots",
    "plot--dots-alt",
    "plot--box",
    "plot--axis",
    "plot--muted",
    "plot--title",
}


def _plot_styles(widget: Widget) -> PlotStyles:
    return PlotStyles(
        dots=component_style(widget, "plot--dots"),
        dots_alt=component_style(widget, "plot--dots-alt"),
        box=component_style(widget, "plot--box"),
        axis=component_style(widget, "plot--axis"),
        muted=component_style(widget, "plot--muted"),
        title=component_style(widget, "plot--title"),
    )


@dataclass(frozen=True)
class ScatterData:
    points: tuple[tuple[float, float], ...] = ()
    x_label: str = ""
    y_label: str = ""


class Scatter(Widget):
    """A scatter plot of (x, y) pairs; pairs with a None or NaN are left out."""

    DEFAULT_CSS = """
    Scatter {
        height: 14;
        min-height: 6;
        padding: 0 1;
    }
    """ + _SHARED_CSS.format(name="Scatter")

    COMPONENT_CLASSES: ClassVar[set[str]] = _PLOT_CLASSES

    data: reactive[ScatterData] = reactive(ScatterData)
    title: reactive[str] = reactive("")

    def __init__(
        self,
        points: Iterable[tuple[float | None, float | None]] = (),
        *,
        x_label: str = "",
        y_label: str = "",
        title: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(Scatter.data, ScatterData(_finite_pairs(points), x_label, y_label))
        self.set_reactive(Scatter.title, title)

    def set_points(
        self,
        points: Iterable[tuple[float | None, float | None]],
        *,
        x_label: str | None = None,
        y_label: str | None = None,
    ) -> None:
        old = self.data
        self.data = ScatterData(
            _finite_pairs(points),
            old.x_label if x_label is None else x_label,
            old.y_label if y_label is None else y_label,
        )

    def render(self) -> RenderResult:
        width, height = self.size
        return render_scatter(
            self.data.points,
            width,
            height,
            x_label=self.data.x_label,
            y_label=self.data.y_label,
            title=self.title,
            styles=_plot_styles(self),
        )


@dataclass(frozen=True)
class StripData:
    groups: tuple[tuple[str, tuple[float, ...]], ...] = ()
    unit: str = ""


class StripPlot(Widget):
    """Two (or more) groups on one axis: dots per value and a box per group."""

    DEFAULT_CSS = """
    StripPlot {
        height: auto;
        padding: 0 1;
    }
    """ + _SHARED_CSS.format(name="StripPlot")

    COMPONENT_CLASSES: ClassVar[set[str]] = _PLOT_CLASSES

    data: reactive[StripData] = reactive(StripData, layout=True)
    title: reactive[str] = reactive("")

    def __init__(
        self,
        groups: Groups = (),
        *,
        unit: str = "",
        title: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """groups: (name, values) pairs, e.g. [("exercise ≥ 30 min", [...]), ("other", [...])]."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(StripPlot.data, self._build(groups, unit))
        self.set_reactive(StripPlot.title, title)

    @staticmethod
    def _build(groups: Groups, unit: str) -> StripData:
        return StripData(
            tuple(
                (name, tuple(float(v) for v in values if v is not None)) for name, values in groups
            ),
            unit,
        )

    def set_groups(self, groups: Groups, *, unit: str | None = None) -> None:
        self.data = self._build(groups, self.data.unit if unit is None else unit)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + 2 * max(1, len(self.data.groups)) + 2

    def render(self) -> RenderResult:
        return render_strip(
            self.data.groups,
            self.size.width,
            unit=self.data.unit,
            title=self.title,
            styles=_plot_styles(self),
        )
