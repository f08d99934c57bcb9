"""The span a chart shows: which days, what it is called, and whether it had to move.

A span of N weeks ends on the latest day that can have data (today, or last night). When the
data stopped before that span began, a window there would show nothing: it moves back to end
on the latest day with data, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

SPANS_WEEKS: tuple[int, ...] = (1, 2, 4, 6, 8, 13, 26, 52, 0)
"""Spans the w/W keys step through; 0 is the whole history."""
DEFAULT_WEEKS = 8
CHART_CHROME = 8
"""Columns of a chart that are not bars: padding, y labels and the axis line."""
DAY = dt.timedelta(days=1)


def fitted_weeks(width: int, most: int = DEFAULT_WEEKS) -> int:
    """The longest span up to `most` weeks whose days get two columns each (a bar and a gap).

    At one column per day the bars run together and the chart stops at half the width.
    """
    return max(2, min(most, (width - CHART_CHROME) // 14))


def next_span(weeks: int, step: int) -> int:
    """The next longer (step > 0) or shorter span; a fitted span between two steps moves to
    its neighbour, and 0 (all) counts as the longest."""
    order = [w or 10_000 for w in SPANS_WEEKS]
    current = weeks or 10_000
    if step > 0:
        target = next((w for w in order if w > current), order[-1])
    else:
        target = next((w for w in reversed(order) if w < current), order[0])
    return 0 if target == 10_000 else target


def span_label(weeks: int, noun: str = "nights") -> str:
    """ "all nights" / "all days", "last week", "last 8 weeks"."""
    if weeks == 0:
        return f"all {noun}"
    return "last week" if weeks == 1 else f"last {weeks} weeks"


def fmt_range(start: dt.date, end: dt.date) -> str:
    """ "3 – 9 Jun 2024" is not needed: "3 Jun – 9 Jun 2024"; the start carries its year when
    the range crosses one ("24 Jan 2019 – 4 Dec 2026")."""
    if start.year != end.year:
        return f"{start:%-d %b %Y} – {end:%-d %b %Y}"
    return f"{start:%-d %b} – {end:%-d %b %Y}"


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    weeks: int  # 0: all
    moved: bool = False  # no data in the span up to `latest_possible`: moved back to the data

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def before(self) -> Window:
        """The window of the same length just before this one (for ▲▼ deltas)."""
        length = self.end - self.start + DAY
        return Window(self.start - length, self.start - DAY, self.weeks)

    def label(self, noun: str = "nights") -> str:
        """What the span line starts with: "Last 8 weeks: 3 Jun – 28 Jul 2024", or, moved,
        "Last 8 weeks with nights: 10 Oct – 4 Dec 2024 (none since)"."""
        name = span_label(self.weeks, noun).capitalize()
        if self.moved:
            return f"{name} with {noun}: {fmt_range(self.start, self.end)} (none since)"
        return f"{name}: {fmt_range(self.start, self.end)}"


def window(known: Iterable[dt.date], latest_possible: dt.date, weeks: int) -> Window | None:
    """The window of `weeks` weeks (0: all) over the days in `known` (days with data).

    It ends on `latest_possible` (today, or last night) unless nothing in `known` falls in
    the span up to it; then it ends on the latest known day and is marked as moved. It never
    starts before the first known day. None without any known day.
    """
    days = sorted(d for d in known if d <= latest_possible)
    if not days:
        return None
    first, last = days[0], days[-1]
    if weeks == 0:
        return Window(first, last, 0)
    length = dt.timedelta(days=7 * weeks - 1)
    end, moved = latest_possible, False
    if last < end - length:
        end, moved = last, True
    return Window(max(first, end - length), end, weeks, moved)
