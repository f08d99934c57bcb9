from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dashboard.core.clock import parse_when
from dashboard.core.errors import UserError

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "utc", "offset"),
    [
        ("08:30", dt.datetime(2026, 11, 25, 7, 30, tzinfo=dt.UTC), 60),
        ("yesterday 21:30", dt.datetime(2026, 11, 24, 20, 30, tzinfo=dt.UTC), 60),
        ("2026-07-01T08:00", dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC), 120),
        ("2026-07-01T08:00+05:30", dt.datetime(2026, 7, 1, 2, 30, tzinfo=dt.UTC), 330),
        ("2026-07-01 08:00", dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC), 120),
    ],
)
def test_parse_when(text: str, utc: dt.datetime, offset: int) -> None:
    assert parse_when(text, NOW, BERLIN) == (utc, offset)


@pytest.mark.parametrize("text", ["25:00", "tomorrowish", "21h30", ""])
def test_parse_when_refuses(text: str) -> None:
    with pytest.raises(UserError):
        parse_when(text, NOW, BERLIN)
