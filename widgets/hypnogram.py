"""Hypnogram: the sleep stages of one night, one row per stage, on a local-time axis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from widgets._draw import CellGrid, center_message, component_style

STAGES = ("awake", "rem", "light", "deep")
"""Top to bottom, as hypnograms are drawn: waking at the top, deep sleep at the bottom."""

STAGE_LABELS = {"awake": "Awake", "rem": "REM", "light": "Light", "deep": "Deep", "unknown": "?"}
LABEL_W = 6
MINOR_SHARE = 0.25
"""A stage that is not the column's main one still shows (half-height) from this share,
so a two-minute awakening is not lost when a column covers five minutes."""

AWAKE_MIN_S = 120
"""An awakening of two minutes or more always shows, however wide a column is:
awakenings are what an insomnia night is made of."""

StageRow = tuple[dt.datetime, dt.datetime, str]


def _naive_utc(t: dt.datetime) -> dt.datetime:
    if t.tzinfo is not None:
        return t.astimezone(dt.UTC).replace(tzinfo=None)
    return t


@dataclass(frozen=True)
class Night:
    """One night's stages in UTC (naive), plus the offset that makes them local."""

    stages: tuple[StageRow, ...] = ()
    utc_offset_min: int = 0

    @classmethod
    def build(cls, stages: Iterable[StageRow] = (), utc_offset_min: int = 0) -> Night:
        rows: list[StageRow] = []
        for start, end, stage in stages:
            start, end = _naive_utc(start), _naive_utc(end)
            if end <= start:
                continue
            stage = (stage or "unknown").lower()
            rows.append((start, end, stage if stage in STAGE_LABELS else "unknown"))
        rows.sort()
        return cls(tuple(rows), int(utc_offset_min))

    @property
    def rows(self) -> tuple[str, ...]:
        """Stage rows to draw: 'unknown' only when the night has some."""
        if any(s == "unknown" for _, _, s in self.stages):
            return (*STAGES, "unknown")
        return STAGES

    def minutes(self) -> dict[str, float]:
        out = dict.fromkeys(self.rows, 0.0)
        for start, end, stage in self.stages:
            out[stage] += (end - start).total_seconds() / 60
        return out

    def local(self, t: dt.datetime) -> dt.datetime:
        return t + dt.timedelta(minutes=self.utc_offset_min)


@dataclass(frozen=True)
class HypnogramStyles:
    stages: dict[str, Style] = field(default_factory=dict)
    axis: Style = field(default_factory=Style)
    muted: Style = field(default_factory=Style)
    title: Style = field(default_factory=Style)


def fmt_minutes(minutes: float) -> str:
    """412 -> '6h52', 45 -> '45m': short enough for a one-line summary."""
    m = round(minutes)
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m"


def render_hypnogram(
    night: Night, width: int, *, title: str = "", styles: HypnogramStyles | None = None
) -> Text:
    """Header, one row per stage, a time axis and a minutes-per-stage summary."""
    st = styles or HypnogramStyles()
    rows = night.rows
    height = len(rows) + 4
    if not night.stages:
        return center_message("no sleep stages for this night", width, height, st.muted)
    plot_x = LABEL_W
    plot_w = width - plot_x
    if plot_w < 8:
        return center_message("too narrow", width, height, st.muted)

    t0 = night.stages[0][0]
    t1 = max(end for _, end, _ in night.stages)
    span = (t1 - t0).total_seconds()
    col_s = span / plot_w

    grid = CellGrid(width, len(rows) + 2)
    for r, stage in enumerate(rows):
        grid.text(0, r, STAGE_LABELS[stage], st.stages.get(stage, st.muted))

    # Seconds of each stage in each column, from interval overlaps.
    shares = [dict.fromkeys(rows, 0.0) for _ in range(plot_w)]
    for start, end, stage in night.stages:
        a = (start - t0).total_seconds() / col_s
        b = (end - t0).total_seconds() / col_s
        for c in range(int(a), min(plot_w, int(b) + 1)):
            overlap = min(b, c + 1) - max(a, c)
            if overlap > 0:
                shares[c][stage] += overlap
    for c, share in enumerate(shares):
        total = sum(share.values())
        if total <= 0:
            continue
        main = max(share, key=lambda s: share[s])
        for r, stage in enumerate(rows):
            style = st.stages.get(stage, st.muted)
            if stage == main:
                grid.put(plot_x + c, r, "█", style)
            elif share[stage] >= MINOR_SHARE or (
                stage == "awake" and share[stage] * col_s >= AWAKE_MIN_S
            ):
                grid.put(plot_x + c, r, "▄", style)

    # Time axis on whole local hours; the step grows until labels do not touch.
    axis_y = len(rows)
    grid.put(plot_x - 1, axis_y, "└", st.axis)
    for x in range(plot_x, width):
        grid.put(x, axis_y, "─", st.axis)
    local0 = night.local(t0)
    cols_per_hour = 3600 / col_s
    hour_step = next((h for h in (1, 2, 3, 4, 6, 12) if h * cols_per_hour >= 6), 24)
    first_hour = local0.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    tick = first_hour
    local1 = night.local(t1)
    while tick <= local1:
        if tick.hour % hour_step == 0:
            x = plot_x + round((tick - local0).total_seconds() / col_s)
            if x < width:
                grid.put(x, axis_y, "┬", st.axis)
                label = f"{tick:%H:%M}"
                if x + len(label) <= width:
                    grid.text(x, axis_y + 1, label, st.axis)
        tick += dt.timedelta(hours=1)

    head = Text(no_wrap=True, overflow="crop", end="")
    if title:
        head.append(title + "  ", st.title)
    head.append(f"{night.local(t0):%H:%M} → {night.local(t1):%H:%M}", st.muted)
    minutes = night.minutes()
    asleep = sum(minutes.get(s, 0.0) for s in ("light", "deep", "rem"))
    head.append(f"  ·  asleep {fmt_minutes(asleep)}", st.muted)
    head.truncate(width)

    summary = Text(no_wrap=True, overflow="crop", end="")
    for stage in rows:
        if summary:
            summary.append("  ")
        summary.append("■ ", st.stages.get(stage, st.muted))
        summary.append(f"{STAGE_LABELS[stage]} {round(minutes[stage])} min", st.muted)
    summary.truncate(width)

    out = Text(no_wrap=True, overflow="crop", end="")
    out.append_text(head)
    out.append("\n")
    out.append_text(grid.to_text())
    out.append("\n")
    out.append_text(summary)
    return out


class Hypnogram(Widget):
    """The stages of one night across the width, with local clock times."""

    DEFAULT_CSS = """
    Hypnogram {
        height: auto;
        padding: 0 1;
    }
    Hypnogram > .hypnogram--awake { color: $error; }
    Hypnogram > .hypnogram--rem { color: $accent; }
    Hypnogram > .hypnogram--light { color: $primary-lighten-2; }
    Hypnogram > .hypnogram--deep { color: $primary-darken-1; }
    Hypnogram > .hypnogram--unknown { color: $text-muted; }
    Hypnogram > .hypnogram--axis { color: $text-muted; }
    Hypnogram > .hypnogram--muted { color: $text-muted; }
    Hypnogram > .hypnogram--title { text-style: bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "hypnogram--awake",
        "hypnogram--rem",
        "hypnogram--light",
        "hypnogram--deep",
        "hypnogram--unknown",
        "hypnogram--axis",
        "hypnogram--muted",
        "hypnogram--title",
    }

    night: reactive[Night] = reactive(Night, layout=True)
    title: reactive[str] = reactive("")

    def __init__(
        self,
        stages: Iterable[StageRow] = (),
        *,
        utc_offset_min: int = 0,
        title: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(Hypnogram.night, Night.build(stages, utc_offset_min))
        self.set_reactive(Hypnogram.title, title)

    def set_night(
        self, stages: Iterable[StageRow], *, utc_offset_min: int = 0, title: str | None = None
    ) -> None:
        """Show another night (stage start/end in UTC; naive datetimes are taken as UTC)."""
        if title is not None:
            self.title = title
        self.night = Night.build(stages, utc_offset_min)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.night.rows) + 4

    def render(self) -> RenderResult:
        styles = HypnogramStyles(
            stages={s: component_style(self, f"hypnogram--{s}") for s in STAGE_LABELS},
            axis=component_style(self, "hypnogram--axis"),
            muted=component_style(self, "hypnogram--muted"),
            title=component_style(self, "hypnogram--title"),
        )
        return render_hypnogram(self.night, self.size.width, title=self.title, styles=styles)
