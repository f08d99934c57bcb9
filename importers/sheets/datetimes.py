"""Dates and times as people type them, and the one question a file may leave open: whether
`05/03/2026` is the 5th of March (day-first) or the 3rd of May (month-first).

`date_order` looks at a whole column: a day above 12 in either place settles it; a column where
every value fits both ways is ambiguous, and the caller asks instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from importers.vendors import _csv

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$")
_TIME = re.compile(
    r"^(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2})(?:[.,]\d+)?)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$",
    re.IGNORECASE,
)
# a timestamp: a date, then T or spaces (or ", "), then a time, maybe an offset or Z
_STAMP = re.compile(r"^(\S+?)(?:T|,?\s+)(.+)$")
_OFFSET = re.compile(r"^(.*?)\s*(Z|[+-]\d{2}:?\d{2})$")


class BadValue(ValueError):
    """A cell that is not a date or time; the message says what was expected."""


def _year(raw: str) -> int:
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def parts(raw: str) -> tuple[int, int, int] | None:
    """A numeric non-ISO date's (first, second, year), or None for ISO or not a date."""
    m = _NUMERIC.match(raw.strip())
    return (int(m.group(1)), int(m.group(3)), _year(m.group(4))) if m else None


def date_order(values: Iterable[str]) -> tuple[str | None, str | None]:
    """(order, example): "dmy" or "mdy" when a value settles it, None when every value fits
    both ("ambiguous") or no value is a numeric non-ISO date (nothing to settle); raises
    BadValue when values contradict each other."""
    dayfirst: str | None = None
    monthfirst: str | None = None
    example: str | None = None
    for raw in values:
        p = parts(_date_part(raw))
        if p is None:
            continue
        a, b, _ = p
        if "." in _date_part(raw) and b <= 12:
            # 05.03.2026 is day-first wherever dots are written (DE, AT, CH, PL, RU ...);
            # no month-first convention uses them
            dayfirst = dayfirst or raw.strip()
            continue
        example = example or raw.strip()
        if a > 12 and b <= 12:
            dayfirst = dayfirst or raw.strip()
        elif b > 12 and a <= 12:
            monthfirst = monthfirst or raw.strip()
    if dayfirst and monthfirst:
        raise BadValue(
            f"dates are written both day-first ({dayfirst!r}) and month-first ({monthfirst!r})"
        )
    if dayfirst:
        return "dmy", dayfirst
    if monthfirst:
        return "mdy", monthfirst
    return None, example


def _date_part(raw: str) -> str:
    m = _STAMP.match(raw.strip())
    return m.group(1) if m else raw.strip()


def parse_date(raw: str, order: str | None) -> dt.date:
    text = raw.strip()
    m = _ISO.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        p = parts(text)
        if p is None:
            raise BadValue(f"not a date: {raw!r}")
        a, b, year = p
        if order is None:  # the caller settles the order first; here only if nothing needs it
            raise BadValue(f"cannot tell day from month in {raw!r}")
        day, month = (a, b) if order == "dmy" else (b, a)
        return dt.date(year, month, day)
    except ValueError as exc:
        if isinstance(exc, BadValue):
            raise
        how = {"dmy": " (read day-first)", "mdy": " (read month-first)"}.get(order or "", "")
        raise BadValue(f"not a date: {raw!r}{how}") from None


def parse_time(raw: str) -> dt.time:
    """`08:20`, `8:20:15`, `8:20 PM`, `8 pm`, `20.20`, `20h20`."""
    m = _TIME.match(raw.strip())
    if not m:
        raise BadValue(f"not a time: {raw!r}")
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    ampm = (m.group(4) or "").lower().replace(".", "").replace(" ", "")
    if m.group(2) is None and not ampm:
        raise BadValue(f"not a time: {raw!r}")  # a bare number is not a time
    if ampm:
        if not 1 <= hour <= 12:
            raise BadValue(f"not a 12-hour time: {raw!r}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise BadValue(f"not a time: {raw!r}")
    return dt.time(hour, minute, second)


def parse_stamp(raw: str, order: str | None) -> tuple[dt.date, dt.time, int | None]:
    """A date and a time in one cell: (date, time, offset minutes if the cell gives one)."""
    text = raw.strip()
    offset: int | None = None
    m = _OFFSET.match(text)
    if m and _STAMP.match(m.group(1)):
        text, zone = m.group(1), m.group(2)
        try:
            # the vendors' rule: at most 14 h either way (+99:99 or +23:00 is no place on Earth)
            offset = _csv.parse_offset(zone, None)
        except _csv.RowError:
            raise BadValue(f"not a UTC offset (at most ±14:00): {zone!r} in {raw!r}") from None
    m = _STAMP.match(text)
    if not m:
        raise BadValue(f"not a date and time: {raw!r}")
    return parse_date(m.group(1), order), parse_time(m.group(2)), offset


def stamp_date_only(raw: str, order: str | None) -> dt.date:
    """The date of a timestamp cell, or of a plain date cell."""
    return parse_date(_date_part(raw), order)
