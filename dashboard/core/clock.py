"""Parsing the times people type, and the local offset of an instant."""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

from dashboard.core.errors import UserError

# The one place "now" comes from. Tests and demos pin it (an ISO 8601 instant with an offset),
# so nothing depends on the hour the suite happens to run at.
ENV_NOW = "TAPERDASH_NOW"


def now_utc() -> dt.datetime:
    """Now, in UTC: the pinned instant (TAPERDASH_NOW) or the wall clock."""
    raw = os.environ.get(ENV_NOW)
    if not raw:
        return dt.datetime.now(dt.UTC)
    try:
        pinned = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise UserError(
            f"{ENV_NOW}={raw!r}: expected an instant like 2026-11-25T21:30+01:00"
        ) from None
    if pinned.tzinfo is None:
        raise UserError(f"{ENV_NOW}={raw!r}: give the offset too, e.g. 2026-11-25T21:30+01:00")
    return pinned.astimezone(dt.UTC)


def today_for(tz: ZoneInfo, pinned: str | None) -> dt.date:
    """The dashboard's today: the pinned day (demo, tests) or the local date now."""
    if pinned:
        return dt.date.fromisoformat(pinned)
    return now_utc().astimezone(tz).date()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> dt.date:
    """A calendar date as YYYY-MM-DD; a day that does not exist (2026-02-30) is said to be one."""
    raw = text.strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        if _ISO_DATE.match(raw):
            raise UserError(f"{raw} is not a date") from None
        raise UserError(f"{raw!r} is not a date like 2026-11-24") from None


_CLOCK = re.compile(r"^(?:(today|yesterday)\s+)?(\d{1,2}):(\d{2})$", re.IGNORECASE)

# A phone and a computer disagree by a minute or two: a time this far ahead of now is now.
SKEW = dt.timedelta(minutes=2)


def offset_min(instant: dt.datetime, tz: ZoneInfo) -> int:
    off = instant.astimezone(tz).utcoffset()
    return int(off.total_seconds() // 60) if off is not None else 0


def _exists(local: dt.datetime) -> bool:
    """False for a wall time skipped when the clocks went forward (it maps back to another)."""
    back = local.astimezone(dt.UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def _gap_line(text: str, local: dt.datetime, tz: ZoneInfo) -> str:
    # the offsets a few hours either side of the gap: the jump is their difference
    day = local.replace(tzinfo=None)
    early = (day - dt.timedelta(hours=3)).replace(tzinfo=tz).utcoffset() or dt.timedelta(0)
    late = (day + dt.timedelta(hours=3)).replace(tzinfo=tz).utcoffset() or dt.timedelta(0)
    jump = late - early
    minutes = int(jump.total_seconds() // 60)
    shift = f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
    return (
        f"--at {text!r}: {local:%H:%M} did not happen on {local:%Y-%m-%d} in {tz.key} (the "
        f"clocks went forward {shift} that night: it was {day + jump:%H:%M} already); type "
        "the time the clock showed"
    )


def parse_when(text: str, now: dt.datetime, tz: ZoneInfo) -> tuple[dt.datetime, int]:
    """`21:30`, `yesterday 21:30` or ISO 8601 -> (UTC instant, local offset in minutes).

    A bare clock time means today in the configured zone; ISO without an offset is local too.
    A bare time still to come today is refused with the line for yesterday's (a dose logged
    after midnight is last evening's more often than a typo). A wall time the clocks skipped
    (spring forward) is refused; one they repeated (fall back) is the first of the two, and
    ISO with an offset (`2026-10-25T02:30+01:00`) names the second.
    """
    raw = text.strip()
    m = _CLOCK.match(raw)
    if m:
        day_word, hh, mm = m.groups()
        hour, minute = int(hh), int(mm)
        if hour > 23 or minute > 59:
            raise UserError(f"--at {text!r}: not a clock time (HH:MM, 00:00 to 23:59)")
        day = now.astimezone(tz).date()
        if day_word and day_word.lower() == "yesterday":
            day -= dt.timedelta(days=1)
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
        if not _exists(local):
            raise UserError(_gap_line(text, local, tz))
        if not day_word and local > now + SKEW:
            raise UserError(
                f"--at {text!r}: {hour:02d}:{minute:02d} today is still to come (it is "
                f"{now.astimezone(tz):%H:%M} now); for last night's, type "
                f"--at 'yesterday {hour:02d}:{minute:02d}'"
            )
    else:
        try:
            parsed = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
        except ValueError:
            raise UserError(
                f"--at {text!r}: expected 21:30, 'yesterday 21:30' or ISO 8601 like 2026-11-24T21:30"
            ) from None
        local = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        if parsed.tzinfo is None and not _exists(local):
            raise UserError(_gap_line(text, local, tz))
    instant = local.astimezone(dt.UTC)
    offset = local.utcoffset()
    assert offset is not None  # aware by construction
    return instant, int(offset.total_seconds() // 60)


def effective_now(tz: ZoneInfo, pinned: dt.date | None) -> dt.datetime:
    """Now, in UTC; with a pinned "today" (the demo, tests), no later than that day's end."""
    now = now_utc()
    if pinned is None:
        return now
    return min(now, dt.datetime.combine(pinned, dt.time(23, 59), tzinfo=tz).astimezone(dt.UTC))
