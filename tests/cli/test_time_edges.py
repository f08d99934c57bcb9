"""The clock's edges through the command line: doses either side of midnight, `--at` just
after midnight, travel, a change of the configured zone, and DST nights and weeks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from dashboard.core.analysis.daily import local_doses
from dashboard.core.store import config as config_mod
from dashboard.core.store.disk import Store


def _zone(home: Path, name: str) -> None:
    config_mod.save(home, dataclasses.replace(config_mod.load(home), timezone=name))


def _dose_days(home: Path) -> dict[float, dt.date]:
    live = local_doses(Store(home).read("doses"), config_mod.load(home))
    return dict(zip(live["grams"].to_list(), live["date"].to_list(), strict=True))


def test_doses_either_side_of_midnight_land_on_their_own_days(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _zone(home, "Europe/Berlin")
    monkeypatch.setenv("TAPERDASH_NOW", "2026-12-05T23:58:00+01:00")
    assert cli("log", "1.5")[0] == 0
    monkeypatch.setenv("TAPERDASH_NOW", "2026-12-06T00:02:00+01:00")
    assert cli("log", "2.5")[0] == 0
    assert _dose_days(home) == {1.5: dt.date(2026, 12, 5), 2.5: dt.date(2026, 12, 6)}


@pytest.mark.parametrize(
    ("now", "typed", "hint"),
    [
        ("2026-12-05T05:00:00+01:00", "08:00", "yesterday 08:00"),
        ("2026-12-06T00:10:00+01:00", "23:30", "yesterday 23:30"),
    ],
)
def test_at_a_time_still_to_come_suggests_yesterday(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch, now: str, typed: str, hint: str
) -> None:
    _zone(home, "Europe/Berlin")
    monkeypatch.setenv("TAPERDASH_NOW", now)
    rc, _, err = cli("log", "3", "--at", typed)
    assert rc == 2 and hint in err and len(err.strip().splitlines()) == 1
    assert Store(home).read("doses").height == 0
    assert cli("log", "3", "--at", hint)[0] == 0
    day = dt.date.fromisoformat(now[:10]) - dt.timedelta(days=1)
    assert _dose_days(home) == {3.0: day}


def test_a_dose_logged_abroad_keeps_the_day_it_was_lived(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _zone(home, "Europe/Berlin")
    # 23:30 in New York is 05:30 the next morning in Berlin: the person lived it on the 1st
    assert cli("log", "2", "--at", "2026-12-01T23:30-05:00")[0] == 0
    assert cli("log", "1", "--at", "2026-12-02T08:00+01:00")[0] == 0
    before = _dose_days(home)
    assert before == {2.0: dt.date(2026, 12, 1), 1.0: dt.date(2026, 12, 2)}
    # moving house to another zone does not move the past
    _zone(home, "Pacific/Kiritimati")
    assert _dose_days(home) == before
    _zone(home, "America/Adak")
    assert _dose_days(home) == before
    table = Store(home).read("doses").sort("id")
    assert table["utc_offset_min"].to_list() == [-300, 60]


def test_the_skipped_hour_is_refused_and_nothing_is_written(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _zone(home, "Europe/Berlin")
    monkeypatch.setenv("TAPERDASH_NOW", "2026-03-29T12:00:00+02:00")
    rc, _, err = cli("log", "2", "--at", "02:30")
    assert rc == 2 and "did not happen on 2026-03-29" in err
    assert Store(home).read("doses").height == 0


def test_the_repeated_hour_stores_the_offset_it_had(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _zone(home, "Europe/Berlin")
    monkeypatch.setenv("TAPERDASH_NOW", "2026-10-25T12:00:00+01:00")
    assert cli("log", "1", "--at", "02:30")[0] == 0  # the first 02:30, summer time
    assert cli("log", "2", "--at", "2026-10-25T02:30+01:00")[0] == 0  # the second
    table = Store(home).read("doses").sort("id")
    assert table["utc_offset_min"].to_list() == [120, 60]
    first, second = table["taken_at"].to_list()
    assert second - first == dt.timedelta(hours=1)
    assert _dose_days(home) == {1.0: dt.date(2026, 10, 25), 2.0: dt.date(2026, 10, 25)}


@pytest.mark.parametrize(
    ("night", "now", "in_bed_min"),
    [
        ("2026-03-28", "2026-03-29T12:00:00+02:00", 7 * 60),  # spring forward: a 23 h day
        ("2026-10-24", "2026-10-25T12:00:00+01:00", 9 * 60),  # fall back: a 25 h day
        ("2026-11-07", "2026-11-08T12:00:00+01:00", 8 * 60),  # an ordinary night
    ],
)
def test_a_night_across_a_dst_change_is_as_long_as_it_was(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch, night: str, now: str, in_bed_min: int
) -> None:
    _zone(home, "Europe/Berlin")
    monkeypatch.setenv("TAPERDASH_NOW", now)
    rc, out, err = cli(
        "diary",
        "--date",
        night,
        "--bedtime",
        "23:00",
        "--latency",
        "0",
        "--awakenings",
        "0",
        "--waso",
        "0",
        "--wake",
        "07:00",
        "--out-of-bed",
        "07:00",
        "--quality",
        "3",
        "--json",
    )
    assert rc == 0, err
    row = json.loads(out)
    assert row["time_in_bed_min"] == in_bed_min and row["asleep_min"] == in_bed_min


def test_the_review_of_a_week_holding_a_dst_change_has_seven_days(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _zone(home, "Europe/Berlin")
    monkeypatch.setenv("TAPERDASH_NOW", "2026-04-06T12:00:00+02:00")
    # 2026-W13 is Mon 23 Mar to Sun 29 Mar; the clocks went forward on the Sunday
    for day in range(23, 30):
        assert cli("log", "2", "--at", f"2026-03-{day}T21:30")[0] == 0
    assert cli("log", "1", "--at", "2026-03-29T03:10")[0] == 0  # just after the gap
    rc, out, err = cli("review", "--week", "2026-W13", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert (doc["start"], doc["end"]) == ("2026-03-23", "2026-03-29")
    assert doc["dose"]["total_g"] == 15.0
    assert doc["dose"]["daily_mean_g"] == pytest.approx(15 / 7, abs=0.01)
    days = pl.Series(list(_dose_days(home).values()))
    assert days.max() == dt.date(2026, 3, 29)
