"""The FIT reader on files written by sample_data.fitwrite (and on real files when present)."""

from __future__ import annotations

import datetime as dt
import os
import random
import struct
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from fit_tool.base_type import BaseType

from importers.fit import _decode_all, _segments, crc16, read_fit, sniff_fit
from importers.model import (
    ACTIVITIES,
    DAILY_ACTIVITY,
    SLEEP_SESSIONS,
    SLEEP_STAGES,
    ImportRefused,
    ImportResult,
)
from importers.registry import ReadContext, formats
from sample_data import fitwrite
from sample_data.fitwrite import (
    SESSION_FIELDS,
    MonitoringDay,
    Session,
    _summary,
    _Writer,
    fit_time,
    write_activity_fit,
    write_monitoring_fit,
    write_sleep_fit,
)

UTC = dt.UTC
CTX = ReadContext(tz=ZoneInfo("UTC"))
BERLIN = ReadContext(tz=ZoneInfo("Europe/Berlin"))


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}:00+00:00")


def mins(start: dt.datetime, m: float) -> dt.datetime:
    return start + dt.timedelta(minutes=m)


# A night (UTC): in bed 21:55, first level 22:00 (awake 12 min), light, deep, a 6-minute and a
# 4-minute wake, REM, light until the stop at 05:30.
T0 = at("2026-02-10", "22:00")
NIGHT = [
    (T0, "awake"),
    (mins(T0, 12), "light"),
    (mins(T0, 70), "deep"),
    (mins(T0, 130), "awake"),
    (mins(T0, 136), "rem"),
    (mins(T0, 200), "light"),
    (mins(T0, 300), "awake"),
    (mins(T0, 304), "light"),
]
BED, WAKE = mins(T0, -5), mins(T0, 450)


def night_file(**kw: object) -> bytes:
    args: dict = {"score": None, "awakenings": None}
    args.update(kw)
    return write_sleep_fit(None, NIGHT, BED, WAKE, 60, **args)


# --------------------------------------------------------------------------------------------
# registry and sniffing


def test_registered_and_sniffs_the_header() -> None:
    fmt = formats()["fit"]
    assert fmt.read is read_fit
    data = night_file()
    assert sniff_fit("x.fit", data[:8192])
    assert not sniff_fit("x.fit", b"PK\x03\x04" + bytes(20))
    assert not sniff_fit("x.fit", data[:11])
    bad = bytearray(data)
    bad[0] = 13
    assert not sniff_fit("x.fit", bytes(bad))


# --------------------------------------------------------------------------------------------
# sleep


def test_sleep_round_trip_exact_minutes() -> None:
    result = read_fit(night_file(score=83), "night.fit", BERLIN)
    assert result.skipped is None and result.warnings == []
    s = result.tables["sleep_sessions"]
    assert s.schema == SLEEP_SESSIONS
    row = s.row(0, named=True)
    assert row["start"] == BED and row["end"] == WAKE
    assert row["utc_offset_min"] == 60
    assert row["night"] == dt.date(2026, 2, 10)
    assert row["time_in_bed_min"] == 455
    assert row["light_min"] == (70 - 12) + (300 - 200) + (450 - 304)
    assert row["deep_min"] == 60
    assert row["rem_min"] == 64
    assert row["asleep_min"] == 58 + 100 + 146 + 60 + 64
    assert row["awake_min"] == 12 + 6 + 4
    assert row["latency_min"] == 17  # 5 min before the first level + 12 awake
    assert row["waso_min"] == 10
    assert row["awakenings"] == 2
    assert row["efficiency"] == pytest.approx(428 / 455)
    assert row["score"] == 83
    assert row["is_nap"] is False
    stages = result.tables["sleep_stages"]
    assert stages.schema == SLEEP_STAGES
    assert stages["source_id"].unique().to_list() == [row["source_id"]]
    assert stages["stage"].to_list() == [
        "unknown", "awake", "light", "deep", "awake", "rem", "light", "awake", "light",
    ]  # fmt: skip
    # stages tile the night without gaps or overlaps
    assert stages["start"][0] == BED and stages["end"][-1] == WAKE
    assert stages["start"][1:].to_list() == stages["end"][:-1].to_list()


def test_assessment_awakenings_override_the_count_and_ids_are_stable() -> None:
    a = read_fit(night_file(awakenings=5), "a.fit", CTX).tables["sleep_sessions"]
    b = read_fit(night_file(), "b.fit", CTX).tables["sleep_sessions"]
    assert a["awakenings"][0] == 5 and b["awakenings"][0] == 2
    assert a["source_id"][0] == b["source_id"][0]
    assert a["source"][0] == "garmin"


def test_night_without_events_runs_from_first_to_last_level() -> None:
    row = (
        read_fit(night_file(events=False), "n.fit", CTX).tables["sleep_sessions"].row(0, named=True)
    )
    assert row["start"] == T0 and row["end"] == WAKE
    assert row["time_in_bed_min"] == 450
    assert row["latency_min"] == 12
    assert row["utc_offset_min"] == 60  # from sleep_data_info's local timestamp


def test_unmeasurable_minutes_are_neither_asleep_nor_awake() -> None:
    stages = [(T0, "light"), (mins(T0, 60), "unknown"), (mins(T0, 90), "deep")]
    data = write_sleep_fit(None, stages, T0, mins(T0, 180), 0)
    row = read_fit(data, "u.fit", CTX).tables["sleep_sessions"].row(0, named=True)
    assert (row["asleep_min"], row["awake_min"], row["time_in_bed_min"]) == (150, 0, 180)
    assert row["efficiency"] == pytest.approx(150 / 180)
    assert row["latency_min"] == 0 and row["awakenings"] == 0


def test_dst_night_uses_the_offset_in_the_file() -> None:
    # Berlin springs forward in the night of 2026-03-28/29: in bed 22:30 CET (+60),
    # up 07:00 CEST (+120): 7.5 real hours, 8.5 on the wall clock.
    bed = dt.datetime(2026, 3, 28, 21, 30, tzinfo=UTC)
    wake = dt.datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    stages = [(bed, "awake"), (mins(bed, 20), "light"), (mins(bed, 200), "deep")]
    data = write_sleep_fit(None, stages, bed, wake, 60)
    # the configured zone (Tokyo) must not win over the file's own local time
    row = (
        read_fit(data, "dst.fit", ReadContext(tz=ZoneInfo("Asia/Tokyo")))
        .tables["sleep_sessions"]
        .row(0, named=True)
    )
    assert row["utc_offset_min"] == 60
    assert row["night"] == dt.date(2026, 3, 28)
    assert row["time_in_bed_min"] == 450
    assert row["asleep_min"] == 430


@pytest.mark.parametrize(
    ("offset", "bed_utc", "night"),
    [
        (-300, "2026-02-11T04:30", "2026-02-10"),  # New York, in bed 23:30 local on the 10th
        (-300, "2026-02-11T06:00", "2026-02-10"),  # 01:00 local on the 11th: still the 10th
        (600, "2026-02-10T14:30", "2026-02-10"),  # UTC+10, 00:30 local on the 11th
        (60, "2026-02-11T12:00", "2026-02-11"),  # 13:00 local: after noon, the 11th
    ],
)
def test_night_follows_the_local_date_of_start_minus_12h(
    offset: int, bed_utc: str, night: str
) -> None:
    bed = dt.datetime.fromisoformat(bed_utc + ":00+00:00")
    data = write_sleep_fit(None, [(bed, "light")], bed, mins(bed, 400), offset)
    row = read_fit(data, "n.fit", CTX).tables["sleep_sessions"].row(0, named=True)
    assert row["utc_offset_min"] == offset
    assert row["night"] == dt.date.fromisoformat(night)


def test_unstaged_sleep_file_is_skipped_with_its_reason() -> None:
    # what a Forerunner 55 writes: awake/unmeasurable marks only
    stages = [(mins(T0, m), "awake" if m % 2 else "unknown") for m in range(0, 300, 7)]
    result = read_fit(write_sleep_fit(None, stages, T0, mins(T0, 300), 60), "fr55.fit", CTX)
    assert result.tables == {}
    assert result.skipped is not None and "does not stage sleep" in result.skipped


def test_implausible_window_is_skipped() -> None:
    data = write_sleep_fit(None, [(T0, "light")], T0, mins(T0, 60 * 30), 0)
    result = read_fit(data, "long.fit", CTX)
    assert result.skipped is not None and "implausible" in result.skipped


def test_sleep_without_any_local_time_uses_the_configured_zone() -> None:
    w = _Writer()
    w.file_id(49, WAKE, 5)
    for t, level in [(T0, 1), (mins(T0, 30), 2), (WAKE, 2)]:
        w.add(275, [(253, BaseType.UINT32, fit_time(t)), (0, BaseType.ENUM, level)])
    row = read_fit(w.finish(None), "z.fit", BERLIN).tables["sleep_sessions"].row(0, named=True)
    assert row["utc_offset_min"] == 60  # Berlin in February
    assert (row["awake_min"], row["light_min"]) == (30, 420)


def _raw_fit(body: bytes) -> bytes:
    header = bytearray(struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT") + b"\0\0")
    struct.pack_into("<H", header, 12, crc16(bytes(header[:12])))
    data = bytes(header) + body
    return data + struct.pack("<H", crc16(data))


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    return out + b"".join(struct.pack("BBB", *f) for f in fields)


def test_compressed_timestamps_also_through_skipped_messages() -> None:
    t = fit_time(T0)
    body = _definition(0, 0, [(0, 1, 0x00)]) + bytes([0x00, 49])
    body += _definition(1, 275, [(253, 4, 0x86), (0, 1, 0x00)])
    body += _definition(2, 275, [(0, 1, 0x00)])
    body += _definition(3, 20, [(253, 4, 0x86), (3, 1, 0x02)])  # record: skipped

    def compressed(local: int, ts: int, payload: bytes) -> bytes:
        return bytes([0x80 | (local << 5) | (ts & 0x1F)]) + payload

    body += bytes([0x01]) + struct.pack("<IB", t, 2)  # light at t
    body += compressed(2, t + 20, bytes([3]))  # deep at t+20
    body += bytes([0x03]) + struct.pack("<IB", t + 600, 99)  # a record at t+600
    body += compressed(2, t + 605, bytes([4]))  # rem: needs the record's time as its base
    body += compressed(2, t + 620, bytes([1]))  # awake
    body += bytes([0x01]) + struct.pack("<IB", t + 900, 1)  # the stop
    stages = read_fit(_raw_fit(body), "c.fit", CTX).tables["sleep_stages"]
    seconds = [
        int((e - s).total_seconds()) for s, e in zip(stages["start"], stages["end"], strict=True)
    ]
    assert list(zip(stages["stage"].to_list(), seconds, strict=True)) == [
        ("light", 20),
        ("deep", 585),
        ("rem", 15),
        ("awake", 280),
    ]


# --------------------------------------------------------------------------------------------
# monitoring


def test_monitoring_steps_active_minutes_and_rhr_across_a_midnight_reset() -> None:
    days = [
        MonitoringDay(dt.date(2026, 3, 1), {"walking": 8123, "running": 2950}, resting_hr=54),
        MonitoringDay(dt.date(2026, 3, 2), {"walking": 4321, "cycling": 999}, {"walking": 31}, 57),
    ]
    data = write_monitoring_fit(None, days, -300, heart_rate=True)
    result = read_fit(data, "wellness.fit", CTX)
    assert result.warnings == []
    frame = result.tables["daily_activity"]
    assert frame.schema == DAILY_ACTIVITY
    rows = frame.sort("date").to_dicts()
    assert [r["date"] for r in rows] == [dt.date(2026, 3, 1), dt.date(2026, 3, 2)]
    # raw cycles are steps: fitparse's scale-2 rendering would give half of these
    assert [r["steps"] for r in rows] == [8123 + 2950, 4321]  # cycling cycles are no steps
    assert [r["active_min"] for r in rows] == [82 + 30, 31 + 10]
    assert [r["resting_hr"] for r in rows] == [54, 57]  # the day's, not the 7-day average
    assert {r["source"] for r in rows} == {"garmin"}


@pytest.mark.parametrize("heart_rate", [False, True])
def test_timestamp_16_chain_without_daily_anchors(heart_rate: bool) -> None:
    # only monitoring_info carries a full timestamp: day 2 exists only if every rebuilt
    # time moves the chain on (a day is longer than the 16-bit wrap)
    days = [
        MonitoringDay(dt.date(2026, 3, 1), {"walking": 700, "running": 3100}),
        MonitoringDay(dt.date(2026, 3, 2), {"walking": 250}),
        MonitoringDay(dt.date(2026, 3, 3), {"running": 4000}),
    ]
    data = write_monitoring_fit(None, days, 60, heart_rate=heart_rate, full_timestamps=False)
    frame = read_fit(data, "chain.fit", CTX).tables["daily_activity"].sort("date")
    assert frame["date"].to_list() == [d.day for d in days]
    assert frame["steps"].to_list() == [3800, 250, 4000]
    assert frame["active_min"].to_list() == [7 + 31, 3, 40]


@pytest.mark.parametrize("offset", [-600, -300, 0, 330, 780])
def test_monitoring_days_follow_the_local_offset(offset: int) -> None:
    days = [MonitoringDay(dt.date(2026, 7, 4), {"walking": 5000}, resting_hr=60)]
    frame = read_fit(write_monitoring_fit(None, days, offset), "w.fit", CTX).tables[
        "daily_activity"
    ]
    assert frame["date"].to_list() == [dt.date(2026, 7, 4)]
    assert frame["steps"].to_list() == [5000]


def test_monitoring_without_monitoring_info_follows_the_configured_zone() -> None:
    w = _Writer()
    day = dt.datetime(2026, 7, 4, 11, 0, tzinfo=UTC)
    w.file_id(32, day, 5)
    w.add(
        55,
        [(253, BaseType.UINT32, fit_time(day)), (5, BaseType.ENUM, 6), (3, BaseType.UINT32, 321)],
    )
    w.add(
        55,
        [
            (253, BaseType.UINT32, fit_time(day) + 60),
            (5, BaseType.ENUM, 6),
            (3, BaseType.UINT32, 400),
        ],
    )
    result = read_fit(w.finish(None), "m.fit", ReadContext(tz=ZoneInfo("Pacific/Auckland")))
    # 11:00 UTC is 23:00 in Auckland (NZST, +12) on the same date
    assert result.tables["daily_activity"]["steps"].to_list() == [400]
    assert result.tables["daily_activity"]["date"].to_list() == [dt.date(2026, 7, 4)]
    assert result.warnings == [
        "monitoring file without a local time: days follow the configured zone"
    ]
    late = ReadContext(tz=ZoneInfo("Pacific/Kiritimati"))  # +14: already the 5th
    frame = read_fit(w.finish(None), "m.fit", late).tables["daily_activity"]
    assert frame["date"].to_list() == [dt.date(2026, 7, 4) + dt.timedelta(days=1)]


def test_monitoring_without_activity_still_gives_resting_hr() -> None:
    days = [MonitoringDay(dt.date(2026, 7, 4), {}, resting_hr=48)]
    row = (
        read_fit(write_monitoring_fit(None, days, 120), "w.fit", CTX)
        .tables["daily_activity"]
        .row(0, named=True)
    )
    assert row["resting_hr"] == 48 and row["steps"] is None


# --------------------------------------------------------------------------------------------
# activities


RUN = Session("running", at("2026-05-02", "06:10"), 2710, 2650, 7012.34, 512, 151, 178)


def test_single_activity_round_trip() -> None:
    result = read_fit(write_activity_fit(None, [RUN], 120), "run.fit", CTX)
    frame = result.tables["activities"]
    assert frame.schema == ACTIVITIES
    row = frame.row(0, named=True)
    assert row["start"] == RUN.start
    assert row["end"] == RUN.start + dt.timedelta(seconds=2710)
    assert row["duration_min"] == pytest.approx(2650 / 60)
    assert row["distance_m"] == pytest.approx(7012.34)
    assert (row["calories"], row["avg_hr"], row["max_hr"]) == (512, 151, 178)
    assert row["sport"] == "running" and row["utc_offset_min"] == 120


def test_multisport_gives_one_row_per_leg_and_drops_the_transition() -> None:
    t = at("2026-06-07", "07:00")
    legs = [
        Session("swimming", t, 1800, distance_m=1500, calories=300, avg_hr=130, max_hr=150),
        Session("transition", mins(t, 30), 120),
        Session("cycling", mins(t, 32), 3600, 3500, 40000, 800, 140, 170),
        Session("running", mins(t, 92), 2400, None, 10000, 600, 160, 182),
    ]
    result = read_fit(write_activity_fit(None, legs, 60), "tri.fit", CTX)
    frame = result.tables["activities"]
    assert frame["sport"].to_list() == ["swimming", "cycling", "running"]
    assert frame["duration_min"].to_list() == [30, pytest.approx(3500 / 60), 40]
    kept = [legs[0], legs[2], legs[3]]
    assert frame["end"].to_list() == [s.start + dt.timedelta(seconds=s.elapsed_s) for s in kept]
    assert frame["source_id"].n_unique() == 3
    assert result.warnings == ["left out 1 transition between multisport legs"]


def test_a_duathlon_counts_three_workouts_not_five() -> None:
    # run, T1, ride, T2, run as a Garmin records it: a multisport summary session, the legs,
    # and transitions marked by sport and by sub_sport
    t = at("2026-09-13", "08:00")
    sessions = [
        Session("multisport", t, 7200),
        Session("running", t, 1500, distance_m=5000),
        Session("transition", mins(t, 25), 240, sub_sport="run_to_bike_transition"),
        Session("cycling", mins(t, 29), 4200, distance_m=40000),
        Session("cycling", mins(t, 99), 180, sub_sport="bike_to_run_transition"),
        Session("running", mins(t, 102), 1080, distance_m=3000),
    ]
    result = read_fit(write_activity_fit(None, sessions, 120), "duathlon.fit", CTX)
    frame = result.tables["activities"]
    assert frame["sport"].to_list() == ["running", "cycling", "running"]
    assert frame["duration_min"].to_list() == [25, 70, 18]
    assert "left out 2 transitions between multisport legs" in result.warnings


def test_a_multisport_summary_session_is_not_counted_twice() -> None:
    t = at("2026-06-07", "07:00")
    legs = [
        Session("multisport", t, 3700),
        Session("swimming", t, 1800, distance_m=1500),
        Session("cycling", mins(t, 30), 1900, distance_m=20000),
    ]
    result = read_fit(write_activity_fit(None, legs, 60), "ms.fit", CTX)
    assert result.tables["activities"]["sport"].to_list() == ["swimming", "cycling"]
    assert result.warnings == ["left out a multisport summary session that spans its legs"]


def test_strength_and_yoga_come_from_sub_sport() -> None:
    t = at("2026-06-08", "18:00")
    legs = [Session("training", t, 1800, sub_sport="strength_training")]
    legs2 = [Session("training", t, 1800, sub_sport="yoga")]
    assert read_fit(write_activity_fit(None, legs, 0), "s.fit", CTX).tables["activities"][
        "sport"
    ].to_list() == ["strength"]
    assert read_fit(write_activity_fit(None, legs2, 0), "y.fit", CTX).tables["activities"][
        "sport"
    ].to_list() == ["yoga"]


def test_per_second_records_are_skipped_not_decoded() -> None:
    with_records = write_activity_fit(None, [RUN], 120, records=True)
    without = write_activity_fit(None, [RUN], 120)
    assert len(with_records) > len(without) + 20_000
    msgs = _decode_all(_segments(with_records)[0])[0]
    assert 20 not in {m.num for m in msgs}
    assert len(msgs) < 10
    a = read_fit(with_records, "a.fit", CTX).tables["activities"]
    b = read_fit(without, "b.fit", CTX).tables["activities"]
    assert a.equals(b)


def test_activity_offset_falls_back_to_the_configured_zone() -> None:
    data = write_activity_fit(None, [RUN], 120)
    msgs = _decode_all(_segments(data)[0])[0]
    assert any(m.num == 34 for m in msgs)
    # an activity file without the activity message: strip it by rewriting without it
    w = _Writer()
    w.file_id(4, RUN.start, 1)
    w.add(18, [(253, BaseType.UINT32, 0x3FFFFFFF), *_summary(RUN, SESSION_FIELDS)])
    row = read_fit(w.finish(None), "x.fit", BERLIN).tables["activities"].row(0, named=True)
    assert row["utc_offset_min"] == 120  # Berlin in May


def test_chained_files_and_trailing_bytes() -> None:
    one = write_activity_fit(None, [RUN], 120)
    other = write_activity_fit(None, [Session("walking", at("2026-05-03", "12:00"), 600)], 120)
    result = read_fit(one + other + b"\x00\x00\x00", "chain.fit", CTX)
    assert result.tables["activities"]["sport"].to_list() == ["running", "walking"]
    assert result.warnings == ["ignored 3 bytes after the FIT data"]


# --------------------------------------------------------------------------------------------
# files we do not use, and bad files


def test_settings_file_is_skipped_not_refused() -> None:
    w = _Writer()
    w.file_id(2, RUN.start, 1)
    result = read_fit(w.finish(None), "Settings.fit", CTX)
    assert isinstance(result, ImportResult) and result.tables == {}
    assert result.skipped == "FIT settings file: no sleep, activity or monitoring data in it"


def _set_crc(data: bytearray) -> bytes:
    struct.pack_into("<H", data, len(data) - 2, crc16(bytes(data[:-2])))
    return bytes(data)


def _refusal(data: bytes) -> str:
    with pytest.raises(ImportRefused) as info:
        read_fit(data, "bad.fit", CTX)
    text = str(info.value)
    assert "\n" not in text and text
    return text


GOOD = write_activity_fit(None, [RUN], 120)


def _flip(at: int) -> bytes:
    data = bytearray(GOOD)
    data[at] ^= 0x40
    return bytes(data)


def _zero_size() -> bytes:
    data = bytearray(GOOD)
    data[4:8] = bytes(4)
    struct.pack_into("<H", data, 12, crc16(bytes(data[:12])))
    return bytes(data)


def _orphan_data_message() -> bytes:
    # a data message whose local type was never defined, with every CRC right
    assert GOOD[0] == 14
    header = bytearray(GOOD[:14])
    body = bytes([0x05, 0, 0, 0, 0])
    struct.pack_into("<I", header, 4, len(body))
    struct.pack_into("<H", header, 12, crc16(bytes(header[:12])))
    return _set_crc(bytearray(bytes(header) + body + b"\0\0"))


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: b"", "empty file"),
        (lambda: random.Random(7).randbytes(4096), "not a FIT file"),
        (lambda: b"hello world, this is text\n" * 10, "not a FIT file"),
        (lambda: GOOD[:9], "truncated FIT file"),
        (lambda: GOOD[:13], "truncated FIT file"),
        (lambda: GOOD[: len(GOOD) // 2], "truncated FIT file"),
        (lambda: GOOD[:-1], "truncated FIT file"),
        (lambda: _flip(0), "bad FIT header"),
        (lambda: _flip(9), "not a FIT file"),
        (lambda: _flip(12), "bad FIT header CRC"),
        (lambda: _flip(len(GOOD) // 2), "bad FIT file CRC"),
        (lambda: _flip(len(GOOD) - 1), "bad FIT file CRC"),
        (_zero_size, "declares no data"),
        (_orphan_data_message, "corrupt FIT data"),
    ],
    ids=[
        "empty", "random", "text", "header-cut", "header-crc-cut", "half", "last-byte-cut", "header-size",
        "signature", "header-crc", "data-flip", "crc-flip", "zero-size", "undefined-local",
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_one_clear_line(make: Callable[[], bytes], words: str) -> None:
    assert words in _refusal(make())


def test_a_zero_header_crc_means_not_computed() -> None:
    data = bytearray(GOOD)
    data[12:14] = b"\0\0"
    assert read_fit(_set_crc(data), "z.fit", CTX).rows() == {"activities": 1}


def test_reader_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    read_fit(GOOD, "a.fit", CTX)
    with pytest.raises(ImportRefused):
        read_fit(GOOD[:-1], "a.fit", CTX)
    assert capsys.readouterr() == ("", "")


def test_writers_are_deterministic() -> None:
    day = [MonitoringDay(dt.date(2026, 3, 1), {"walking": 100}, resting_hr=50)]
    assert write_monitoring_fit(None, day, 60) == write_monitoring_fit(None, day, 60)
    assert write_activity_fit(None, [RUN], 0, records=True) == write_activity_fit(
        None, [RUN], 0, records=True
    )
    assert night_file(score=1) == night_file(score=1)


def test_fast_writer_gives_fit_tools_own_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    days = [
        MonitoringDay(dt.date(2026, 3, 1), {"walking": 5000, "running": 900}, resting_hr=50),
        MonitoringDay(dt.date(2026, 3, 2), {"cycling": 300}, resting_hr=51),
    ]
    legs = [RUN, Session("cycling", at("2026-05-02", "07:00"), 95, distance_m=800, avg_hr=120)]

    def all_three() -> list[bytes]:
        return [
            night_file(score=90, awakenings=3),
            write_monitoring_fit(None, days, -300, heart_rate=True),
            write_activity_fit(None, legs, 60, records=True),
        ]

    fast = all_three()
    monkeypatch.setattr(fitwrite, "FAST", False)
    assert all_three() == fast


def test_writer_writes_the_path(tmp_path: Path) -> None:
    path = tmp_path / "night.fit"
    data = write_sleep_fit(path, NIGHT, BED, WAKE, 60)
    assert path.read_bytes() == data


# --------------------------------------------------------------------------------------------
# real files, when the shared samples are around (CI: ../shared next to the checkout)


def _samples_dir() -> Path | None:
    here = Path(__file__).resolve()
    candidates = [os.environ.get("TAPERDASH_FIT_SAMPLES", "")]
    candidates += [str(p / "shared" / "samples" / "fit") for p in here.parents[2:4]]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


SAMPLES = _samples_dir()
SAMPLE_FILES = sorted(SAMPLES.rglob("*.fit")) if SAMPLES else []


@pytest.mark.skipif(SAMPLES is None, reason="shared FIT samples not present")
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_real_files_import_skip_or_refuse(path: Path) -> None:
    try:
        result = read_fit(path.read_bytes(), str(path), CTX)
    except ImportRefused as exc:
        assert "\n" not in str(exc)
        return
    assert result.skipped or result.rows()
    for frame in result.tables.values():
        assert isinstance(frame, pl.DataFrame)


@pytest.mark.skipif(SAMPLES is None, reason="shared FIT samples not present")
def test_real_files_known_outcomes() -> None:
    assert SAMPLES is not None

    def outcome(name: str) -> str:
        try:
            r = read_fit((SAMPLES / name).read_bytes(), name, CTX)
        except ImportRefused as exc:
            return f"refused: {exc}"
        return f"skipped: {r.skipped}" if r.skipped else str(r.rows())

    assert outcome("Settings.fit").startswith("skipped: FIT settings file")
    assert "CRC" in outcome("activity-filecrc.fit")
    assert "truncated" in outcome("activity-unexpected-eof.fit")
    assert outcome("garmin-fenix-5-run.fit") == "{'activities': 1}"
    fr55 = SAMPLES / "garmin-connect-wellness-fr55"
    for sleep in fr55.glob("*SLEEP_DATA.fit"):
        assert outcome(f"{fr55.name}/{sleep.name}").startswith("skipped: sleep file")
    steps = []
    for wellness in sorted(fr55.glob("*WELLNESS.fit")):
        frame = read_fit(wellness.read_bytes(), wellness.name, CTX).tables["daily_activity"]
        steps.append(frame["steps"][0])
    # the chained files of one day carry running totals: they never go down
    assert steps == sorted(steps) and steps[-1] > 10_000
