"""Week arithmetic: labels (YYYY-Www), bounds and neighbours, for any configured week start.

Weeks start on config.week_start: ISO weeks for "monday"; for "sunday" the week labelled
2026-W47 is the ISO week 2026-W47 moved one day earlier (Sunday to Saturday).
"""

from __future__ import annotations

import datetime as dt
import re

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


DAY = dt.timedelta(days=1)


class WeekError(ValueError):
    """A week label that is not YYYY-Www or names a week the year does not have."""


def week_bounds(week: str, week_start: str = "monday") -> tuple[dt.date, dt.date]:
    """First and last local day of the week labelled `week`."""
    match = _WEEK_RE.match(week)
    if not match:
        raise WeekError(f"not a week: {week!r} (expected YYYY-Www, e.g. 2026-W47)")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise WeekError(f"no such week: {week}") from exc
    start = monday - DAY if week_start == "sunday" else monday
    return start, start + 6 * DAY


def week_of(day: dt.date, week_start: str = "monday") -> str:
    # A Sunday-start week holds the Sunday before its ISO Monday, so label by the next day.
    iso = (day + DAY if week_start == "sunday" else day).isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def previous_week(week: str, week_start: str = "monday") -> str:
    return week_of(week_bounds(week, week_start)[0] - DAY, week_start)


def next_week(week: str, week_start: str = "monday") -> str:
    return week_of(week_bounds(week, week_start)[1] + DAY, week_start)
