import datetime as dt

import pytest

from importers.databases.gadgetbridge_sessions import runs_to_spans
from importers.model import ImportRefused
from tests.importers.databases import builders as b
from tests.importers.databases.util import read, rows, sniffed

UTC = dt.UTC


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return read("gadgetbridge", b.gadgetbridge())


def _night(result, source: str, night: dt.date) -> dict:  # type: ignore[no-untyped-def]
    found = [
        r
        for r in rows(result, "sleep_sessions", "start")
        if r["source"] == f"gadgetbridge:{source}" and r["night"] == night and not r["is_nap"]
    ]
    assert len(found) == 1, found
    return found[0]


def _minutes(r: dict) -> tuple:
    return (
        r["time_in_bed_min"],
        r["asleep_min"],
        r["awake_min"],
        r["light_min"],
        r["deep_min"],
        r["rem_min"],
    )


def test_sniffed_by_name_in_every_form() -> None:
    _, data = b.gadgetbridge()
    for name in ("Gadgetbridge", "Gadgetbridge.db", "database/Gadgetbridge"):
        assert sniffed((name, data)) == {"gadgetbridge"}


def test_huami_sessions_as_gadgetbridge_builds_them(result) -> None:  # type: ignore[no-untyped-def]
    r = _night(result, "Amazfit Bip", dt.date(2026, 10, 19))
    # 23:00-07:00: light 30, deep 20 + 5 "carry" + 35, activity 10 (awake inside), light 380
    assert (r["start"], r["end"]) == (
        dt.datetime(2026, 10, 19, 21, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 20, 5, 0, tzinfo=UTC),
    )
    assert _minutes(r) == (480.0, 470.0, 10.0, 410.0, 60.0, None)  # Huami has no REM
    assert (r["latency_min"], r["waso_min"], r["awakenings"]) == (0.0, 10.0, 1)
    # the 4-minute afternoon doze is not a session (5 minutes or less)
    bip = [x for x in rows(result, "sleep_sessions", "start") if x["source"].endswith("Bip")]
    assert len(bip) == 1


def test_zepp_os_stages_from_the_extended_samples(result) -> None:  # type: ignore[no-untyped-def]
    r = _night(result, "Amazfit GTR 4", dt.date(2026, 10, 20))
    assert _minutes(r) == (480.0, 480.0, 0.0, 360.0, 60.0, 60.0)


def test_xiaomi_stage_timeline_and_summed_minutes(result) -> None:  # type: ignore[no-untyped-def]
    staged = _night(result, "Xiaomi Smart Band 8", dt.date(2026, 10, 21))
    assert _minutes(staged) == (480.0, 470.0, 10.0, 350.0, 60.0, 60.0)
    assert staged["awakenings"] == 1
    summed = _night(result, "Xiaomi Smart Band 8", dt.date(2026, 10, 22))
    assert _minutes(summed) == (480.0, 420.0, 20.0, 260.0, 80.0, 80.0)


def test_garmin_stages_end_at_their_timestamp(result) -> None:  # type: ignore[no-untyped-def]
    r = _night(result, "Forerunner 255", dt.date(2026, 10, 23))  # by its model name, not the alias
    assert _minutes(r) == (480.0, 450.0, 30.0, 330.0, 60.0, 60.0)
    assert r["latency_min"] == 30.0
    stages = result.tables["sleep_stages"]
    mine = stages.filter(stages["source_id"] == r["source_id"]).sort("start")
    assert mine["stage"].to_list() == ["awake", "light", "deep", "rem", "light"]
    assert mine["end"][0] == dt.datetime(2026, 10, 23, 21, 30, tzinfo=UTC)


def test_pebble_overlays_and_nap(result) -> None:  # type: ignore[no-untyped-def]
    # the night after the end of summer time: 23:00-07:00 is +01:00
    r = _night(result, "Pebble Time", dt.date(2026, 10, 25))
    assert r["utc_offset_min"] == 60
    assert _minutes(r) == (480.0, 480.0, 0.0, 390.0, 90.0, None)
    naps = [x for x in rows(result, "sleep_sessions", "start") if x["is_nap"]]
    assert [(x["source"], x["asleep_min"]) for x in naps] == [("gadgetbridge:Pebble Time", 40.0)]


def test_steps_per_local_day(result) -> None:  # type: ignore[no-untyped-def]
    days = [
        (r["date"], r["source"], r["steps"])
        for r in rows(result, "daily_activity", "date", "source")
    ]
    assert days == [
        (dt.date(2026, 10, 19), "gadgetbridge:Amazfit Bip", 600),
        (dt.date(2026, 10, 20), "gadgetbridge:Amazfit Bip", 1200),
        (dt.date(2026, 10, 20), "gadgetbridge:Amazfit GTR 4", 150),
        (dt.date(2026, 10, 21), "gadgetbridge:Amazfit GTR 4", 210),
        # Garmin: running totals; at 00:00 the watch still shows yesterday's 5000, resets at 01:00
        (dt.date(2026, 10, 23), "gadgetbridge:Forerunner 255", 5000),
        (dt.date(2026, 10, 24), "gadgetbridge:Forerunner 255", 2050),
    ]


def test_workouts_from_activity_summaries(result) -> None:  # type: ignore[no-untyped-def]
    acts = rows(result, "activities", "start")
    assert [(a["source"], a["sport"], a["duration_min"]) for a in acts] == [
        ("gadgetbridge:Amazfit Bip", "running", 40.0),
        ("gadgetbridge:Forerunner 255", "walking", 30.0),  # kind 0: by its name
    ]


def test_a_family_not_read_is_named(result) -> None:  # type: ignore[no-untyped-def]
    assert result.warnings == [
        "skipped PINE_TIME_ACTIVITY_SAMPLE (3 rows): device families taperdash does not read yet"
    ]


def test_backup_zip_member(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from importers import detect

    name, blob = b.gadgetbridge_backup()
    path = tmp_path / name
    path.write_bytes(blob)
    entries = [e for e in detect.walk([path]) if not e.error]
    assert [e.display.rsplit("!", 1)[1] for e in entries] == [
        "database/Gadgetbridge",
        "preferences/global.json",
    ]
    assert sniffed(("database/Gadgetbridge", entries[0].load())) == {"gadgetbridge"}


def test_session_rule_wake_phases() -> None:
    t0 = 1_790_000_000
    light = [(t0 + 60 * i, "light") for i in range(60)]
    # an hour awake inside a night keeps one session; over two hours splits it
    awake_hour = [(t0 + 3600 + 60 * i, None) for i in range(60)]
    more = [(t0 + 7200 + 60 * i, "deep") for i in range(30)]
    assert len(runs_to_spans(light + awake_hour + more)) == 1
    long_wake = [(t0 + 3600 + 60 * i, None) for i in range(125)]
    later = [(t0 + 3600 + 125 * 60 + 60 * i, "deep") for i in range(30)]
    assert len(runs_to_spans(light + long_wake + later)) == 2
    # exactly five minutes of sleep is not a session; six is
    assert runs_to_spans([(t0 + 60 * i, "light") for i in range(5)]) == []
    assert len(runs_to_spans([(t0 + 60 * i, "light") for i in range(6)])) == 1


def test_missing_column_names_table_and_version() -> None:
    gb = b.Gadgetbridge(user_version=40)
    gb.table(
        "CREATE TABLE MI_BAND_ACTIVITY_SAMPLE (TIMESTAMP INTEGER, DEVICE_ID INTEGER, STEPS INTEGER)"
    )
    with pytest.raises(ImportRefused) as err:
        read("gadgetbridge", gb.build())
    assert str(err.value) == (
        "table MI_BAND_ACTIVITY_SAMPLE lacks column(s) RAW_KIND: an unknown schema version "
        "(user_version 40)"
    )


def test_database_of_only_unknown_families_is_skipped_naming_them() -> None:
    gb = b.Gadgetbridge()
    gb.table(f"CREATE TABLE PINE_TIME_ACTIVITY_SAMPLE ({b.SAMPLE_KEY}, STEPS INTEGER)")
    gb.rows(
        "PINE_TIME_ACTIVITY_SAMPLE",
        [{"TIMESTAMP": 1_790_000_000, "DEVICE_ID": 1, "USER_ID": 1, "STEPS": 5}],
    )
    res = read("gadgetbridge", gb.build())
    assert res.skipped == (
        "no device family taperdash reads; it holds PINE_TIME_ACTIVITY_SAMPLE (1 rows)"
    )


def test_database_without_gadgetbridge_tables_is_refused() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA user_version = 7")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    with pytest.raises(ImportRefused) as err:
        read("gadgetbridge", ("Gadgetbridge", conn.serialize()))
    assert str(err.value) == (
        "not a Gadgetbridge database: none of its activity, sleep or workout tables "
        "(user_version 7)"
    )


def test_empty_database_is_skipped_not_failed() -> None:
    gb = b.Gadgetbridge()
    b.summaries(gb, [])
    res = read("gadgetbridge", gb.build())
    assert res.skipped == "no data rows"


def test_two_devices_of_one_model_are_two_sources() -> None:
    gb = b.Gadgetbridge()
    one = gb.device("Amazfit Bip", identifier="C8:0F:10:AA:12:34")
    two = gb.device("Amazfit Bip", identifier="C8:0F:10:BB:56:78")
    b.huami(gb, one, dt.date(2026, 10, 19))
    b.huami(gb, two, dt.date(2026, 10, 20))
    res = read("gadgetbridge", gb.build())
    assert sorted(res.tables["sleep_sessions"]["source"]) == [
        "gadgetbridge:Amazfit Bip 1234",
        "gadgetbridge:Amazfit Bip 5678",
    ]


def test_another_apps_database_is_not_claimed() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    assert sniffed(("notes.db", conn.serialize())) == set()


def test_an_impossible_timestamp_is_one_line() -> None:
    gb = b.Gadgetbridge()
    band = gb.device("Xiaomi Smart Band 8")
    b.xiaomi(gb, band)
    gb.conn.execute("UPDATE XIAOMI_SLEEP_TIME_SAMPLE SET WAKEUP_TIME = 9000000000000000000")
    with pytest.raises(ImportRefused) as err:
        read("gadgetbridge", gb.build())
    assert str(err.value).startswith("a record holds an impossible value (")
    assert "\n" not in str(err.value)
