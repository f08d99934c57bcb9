import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.databases import builders as b
from tests.importers.databases.util import read, rows, sniffed

SAMSUNG = f"health_connect:{b.SAMSUNG}"
OURA = f"health_connect:{b.OURA}"
UTC = dt.UTC


def test_sniffed_by_name_and_only_as_health_connect() -> None:
    built = b.health_connect()
    assert sniffed(built) == {"health-connect"}
    # renamed: known by the table names on its first page
    assert sniffed(("export.db", built[1])) == {"health-connect"}
    # and a database the Gadgetbridge reader is handed goes on to this reader
    assert read("gadgetbridge", ("export.db", built[1])).tables["sleep_sessions"].height == 5


def test_nights_per_app_to_the_minute() -> None:
    res = read("health-connect", b.health_connect())
    assert res.warnings == []
    s = rows(res, "sleep_sessions", "start", "source")
    assert [(r["source"], r["night"]) for r in s] == [
        (SAMSUNG, dt.date(2026, 10, 19)),
        (SAMSUNG, dt.date(2026, 10, 20)),
        (OURA, dt.date(2026, 10, 20)),
        (SAMSUNG, dt.date(2026, 10, 21)),
        (SAMSUNG, dt.date(2026, 10, 24)),
    ]
    night = s[0]
    # 23:00-07:00 +02:00; stages: awake 20, light 100, deep 60, awake in bed 10, REM 80,
    # light 190, out of bed 10, awake 10
    assert (night["start"], night["end"]) == (
        dt.datetime(2026, 10, 19, 21, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 20, 5, 0, tzinfo=UTC),
    )
    assert night["utc_offset_min"] == 120
    assert night["time_in_bed_min"] == 470.0  # out of bed is not in bed
    assert night["asleep_min"] == 430.0
    assert night["awake_min"] == 40.0
    assert (night["light_min"], night["deep_min"], night["rem_min"]) == (290.0, 60.0, 80.0)
    assert (night["latency_min"], night["waso_min"], night["awakenings"]) == (20.0, 10.0, 1)
    assert night["efficiency"] == pytest.approx(430 / 470)
    assert night["is_nap"] is False
    oura = s[2]
    assert (oura["asleep_min"], oura["light_min"], oura["deep_min"], oura["rem_min"]) == (
        435.0,
        195.0,
        60.0,
        180.0,
    )
    # the DST night: +02:00 at bedtime, +01:00 at wake; no stages, so only its bounds
    dst = s[4]
    assert dst["time_in_bed_min"] == 540.0
    assert (dst["asleep_min"], dst["light_min"], dst["utc_offset_min"]) == (None, None, 120)


def test_stages_belong_to_their_session() -> None:
    res = read("health-connect", b.health_connect())
    stages = res.tables["sleep_stages"]
    sessions = res.tables["sleep_sessions"]
    first = sessions.sort("start").row(0, named=True)
    mine = stages.filter(stages["source_id"] == first["source_id"]).sort("start")
    assert mine["stage"].to_list() == [
        "awake",
        "light",
        "deep",
        "awake",
        "rem",
        "light",
        "awake",
        "awake",
    ]
    assert mine["start"][0] == first["start"] and mine["end"][-1] == first["end"]
    assert set(stages["source_id"]) <= set(sessions["source_id"])


def test_steps_per_local_day_and_app() -> None:
    res = read("health-connect", b.health_connect())
    days = [
        (r["date"], r["source"], r["steps"]) for r in rows(res, "daily_activity", "date", "source")
    ]
    assert days == [
        (dt.date(2026, 10, 20), OURA, 3500),
        # 1000 + 2500 + 500 (23:30) + 200 (no offset stored: Berlin); the 00:30 record is the 21st
        (dt.date(2026, 10, 20), SAMSUNG, 4200),
        (dt.date(2026, 10, 21), SAMSUNG, 300),
    ]


def test_workouts_use_platform_codes() -> None:
    res = read("health-connect", b.health_connect())
    acts = rows(res, "activities", "start")
    assert [(a["source"], a["sport"], a["duration_min"]) for a in acts] == [
        (SAMSUNG, "running", 45.0),  # 33: running (the Jetpack SDK's 56)
        (OURA, "yoga", 30.0),  # 57
        (SAMSUNG, "cycling", 40.0),  # 58 other workout, titled "Spinning class"
    ]
    assert acts[0]["start"] == dt.datetime(2026, 10, 20, 16, 0, tzinfo=UTC)


def test_zip_of_one_database_reads_the_same(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from importers import detect

    name, data = b.health_connect()
    archive = tmp_path / "Health Connect.zip"
    archive.write_bytes(b.zipped([(name, data)]))
    entries = list(detect.walk([archive]))
    assert [e.display for e in entries] == [f"{archive}!health_connect_export.db"]
    assert entries[0].load() == data


def test_older_database_without_optional_columns() -> None:
    hc = b.HealthConnect(steps=False)
    hc.night(b.SAMSUNG, b.at(dt.date(2026, 10, 19), 23), b.SAMSUNG_NIGHT)
    # an older schema: no uuid, no zone offsets (added later by ALTER TABLE)
    hc.conn.execute(
        "CREATE TABLE old AS SELECT row_id, start_time, end_time, app_info_id FROM sleep_session_record_table"
    )
    hc.conn.execute("DROP TABLE sleep_session_record_table")
    hc.conn.execute("ALTER TABLE old RENAME TO sleep_session_record_table")
    res = read("health-connect", hc.build())
    s = res.tables["sleep_sessions"].row(0, named=True)
    assert s["source_id"] == "row-1"
    assert s["utc_offset_min"] == 120  # from the configured zone
    assert s["asleep_min"] == 430.0
    assert res.warnings == ["no steps_record_table in this database"]


def test_unknown_schema_is_refused() -> None:
    hc = b.HealthConnect()
    hc.conn.execute("DROP TABLE steps_record_table")
    hc.conn.execute("CREATE TABLE steps_record_table (row_id INTEGER PRIMARY KEY, begin INTEGER)")
    with pytest.raises(ImportRefused) as err:
        read("health-connect", hc.build())
    assert str(err.value) == (
        "table steps_record_table lacks column(s) start_time, end_time, app_info_id, count: "
        "an unknown schema version (user_version 13)"
    )


def test_database_without_record_tables_is_refused() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE application_info_table (row_id INTEGER PRIMARY KEY, package_name TEXT)"
    )
    with pytest.raises(ImportRefused) as err:
        read("health-connect", ("health_connect_export.db", conn.serialize()))
    assert "not a Health Connect export" in str(err.value)


def test_stages_past_the_session_are_clipped() -> None:
    hc = b.HealthConnect(steps=False)
    start = b.at(dt.date(2026, 10, 19), 23)
    # the stages run 2 minutes past the session's end (seen in the wild: apps round)
    hc.night(b.SAMSUNG, start, [(4, 242), (5, 240)], end=start + dt.timedelta(minutes=480))
    s = read("health-connect", hc.build()).tables["sleep_sessions"].row(0, named=True)
    assert (s["time_in_bed_min"], s["asleep_min"], s["deep_min"]) == (480.0, 480.0, 238.0)
