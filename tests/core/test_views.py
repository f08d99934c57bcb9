"""core/views on a long multi-source history (tests/core/history.py): windows start where the
data is and say so, ranges carry their years, counts agree, local times are the night's own."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from dashboard.core.store.config import Config
from dashboard.core.views.activity import activity_span, heat, workout_rows
from dashboard.core.views.sleep import collect_nights, last_possible_night, sleep_span
from dashboard.core.views.span import Window, fmt_range, span_label, window
from tests.core import history as H

BERLIN = ZoneInfo("Europe/Berlin")
D = dt.date


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    return H.history_frames()


@pytest.fixture(scope="module")
def daily(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return H.history_daily(frames, Config(timezone="Europe/Berlin"))


# --- spans -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (D(2019, 1, 24), D(2026, 12, 4), "24 Jan 2019 – 4 Dec 2026"),
        (D(2026, 6, 22), D(2026, 12, 5), "22 Jun – 5 Dec 2026"),
        (D(2024, 12, 30), D(2025, 1, 5), "30 Dec 2024 – 5 Jan 2025"),
    ],
)
def test_a_range_carries_its_years_when_it_spans_them(start: D, end: D, text: str) -> None:
    assert fmt_range(start, end) == text


def test_span_labels_say_the_right_noun() -> None:
    assert span_label(0, "days") == "all days"
    assert span_label(0) == "all nights"
    assert span_label(8, "days") == "last 8 weeks"


def test_a_window_with_no_data_moves_back_to_the_latest_data_and_says_so() -> None:
    known = [D(2022, 12, 1) + dt.timedelta(days=i) for i in range(31)]
    w = window(known, D(2026, 12, 5), 8)
    assert w == Window(D(2022, 11, 6) + dt.timedelta(days=25), D(2022, 12, 31), 8, moved=True)
    assert w.start == D(2022, 12, 1)  # never before the first known day
    assert w.label("steps") == "Last 8 weeks with steps: 1 Dec – 31 Dec 2022 (none since)"
    here = window(known, D(2023, 1, 10), 8)
    assert here is not None and not here.moved and here.end == D(2023, 1, 10)
    assert window([], D(2026, 12, 5), 8) is None


# --- Sleep ---------------------------------------------------------------------------------------


def test_all_nights_span_the_years_and_the_counts_agree(
    frames: dict[str, pl.DataFrame], daily: pl.DataFrame
) -> None:
    nights = collect_nights(daily, frames["sleep_sessions"], BERLIN)
    w = window(nights, last_possible_night(nights, H.TODAY), 0)
    assert w is not None
    span = sleep_span(nights, w)
    assert (w.start, w.end) == (H.OURA[0], H.GARMIN[1])
    expected = frames["sleep_sessions"]["night"].n_unique()
    assert span.count == len(nights) == expected
    assert span.label().startswith(f"All nights: 24 Jan 2019 – 4 Dec 2026 · {expected} nights")
    # the insomnia tile counts against the same nights as the span line
    assert span.insomnia_text() == f"{span.insomnia} of {expected}"
    assert span.unjudged == 0
    values = span.values()
    assert len(values) == (w.end - w.start).days + 1
    assert sum(v is not None for _, v in values) == expected


def test_the_last_weeks_of_sleep_are_the_garmins(
    frames: dict[str, pl.DataFrame], daily: pl.DataFrame
) -> None:
    nights = collect_nights(daily, frames["sleep_sessions"], BERLIN)
    w = window(nights, last_possible_night(nights, H.TODAY), 8)
    assert w is not None and not w.moved and w.end == D(2026, 12, 4)
    assert {n.source for n in sleep_span(nights, w).nights} == {"garmin"}


def test_a_whoop_night_reads_in_the_time_it_was_slept(
    frames: dict[str, pl.DataFrame], daily: pl.DataFrame
) -> None:
    nights = collect_nights(daily, frames["sleep_sessions"], BERLIN)
    home, away = nights[D(2023, 6, 5)], nights[D(2024, 3, 10)]
    assert (home.source, away.source) == ("whoop", "whoop")
    assert home.local_start is not None and away.local_start is not None
    assert (home.local_start.hour, home.local_start.minute) == (20, 24)
    # New York, UTC-04:00: still 20:24 there, not the Berlin hour it was at home
    assert away.utc_offset_min == H.NEW_YORK_OFFSET
    assert (away.local_start.hour, away.local_start.minute) == (20, 24)


# --- Activity ------------------------------------------------------------------------------------


def test_steps_that_stopped_years_ago_still_fill_their_window(daily: pl.DataFrame) -> None:
    span = activity_span(daily, H.TODAY, 8)
    steps_end = H.STEPS_FIRST + dt.timedelta(days=H.STEPS_DAYS - 1)
    assert span.steps_window is not None and span.steps_window.moved
    assert span.steps_window.end == steps_end == D(2017, 6, 5)
    assert all(v is not None for _, v in span.chart_values())
    assert span.steps_mean() is not None
    # workouts run to the Garmin's last one: their own window, today's
    assert span.workout_window is not None and not span.workout_window.moved
    assert span.workouts() is not None and span.workouts() > 0
    assert span.label() == (
        "Last 8 weeks · steps: 11 Apr – 5 Jun 2017 (the latest with steps; none since)"
        " · workouts: 11 Oct – 5 Dec 2026"
    )


def test_all_days_carry_their_years_and_say_days(daily: pl.DataFrame) -> None:
    span = activity_span(daily, H.TODAY, 0)
    assert span.steps_window is not None
    assert span.label() == (
        "All days · steps: 1 Mar 2013 – 5 Jun 2017 · workouts: 4 Jan 2023 – 1 Dec 2026"
    )
    assert len(span.chart_values()) == H.STEPS_DAYS


def test_the_heat_map_shows_the_year_the_metric_has(daily: pl.DataFrame) -> None:
    workouts = heat(daily, H.TODAY, "workout")
    assert any(v for v in workouts.values.values())
    steps = heat(daily, H.TODAY, "steps")
    assert max(steps.values) == D(2017, 6, 5)
    assert sum(v is not None for v in steps.values.values()) > 300
    assert "(none since)" in steps.title and "2017" in steps.title


def test_workout_rows_are_in_the_time_they_were_done(frames: dict[str, pl.DataFrame]) -> None:
    rows = workout_rows(frames["activities"], BERLIN)
    assert rows and all(r[1] == "18:00" for r in rows)
    assert rows[0][0].endswith("2026")


def test_a_year_without_any_tracker_is_not_a_year_without_workouts(daily: pl.DataFrame) -> None:
    # 2025: no night, no steps, no workout recorded. The daily frame fills 0 minutes between
    # the first and last workout; the view does not count those days as known.
    span = activity_span(daily, H.TODAY, 0)
    assert span.workout[D(2025, 6, 1)] is None
    assert span.workout[D(2024, 6, 3)] is not None  # a Whoop night: the strap was on
    active = span.active_days()
    assert active is not None
    known = int(active.split(" of ")[1])
    assert known < (D(2026, 12, 1) - D(2023, 1, 4)).days - 365
    year = heat(daily, H.TODAY, "workout")
    assert year.values[D(2026, 3, 2)] is None  # before the Garmin: no data, not 0 minutes


def test_a_workout_count_compares_only_windows_the_data_covers_alike() -> None:
    from dashboard.core.views.activity import ActivitySpan
    from dashboard.core.views.span import Window

    d0 = dt.date(2026, 1, 1)
    now = Window(d0 + dt.timedelta(days=14), d0 + dt.timedelta(days=27), 2)

    def span(covered_before: int) -> ActivitySpan:
        days = [d0 + dt.timedelta(days=i) for i in range(14 - covered_before, 28)]
        workout = {d: 30.0 for d in days}
        return ActivitySpan(2, {}, workout, {d: 1.0 for d in days}, None, now)

    assert span(14).workouts_delta() == 0  # both fortnights worn every day
    assert span(3).workouts_delta() is None  # 3 days worn before: a count says nothing
