"""Activity: steps per day (days with ≥ 30 min of workouts marked, the cause the links use), a
calendar heat map of workout minutes or steps, and a table of recent workouts.

Steps and workout minutes come from the daily frame (one source per day, by the configured
priority); the table lists every recorded workout with its source, so a run a watch and a
phone both recorded shows twice there but counts once in the chart and the tiles.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from dashboard.core.store.vocab import EXERCISE_MIN
from dashboard.core.views.activity import activity_span, heat, workout_rows
from dashboard.screens.spans import SPAN_BINDINGS, SpanScreen
from widgets.daily_chart import DailyChart
from widgets.heatmap import CalendarHeatmap
from widgets.stat_tile import StatTile

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle

WIDE = 150
"""From this width the heat map and the workouts table sit side by side."""
WORKOUT_COLUMNS = ("date", "start", "sport", "duration", "distance", "avg HR", "source")


class ActivityScreen(SpanScreen):
    TITLE = "Activity"

    BINDINGS: ClassVar[list[BindingType]] = [
        *SPAN_BINDINGS,
        Binding(
            "m",
            "toggle_heat",
            "Heat map metric",
            tooltip="Workout minutes or steps in the heat map",
        ),
        Binding("t", "focus_table", "Workouts", tooltip="Move to the workouts table"),
        Binding("s", "focus_chart", "Steps chart", tooltip="Move to the steps chart"),
    ]

    CSS_PATH = "activity.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.heat_metric = "workout"  # or "steps"

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
            # A long span is drawn whole, a week or month per column, not as its last days.
            whole_span=True,
            marked_rule="most",
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
        self.fit_span()
        self._refresh_span()
        self._refresh_heat()
        self._refresh_workouts()
        if first:
            self.query_one("#steps-chart", DailyChart).focus()

    def span_days(self) -> tuple[dt.date, dt.date] | None:
        """The steps chart's first and last day (the workouts' window when there are no steps)."""
        assert self._bundle is not None
        span = activity_span(self._bundle.daily, self._bundle.today, self.weeks)
        w = span.steps_window or span.workout_window
        return None if w is None else (w.start, w.end)

    def _refresh_span(self) -> None:
        assert self._bundle is not None
        chart = self.query_one("#steps-chart", DailyChart)
        span = activity_span(self._bundle.daily, self._bundle.today, self.weeks)
        label = self.query_one("#activity-span", Static)
        if span.is_empty:
            chart.set_data([])
            label.update(span.label())
            for tile in self.query(StatTile):
                tile.set_stat(None)
            return
        chart.set_data(span.chart_values(), marked=span.marked())
        mean_steps = span.steps_mean()
        self.query_one("#tile-steps", StatTile).set_stat(
            None if mean_steps is None else round(mean_steps), delta=span.steps_delta()
        )
        self.query_one("#tile-workouts", StatTile).set_stat(
            span.workouts(), delta=span.workouts_delta()
        )
        self.query_one("#tile-workout-time", StatTile).set_stat(span.workout_time())
        self.query_one("#tile-active-days", StatTile).set_stat(span.active_days())
        has_before = span.steps_delta() is not None or span.workouts_delta() is not None
        words = "week" if self.weeks == 1 else f"{self.weeks} weeks"
        label.update(
            span.label()
            + (f" · ▲▼ vs the {words} before" if has_before else "")
            + " · ←/→ pick a day"
        )

    def _refresh_heat(self) -> None:
        assert self._bundle is not None
        h = heat(self._bundle.daily, self._bundle.today, self.heat_metric)
        heatmap = self.query_one("#heatmap", CalendarHeatmap)
        heatmap.title = h.title
        heatmap.set_data(h.values, unit="steps" if self.heat_metric == "steps" else "min")

    def _refresh_workouts(self) -> None:
        assert self._bundle is not None
        table = self.query_one("#workouts", DataTable)
        rows = workout_rows(self._bundle.tables["activities"], self._bundle.tz)
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
        super().on_resize()

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
