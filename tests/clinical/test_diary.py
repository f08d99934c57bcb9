"""Sleep diary: minutes from the Consensus Sleep Diary items, DST nights, validation, and the
rule that devices and the diary never mix in one series."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import nights, series_kind
from dashboard.core.clinical.diary import (
    DiaryInput,
    InvalidDiary,
    compute,
    nights_side_by_side,
    parse_clock,
    stored_entry,
    upsert_diary,
)
from dashboard.core.store.config import Config, ConfigError, parse
from tests.core.conftest import sessions

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def entry(night: dt.date = dt.date(2026, 11, 23), **kw: object) -> DiaryInput:
    base: dict[str, object] = {
        "night": night,
        "bedtime": dt.time(23, 10),
        "latency_min": 20.0,
        "awakenings": 2,
        "waso_min": 25.0,
        "wake": dt.time(6, 40),
        "out_of_bed": dt.time(7, 0),
        "quality": 3,
    }
    base.update(kw)
    return DiaryInput(**base)  # type: ignore[arg-type]


def test_minutes_from_the_items() -> None:
    n = compute(entry(), BERLIN, NOW)
    # in bed 23:10 -> 07:00 = 470; asleep = (23:10 -> 06:40 = 450) - 20 - 25 = 405
    assert n.in_bed_min == 470.0
    assert n.asleep_min == 405.0
    assert n.awake_min == 65.0
    assert n.efficiency == pytest.approx(405 / 470)
    assert n.bed_at == dt.datetime(2026, 11, 23, 22, 10, tzinfo=dt.UTC)  # +01:00 in November
    assert n.out_at == dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    assert n.utc_offset_min == 60
    row = n.row()
    assert (row["source"], row["source_id"], row["night"], row["score"]) == (
        "diary",
        "2026-11-23",
        dt.date(2026, 11, 23),
        3.0,
    )


def test_a_bedtime_after_midnight_belongs_to_the_previous_evening() -> None:
    n = compute(
        entry(bedtime=dt.time(0, 30), wake=dt.time(7, 0), out_of_bed=dt.time(7, 30)), BERLIN, NOW
    )
    assert n.bed_at == dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 24th, local
    assert n.in_bed_min == 420.0
    assert n.asleep_min == 390.0 - 45.0


def test_the_night_the_clocks_go_back_has_an_hour_more() -> None:
    # Berlin: Sun 25 Oct 2026 03:00 CEST -> 02:00 CET. 23:00 to 07:00 on the wall is 9 h.
    n = compute(
        entry(
            dt.date(2026, 10, 24),
            bedtime=dt.time(23, 0),
            wake=dt.time(6, 30),
            out_of_bed=dt.time(7, 0),
            latency_min=10.0,
            waso_min=20.0,
            awakenings=1,
        ),
        BERLIN,
        NOW,
    )
    assert n.in_bed_min == 540.0
    assert n.asleep_min == 7.5 * 60 + 60 - 10 - 20  # 480: 7.5 h on the wall + the repeated hour
    assert n.utc_offset_min == 120  # the offset at bedtime


def test_the_night_the_clocks_go_forward_has_an_hour_less() -> None:
    # Berlin: Sun 29 Mar 2026 02:00 CET -> 03:00 CEST. 23:00 to 07:00 on the wall is 7 h.
    n = compute(
        entry(
            dt.date(2026, 3, 28),
            bedtime=dt.time(23, 0),
            wake=dt.time(7, 0),
            out_of_bed=dt.time(7, 0),
            latency_min=0.0,
            waso_min=0.0,
            awakenings=0,
        ),
        BERLIN,
        NOW,
    )
    assert n.in_bed_min == 420.0
    assert n.asleep_min == 420.0
    assert n.efficiency == 1.0


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"quality": 0}, "quality must be 1"),
        ({"quality": 6}, "quality must be 1"),
        ({"latency_min": -5.0}, "time to fall asleep"),
        ({"awakenings": 0}, "0 awakenings"),
        ({"awakenings": -1}, "awakenings must be"),
        ({"latency_min": 300.0, "waso_min": 200.0}, "leave no sleep"),
        ({"out_of_bed": dt.time(6, 0)}, "before the final wake"),
        (
            {"bedtime": dt.time(12, 0), "wake": dt.time(10, 0), "out_of_bed": dt.time(10, 0)},
            "check the times",
        ),
    ],
)
def test_answers_that_cannot_all_be_true_are_refused(changes: dict, words: str) -> None:
    with pytest.raises(InvalidDiary, match=words):
        compute(entry(**changes), BERLIN, NOW)


def test_a_night_that_has_not_ended_is_refused() -> None:
    with pytest.raises(InvalidDiary, match="in the future"):
        compute(entry(dt.date(2026, 11, 30)), BERLIN, NOW)


@pytest.mark.parametrize(
    ("text", "clock"),
    [("23:10", dt.time(23, 10)), ("7:05", dt.time(7, 5)), ("23.10", dt.time(23, 10))],
)
def test_clock_times(text: str, clock: dt.time) -> None:
    assert parse_clock(text, "--wake") == clock


@pytest.mark.parametrize("text", ["24:00", "7", "7:5", "noon"])
def test_bad_clock_times(text: str) -> None:
    with pytest.raises(InvalidDiary, match="--wake"):
        parse_clock(text, "--wake")


def test_a_second_diary_for_the_same_night_replaces_the_first() -> None:
    table = upsert_diary(pl.DataFrame(), compute(entry(), BERLIN, NOW))
    table = upsert_diary(table, compute(entry(quality=5), BERLIN, NOW))
    assert table.height == 1
    assert table["score"].to_list() == [5.0]


def _mixed(berlin: Config) -> pl.DataFrame:
    d0, d1, d2 = dt.date(2026, 11, 21), dt.date(2026, 11, 22), dt.date(2026, 11, 23)
    device = sessions(
        [
            {"night": d0, "asleep": 400.0, "source": "garmin", "id": "g0"},
            {"night": d1, "asleep": 380.0, "source": "garmin", "id": "g1"},
        ]
    )
    table = device
    for night in (d1, d2):
        table = upsert_diary(table, compute(entry(night), BERLIN, NOW))
    return table


def test_auto_takes_devices_only_and_never_fills_a_gap_with_the_diary(berlin: Config) -> None:
    table = _mixed(berlin)
    assert series_kind(table, berlin) == "device"
    out = nights(table, berlin)
    # Night 23 has only a diary: it stays empty in the device series instead of mixing.
    assert out.select(C.DATE, C.SLEEP_SOURCE, C.ASLEEP_MIN).rows() == [
        (dt.date(2026, 11, 21), "garmin", 400.0),
        (dt.date(2026, 11, 22), "garmin", 380.0),
    ]


def test_an_older_config_listing_diary_first_still_does_not_mix(berlin: Config) -> None:
    cfg = replace(berlin, source_priority=("diary", "garmin"))
    assert nights(_mixed(berlin), cfg)[C.SLEEP_SOURCE].unique().to_list() == ["garmin"]


def test_the_diary_series_is_taken_when_asked_or_when_there_is_no_device(berlin: Config) -> None:
    table = _mixed(berlin)
    diary_only = nights(table, replace(berlin, sleep_series="diary"))
    assert diary_only[C.SLEEP_SOURCE].to_list() == ["diary", "diary"]
    assert diary_only[C.ASLEEP_MIN].to_list() == [405.0, 405.0]
    no_device = table.filter(pl.col("source") == "diary")
    assert series_kind(no_device, berlin) == "diary"
    assert nights(no_device, berlin).height == 2


def test_side_by_side_keeps_both_labelled(berlin: Config) -> None:
    out = nights_side_by_side(_mixed(berlin), berlin)
    assert out.select(
        C.DATE,
        "device_source",
        "device_asleep_min",
        "diary_asleep_min",
        "diary_quality",
        "asleep_diff_min",
    ).rows() == [
        (dt.date(2026, 11, 21), "garmin", 400.0, None, None, None),
        (dt.date(2026, 11, 22), "garmin", 380.0, 405.0, 3, 25.0),
        (dt.date(2026, 11, 23), None, None, 405.0, 3, None),
    ]


def test_sleep_series_is_validated() -> None:
    assert parse('sleep_series = "diary"').sleep_series == "diary"
    with pytest.raises(ConfigError, match="sleep_series"):
        parse('sleep_series = "both"')


def test_stored_answers_come_back_for_the_form() -> None:
    table = upsert_diary(pl.DataFrame(), compute(entry(), BERLIN, NOW))
    assert stored_entry(table, dt.date(2026, 11, 23), BERLIN) == entry()
    assert stored_entry(table, dt.date(2026, 11, 22), BERLIN) is None
