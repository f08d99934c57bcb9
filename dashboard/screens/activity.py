"""Activity: steps per day (days with ≥ 30 min of workouts marked, the cause the links use), a
calendar heat map of workout minutes or steps, and a table of recent workouts.

Steps and workout minutes come from the daily frame (one source per day, by the configured
priority); the table lists every recorded workout with its source, so a run a watch and a
phone both recorded shows twice there but counts once in the chart and the tiles.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from dashboard.screens.base import DataScreen
from dashboard.screens.sleep import fitted_weeks, next_span, span_label
from widgets.daily_chart import DailyChart
from widgets.heatmap import CalendarHeatmap
from widgets.hypnogram import fmt_minutes
from widgets.stat_tile import StatTile

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle

EXERCISE_MIN = 30.0  # the exercise_30min cause of the links
WORKOUT_ROWS = 200
"""The table is for looking back a few weeks; the store keeps the rest."""
HEAT_WEEKS = 53
WIDE = 150
"""From this width the heat map and the workouts table sit side by side."""
WORKOUT_COLUMNS = ("date", "start", "sport", "duration", "distance", "avg HR", "source")


def fmt_distance(metres: float | None) -> str:
    if metres is None or metres <= 0:
        return "—"
    return f"{metres / 1000:.1f} km" if metres >= 100 else f"{metres:.0f} m"


def workout_rows(bundle: Bundle, limit: int = WORKOUT_ROWS) -> list[tuple[str, ...]]:
    """Recent workouts, newest first, as table cells in local time."""
    import polars as pl

    acts = bundle.tables["activities"]
    if acts.is_empty():
        return []
    acts = acts.filter(pl.col("start").is_not_null()).sort("start", descending=True).head(limit)
    rows = []
    for r in acts.iter_rows(named=True):
        offset = r["utc_offset_min"]
        start = r["start"]
        local = (
            (start + dt.timedelta(minutes=offset)).replace(tzinfo=None)
            if offset is not None
            else start.astimezone(bundle.tz).replace(tzinfo=None)
        )
        minutes = r["duration_min"]
        if minutes is None and r["end"] is not None:
            minutes = (r["end"] - start).total_seconds() / 60
        rows.append(
            (
                f"{local:%a %-d %b}",
                f"{local:%H:%M}",
                (r["sport"] or "workout").replace("_", " "),
                fmt_minutes(minutes) if minutes is not None else "—",
                fmt_distance(r["distance_m"]),
                f"{r['avg_hr']:.0f}" if r["avg_hr"] is not None else "—",
                r["source"] or "",
            )
        )
    return rows


class ActivityScreen(DataScreen):
    TITLE = "Activity"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w,plus", "span(1)", "Longer span", key_display="w/+", tooltip="Show more weeks"),
        Binding(
            "W,minus", "span(-1)", "Shorter span", key_display="W/-", tooltip="Show fewer weeks"
        ),
        Binding(
            "m",
            "toggle_heat",
            "Heat map metric",
            tooltip="Workout minutes or steps in the heat map",
        ),
        Binding("t", "focus_table", "Workouts", tooltip="Move to the workouts table"),
        Binding("s", "focus_chart", "Steps chart", tooltip="Move to the steps chart"),
    ]

    DEFAULT_CSS = """
    ActivityScreen #activity-span { height: auto; padding: 0 1; color: $text-muted; }
    ActivityScreen #steps-chart { height: 12; }
    ActivityScreen #activity-lower { layout: vertical; height: auto; }
    ActivityScreen.-wide #activity-lower { layout: horizontal; }
    ActivityScreen #heat-col, ActivityScreen #workouts-col { height: auto; width: 1fr; }
    ActivityScreen #workouts-title { padding: 0 1; }
    ActivityScreen #workouts { margin: 0 1; }
    ActivityScreen #no-workouts { padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.weeks = 8
        self._weeks_chosen = False
        self.heat_metric = "workout"  # or "steps"
        self._bundle: Bundle | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="activity-span")
        with Horizontal(classes="tiles", id="activity-tiles"):
            yield StatTile("Steps per day", id="tile-steps")
            yield StatTile("Workouts", id="tile-workouts")
            yield StatTile("Workout time", id="tile-workout-time")
            yield StatTile(f"Days ≥ {EXERCISE_MIN:.0f} min", id="tile-active-days")
        yield DailyChart(
            id="steps-chart",
            title="Steps per day",
            unit="steps",
            marked_label=f"≥ {EXERCISE_MIN:.0f} min workout",
        )
        with Horizontal(id="activity-lower"):
            with Vertical(id="heat-col"):
                yield CalendarHeatmap(id="heatmap")
            with Vertical(id="workouts-col"):
                yield Static("", id="workouts-title", classes="section-title")
                yield DataTable(id="workouts", cursor_type="row", zebra_stripes=True)
                yield Static("No workouts recorded yet.", id="no-workouts")

    def on_mount(self) -> None:
        table = self.query_one("#workouts", DataTable)
        table.add_columns(*WORKOUT_COLUMNS)

    # -- data ----------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        first = self._bundle is None
        self._bundle = bundle
        if not self._weeks_chosen:
            self.weeks = fitted_weeks(self.size.width or self.app.size.width)
        self._refresh_span()
        self._refresh_heat()
        self._refresh_workouts()
        if first:
            self.query_one("#steps-chart", DailyChart).focus()

    def _day_values(self, column: str) -> dict[dt.date, float | None]:
        assert self._bundle is not None
        daily = self._bundle.daily
        return {d: v for d, v in daily.select("date", column).iter_rows() if d is not None}

    def span_days(self) -> tuple[dt.date, dt.date] | None:
        assert self._bundle is not None
        from dashboard.core.analysis import columns as C

        steps = self._day_values(C.STEPS)
        workout = self._day_values(C.WORKOUT_MIN)
        known = [d for d in steps if steps[d] is not None or workout.get(d) is not None]
        if not known:
            return None
        first, last = min(known), max(known)
        # Today's steps are a day in progress but still worth seeing; the span ends today
        # unless the trackers stopped long before it.
        end = self._bundle.today
        if self.weeks and last < end - dt.timedelta(days=7 * self.weeks - 1):
            end = last
        end = max(end, first)
        if self.weeks == 0:
            return first, end
        return max(first, end - dt.timedelta(days=7 * self.weeks - 1)), end

    def _refresh_span(self) -> None:
        from dashboard.core.analysis import columns as C

        chart = self.query_one("#steps-chart", DailyChart)
        span = self.span_days()
        label = self.query_one("#activity-span", Static)
        if span is None:
            chart.set_data([])
            label.update(
                "No steps or workouts yet: import a wearable's export on the Imports screen (7)."
            )
            for tile in self.query(StatTile):
                tile.set_stat(None)
            return
        start, end = span
        steps = self._day_values(C.STEPS)
        workout = self._day_values(C.WORKOUT_MIN)
        count = self._day_values(C.WORKOUTS_N)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        marked = {d for d in days if (workout.get(d) or 0) >= EXERCISE_MIN}
        chart.set_data([(d, steps.get(d)) for d in days], marked=marked)

        def in_range(a: dt.date, b: dt.date, values: dict[dt.date, float | None]) -> list[float]:
            return [v for d, v in values.items() if a <= d <= b and v is not None]

        length = end - start + dt.timedelta(days=1)
        before = (start - length, start - dt.timedelta(days=1))
        has_before = self.weeks != 0 and len(in_range(*before, steps)) >= 3
        now_steps = in_range(start, end, steps)
        mean_steps = statistics.fmean(now_steps) if now_steps else None
        steps_delta = None
        if has_before and mean_steps is not None:
            steps_delta = round(mean_steps - statistics.fmean(in_range(*before, steps)))
        self.query_one("#tile-steps", StatTile).set_stat(
            None if mean_steps is None else round(mean_steps), delta=steps_delta
        )
        tracked = in_range(start, end, workout)
        n_workouts = int(sum(in_range(start, end, count)))
        workouts_delta = None
        if has_before and in_range(*before, workout):
            workouts_delta = n_workouts - sum(in_range(*before, count))
        self.query_one("#tile-workouts", StatTile).set_stat(
            n_workouts if tracked else None, delta=workouts_delta
        )
        self.query_one("#tile-workout-time", StatTile).set_stat(
            fmt_minutes(sum(tracked)) if tracked else None
        )
        active = sum(1 for v in tracked if v >= EXERCISE_MIN)
        self.query_one("#tile-active-days", StatTile).set_stat(
            f"{active} of {len(tracked)}" if tracked else None
        )
        label.update(
            f"{span_label(self.weeks).capitalize()}: {start:%-d %b} – {end:%-d %b %Y}"
            + (f" · ▲▼ vs the {span_label(self.weeks)[5:]} before" if has_before else "")
            + " · ←/→ pick a day"
        )

    def _refresh_heat(self) -> None:
        assert self._bundle is not None
        from dashboard.core.analysis import columns as C

        heat = self.query_one("#heatmap", CalendarHeatmap)
        if self.heat_metric == "steps":
            values, unit, title = self._day_values(C.STEPS), "steps", "Steps per day"
        else:
            values, unit, title = self._day_values(C.WORKOUT_MIN), "min", "Workout minutes per day"
        since = self._bundle.today - dt.timedelta(weeks=HEAT_WEEKS)
        # Days before the trackers' first record say nothing: leave them off the map.
        known = [d for d, v in values.items() if v is not None]
        first = min(known) if known else self._bundle.today
        heat.title = f"{title}   (m: {'workout minutes' if unit == 'steps' else 'steps'})"
        heat.set_data({d: v for d, v in values.items() if d >= max(since, first)}, unit=unit)

    def _refresh_workouts(self) -> None:
        assert self._bundle is not None
        table = self.query_one("#workouts", DataTable)
        rows = workout_rows(self._bundle)
        table.clear()
        for row in rows:
            table.add_row(*row)
        table.display = bool(rows)
        self.query_one("#no-workouts", Static).display = not rows
        total = self._bundle.tables["activities"].height
        shown = f"latest {len(rows)} of {total}" if total > len(rows) else f"{total}"
        self.query_one("#workouts-title", Static).update(f"Workouts ({shown}, newest first)")

    # -- actions and layout --------------------------------------------------------------
    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")
        if not self._weeks_chosen and self._bundle is not None:
            weeks = fitted_weeks(self.size.width)
            if weeks != self.weeks:
                self.weeks = weeks
                self._refresh_span()

    def action_span(self, step: int) -> None:
        self._weeks_chosen = True
        self.weeks = next_span(self.weeks, step)
        if self._bundle is not None:
            self._refresh_span()

    def action_toggle_heat(self) -> None:
        self.heat_metric = "steps" if self.heat_metric == "workout" else "workout"
        if self._bundle is not None:
            self._refresh_heat()

    def action_focus_table(self) -> None:
        table = self.query_one("#workouts", DataTable)
        if table.display:
            table.focus()
            table.scroll_visible()

    def action_focus_chart(self) -> None:
        self.query_one("#steps-chart", DailyChart).focus()
