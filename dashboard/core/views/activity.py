"""The Activity screen's view model: the steps and workout windows, their tiles, the heat map's
year, and the workouts table.

Steps and workouts often come from different trackers over different years (steps from a phone
since 2013, workouts from a Whoop in 2023–24): each series gets its own window, so neither
shows "no data" while the other's latest weeks are on screen. Polars is not imported here at
module level (the screen imports this at start-up, budgeted without Polars).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dashboard.core.store.vocab import EXERCISE_MIN
from dashboard.core.views.span import Window, fmt_range, span_label, window
from dashboard.core.words import short_hm

if TYPE_CHECKING:
    import polars as pl

HEAT_WEEKS = 53
WORKOUT_ROWS = 200
"""The table is for looking back a few weeks; the store keeps the rest."""
MIN_BEFORE = 3
"""Days with data in the window before, below which no ▲▼ delta is shown."""
COMPARABLE = 0.8
"""A count's window before must cover this share of the days this one covers."""

DayValues = dict[dt.date, float | None]


def day_values(daily: pl.DataFrame, column: str) -> DayValues:
    return {d: v for d, v in daily.select("date", column).iter_rows() if d is not None}


def _known(values: DayValues) -> list[dt.date]:
    return [d for d, v in values.items() if v is not None]


def _in(values: DayValues, w: Window) -> list[float]:
    return [v for d, v in values.items() if v is not None and w.start <= d <= w.end]


@dataclass(frozen=True)
class ActivitySpan:
    """What the Activity screen shows for a span of `weeks` (0: all)."""

    weeks: int
    steps: DayValues
    workout: DayValues
    count: DayValues
    steps_window: Window | None
    workout_window: Window | None

    @property
    def is_empty(self) -> bool:
        return self.steps_window is None and self.workout_window is None

    # -- the chart: steps over their own window, ≥ 30 min workout days marked ------------------
    def chart_values(self) -> list[tuple[dt.date, float | None]]:
        w = self.steps_window
        return [] if w is None else [(d, self.steps.get(d)) for d in w.days]

    def marked(self) -> set[dt.date]:
        w = self.steps_window
        if w is None:
            return set()
        return {d for d in w.days if (self.workout.get(d) or 0) >= EXERCISE_MIN}

    # -- tiles ---------------------------------------------------------------------------------
    def steps_mean(self) -> float | None:
        vals = _in(self.steps, self.steps_window) if self.steps_window else []
        return statistics.fmean(vals) if vals else None

    def steps_delta(self) -> int | None:
        w, mean = self.steps_window, self.steps_mean()
        if w is None or mean is None or self.weeks == 0:
            return None
        before = _in(self.steps, w.before())
        return round(mean - statistics.fmean(before)) if len(before) >= MIN_BEFORE else None

    def workout_days(self) -> list[float]:
        return _in(self.workout, self.workout_window) if self.workout_window else []

    def workouts(self) -> int | None:
        if not self.workout_days():
            return None
        assert self.workout_window is not None
        return int(sum(_in(self.count, self.workout_window)))

    def workouts_delta(self) -> int | None:
        w, n = self.workout_window, self.workouts()
        if w is None or n is None or self.weeks == 0:
            return None
        before = w.before()
        # a count compares only over windows the data covers alike: 60 workouts against the 11
        # of a window the tracker wore for three weeks of thirteen is no "+49"
        covered_now, covered_before = len(self.workout_days()), len(_in(self.workout, before))
        if covered_before < max(MIN_BEFORE, COMPARABLE * covered_now):
            return None
        return n - int(sum(_in(self.count, before)))

    def workout_time(self) -> str | None:
        days = self.workout_days()
        return short_hm(sum(days)) if days else None

    def active_days(self) -> str | None:
        days = self.workout_days()
        if not days:
            return None
        return f"{sum(1 for v in days if v >= EXERCISE_MIN)} of {len(days)}"

    # -- the span line -------------------------------------------------------------------------
    def label(self) -> str:
        """ "Last 8 weeks: 11 Oct – 5 Dec 2026" when steps and workouts share a window, else
        each series' own: "Last 8 weeks · steps: 11 Apr – 5 Jun 2017 (the latest with steps;
        none since) · workouts: 11 Oct – 5 Dec 2026"."""
        s, w = self.steps_window, self.workout_window
        if s is None and w is None:
            return "No steps or workouts yet: import a wearable's export on the Imports screen (7)."
        if s is not None and w is not None and (s.start, s.end) == (w.start, w.end):
            return s.label("days")
        name = span_label(self.weeks, "days").capitalize()
        return f"{name} · {_part(s, 'steps')} · {_part(w, 'workouts')}"


def _part(w: Window | None, noun: str) -> str:
    if w is None:
        return f"no {noun} recorded"
    moved = f" (the latest with {noun}; none since)" if w.moved else ""
    return f"{noun}: {fmt_range(w.start, w.end)}{moved}"


def activity_span(daily: pl.DataFrame, today: dt.date, weeks: int) -> ActivitySpan:
    """Each series' window ends today (a day in progress is still worth seeing) unless the
    series stopped before the span began: then it ends on that series' latest day."""
    from dashboard.core.analysis import columns as C

    steps = day_values(daily, C.STEPS)
    count = day_values(daily, C.WORKOUTS_N)
    workout = tracked_workouts(daily)
    return ActivitySpan(
        weeks=weeks,
        steps=steps,
        workout=workout,
        count=count,
        steps_window=window(_known(steps), today, weeks),
        workout_window=window(_workout_days(workout, count), today, weeks),
    )


def tracked_workouts(daily: pl.DataFrame) -> DayValues:
    """Workout minutes per day, None on days no tracker was worn.

    The daily frame gives 0 minutes to every day between the first and the last activity
    record, a year with no tracker at all included; "0 of 365 days with a workout" would
    claim a year nobody recorded. A day counts when it has a workout, steps, or a device's
    night.
    """
    from dashboard.core.analysis import columns as C
    from dashboard.core.views.sleep import is_diary_source

    out: DayValues = {}
    rows = daily.select(C.DATE, C.WORKOUT_MIN, C.WORKOUTS_N, C.STEPS, C.SLEEP_SOURCE).iter_rows()
    for day, minutes, n, steps, source in rows:
        if day is None:
            continue
        device_night = source is not None and not is_diary_source(source)
        worn = bool(n) or steps is not None or device_night
        out[day] = minutes if worn else None
    return out


def _workout_days(workout: DayValues, count: DayValues) -> list[dt.date]:
    """Days that count for workouts: from the first recorded workout on. The daily frame
    gives 0 minutes to every day a tracker covered (steps from 2013 included), which would
    start "all workouts" years before the first one."""
    first = min((d for d, n in count.items() if n), default=None)
    if first is None:
        return []
    return [d for d in _known(workout) if d >= first]


@dataclass(frozen=True)
class Heat:
    values: DayValues
    title: str


def heat(daily: pl.DataFrame, today: dt.date, metric: str) -> Heat:
    """A year of the metric ("workout" minutes or "steps"), ending today or, when the metric
    stopped more than a year ago, on its latest day (the title says which year)."""
    from dashboard.core.analysis import columns as C

    if metric == "steps":
        values, title, other = day_values(daily, C.STEPS), "Steps per day", "workout minutes"
    else:
        values, title, other = tracked_workouts(daily), "Workout minutes per day", "steps"
    w = window(_known(values), today, HEAT_WEEKS)
    if w is None:
        return Heat({}, f"{title}   (m: {other})")
    shown = {d: v for d, v in values.items() if w.start <= d <= w.end}
    when = f" · {w.label('data')}" if w.moved else ""
    return Heat(shown, f"{title}{when}   (m: {other})")


def workout_rows(
    activities: pl.DataFrame, tz: ZoneInfo, limit: int = WORKOUT_ROWS
) -> list[tuple[str, ...]]:
    """Recent workouts, newest first, as table cells in the local time they were done in."""
    import polars as pl

    from importers.model import local_of_py

    if activities.is_empty():
        return []
    acts = (
        activities.filter(pl.col("start").is_not_null()).sort("start", descending=True).head(limit)
    )
    rows: list[tuple[str, ...]] = []
    for r in acts.iter_rows(named=True):
        start = r["start"]
        local = local_of_py(start, r["utc_offset_min"], tz)
        minutes = r["duration_min"]
        if minutes is None and r["end"] is not None:
            minutes = (r["end"] - start).total_seconds() / 60
        rows.append(
            (
                f"{local:%a %-d %b %Y}",
                f"{local:%H:%M}",
                (r["sport"] or "workout").replace("_", " "),
                short_hm(minutes) if minutes is not None else "—",
                fmt_distance(r["distance_m"]),
                f"{r['avg_hr']:.0f}" if r["avg_hr"] is not None else "—",
                r["source"] or "",
            )
        )
    return rows


def fmt_distance(metres: float | None) -> str:
    if metres is None or metres <= 0:
        return "—"
    return f"{metres / 1000:.1f} km" if metres >= 100 else f"{metres:.0f} m"
