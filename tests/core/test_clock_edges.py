"""The clock's edges people meet: just after midnight, clock skew, travel and DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dashboard.core.clock import SKEW, now_utc, parse_when
from dashboard.core.errors import UserError

BERLIN = ZoneInfo("Europe/Berlin")
ADAK = ZoneInfo("America/Adak")


def at(local: str, tz: ZoneInfo = BERLIN) -> dt.datetime:
    return dt.datetime.fromisoformat(local).replace(tzinfo=tz).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("typed", "now_local", "suggested"),
    [
        ("08:00", "2026-12-05T05:00", "--at 'yesterday 08:00'"),
        ("23:30", "2026-12-05T00:10", "--at 'yesterday 23:30'"),
        ("8:05", "2026-12-05T08:00", "--at 'yesterday 08:05'"),
    ],
)
def test_a_bare_time_still_to_come_is_refused_with_yesterdays(
    typed: str, now_local: str, suggested: str
) -> None:
    with pytest.raises(UserError) as err:
        parse_when(typed, at(now_local), BERLIN)
    line = str(err.value)
    assert suggested in line and "still to come" in line and "\n" not in line


def test_yesterday_is_the_day_before_the_local_date_just_after_midnight() -> None:
    # 00:10 in Berlin is still 23:10 the day before in UTC: the day is the configured zone's
    instant, offset = parse_when("yesterday 23:30", at("2026-12-05T00:10"), BERLIN)
    assert instant == at("2026-12-04T23:30") and offset == 60


@pytest.mark.parametrize("ahead", [dt.timedelta(0), dt.timedelta(minutes=1), SKEW])
def test_within_two_minutes_ahead_counts_as_now(ahead: dt.timedelta) -> None:
    now = at("2026-12-05T08:00")
    typed = (now + ahead).astimezone(BERLIN)
    instant, _ = parse_when(f"{typed:%H:%M}", now, BERLIN)
    assert instant == now + ahead


def test_three_minutes_ahead_is_refused() -> None:
    with pytest.raises(UserError):
        parse_when("08:03", at("2026-12-05T08:00"), BERLIN)


def test_an_offset_from_another_zone_is_kept() -> None:
    instant, offset = parse_when("2026-12-01T08:00-05:00", at("2026-12-05T08:00"), BERLIN)
    assert instant == dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC) and offset == -300


def test_the_skipped_hour_of_spring_forward_is_refused() -> None:
    # Europe/Berlin, 2026-03-29: 02:00 CET became 03:00 CEST
    now = at("2026-03-29T12:00")
    with pytest.raises(UserError) as err:
        parse_when("02:30", now, BERLIN)
    line = str(err.value)
    assert "did not happen on 2026-03-29" in line and "forward 1 h" in line and "03:30" in line
    with pytest.raises(UserError):
        parse_when("2026-03-29T02:30", now, BERLIN)
    # either side of the gap is fine, and an explicit offset is taken as given
    assert parse_when("01:59", now, BERLIN) == (at("2026-03-29T01:59"), 60)
    assert parse_when("03:00", now, BERLIN)[1] == 120
    assert parse_when("2026-03-29T02:30+01:00", now, BERLIN)[1] == 60


def test_the_repeated_hour_of_fall_back_is_the_first_unless_the_offset_says() -> None:
    # America/Adak, 2026-11-01: 01:00 HDT (-9) is followed by 01:00 HST (-10)
    now = at("2026-11-01T12:00", ADAK)
    first, off1 = parse_when("01:30", now, ADAK)
    assert (first, off1) == (dt.datetime(2026, 11, 1, 10, 30, tzinfo=dt.UTC), -540)
    second, off2 = parse_when("2026-11-01T01:30-10:00", now, ADAK)
    assert second - first == dt.timedelta(hours=1) and off2 == -600


def test_now_is_pinned_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAPERDASH_NOW", "2026-03-29T01:59:30+01:00")
    assert now_utc() == dt.datetime(2026, 3, 29, 0, 59, 30, tzinfo=dt.UTC)
    for bad in ("2026-03-29T01:59", "soon"):
        monkeypatch.setenv("TAPERDASH_NOW", bad)
        with pytest.raises(UserError, match="TAPERDASH_NOW"):
            now_utc()
