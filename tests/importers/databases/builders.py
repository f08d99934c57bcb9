"""Small exported databases built in code from the documented schemas (FORMATS.md).

Every time is given as Berlin wall clock (Europe/Berlin: +02:00 until 2026-10-25 03:00, then
+01:00) and stored the way each database stores it: Health Connect in epoch ms with the zone
offset in seconds, Gadgetbridge in epoch seconds (activity samples) or ms (time samples).
Each builder returns (file name, bytes) via sqlite3's serialize, so nothing touches the disk.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import uuid
import zipfile
from collections.abc import Iterable
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
SAMSUNG = "com.sec.android.app.shealth"
OURA = "com.ouraring.oura"


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    """Berlin wall clock `hh:mm` on `day` (hh may be >= 24: the next day)."""
    base = dt.datetime.combine(day, dt.time(0, 0)) + dt.timedelta(hours=hh, minutes=mm)
    return base.replace(tzinfo=BERLIN)


def ms(t: dt.datetime) -> int:
    return int(t.timestamp() * 1000)


def secs(t: dt.datetime) -> int:
    return int(t.timestamp())


def off_s(t: dt.datetime) -> int:
    off = t.utcoffset()
    assert off is not None
    return int(off.total_seconds())


def _bytes(conn: sqlite3.Connection) -> bytes:
    data = conn.serialize()
    conn.close()
    return data


def zipped(members: Iterable[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


# ---------------------------------------------------------------- Health Connect

# the columns every record table has (AOSP RecordHelper), then the interval ones
_HC_RECORD = """
    row_id INTEGER PRIMARY KEY AUTOINCREMENT, uuid BLOB UNIQUE, last_modified_time INTEGER,
    client_record_id TEXT, client_record_version TEXT, device_info_id INTEGER,
    app_info_id INTEGER, recording_method INTEGER, dedupe_hash BLOB,
    start_time INTEGER NOT NULL, start_zone_offset INTEGER, end_time INTEGER NOT NULL,
    end_zone_offset INTEGER, local_date INTEGER
"""

# (stage_type, minutes) from the session start
SAMSUNG_NIGHT = [(1, 20), (4, 100), (5, 60), (7, 10), (6, 80), (4, 190), (3, 10), (1, 10)]
OURA_NIGHT = [(1, 15), (4, 195), (5, 60), (6, 180), (1, 10)]


class HealthConnect:
    """A health_connect_export.db being built."""

    def __init__(self, *, user_version: int = 13, steps: bool = True) -> None:
        self.conn = sqlite3.connect(":memory:")
        c = self.conn
        c.execute(f"PRAGMA user_version = {user_version}")
        c.execute(
            "CREATE TABLE application_info_table (row_id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "package_name TEXT NOT NULL UNIQUE, app_name TEXT, app_icon BLOB, "
            "record_types_used TEXT)"
        )
        c.execute(
            "CREATE TABLE device_info_table (row_id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "manufacturer TEXT, model TEXT, device_type INTEGER)"
        )
        c.execute(f"CREATE TABLE sleep_session_record_table ({_HC_RECORD}, notes TEXT, title TEXT)")
        c.execute(
            "CREATE TABLE sleep_stages_table (stage_start_time INTEGER NOT NULL, "
            "stage_end_time INTEGER NOT NULL, stage_type INTEGER NOT NULL, "
            "parent_key INTEGER NOT NULL REFERENCES sleep_session_record_table (row_id) "
            "ON DELETE CASCADE)"
        )
        if steps:
            c.execute(f"CREATE TABLE steps_record_table ({_HC_RECORD}, count INTEGER NOT NULL)")
        c.execute(
            f"CREATE TABLE exercise_session_record_table ({_HC_RECORD}, notes TEXT, "
            "exercise_type INTEGER NOT NULL, title TEXT, has_route INTEGER)"
        )
        self.apps: dict[str, int] = {}

    def app(self, package: str) -> int:
        if package not in self.apps:
            cur = self.conn.execute(
                "INSERT INTO application_info_table (package_name, app_name) VALUES (?, ?)",
                (package, package.rsplit(".", 1)[-1]),
            )
            self.apps[package] = int(cur.lastrowid or 0)
        return self.apps[package]

    def _interval(self, start: dt.datetime, end: dt.datetime, package: str) -> dict[str, object]:
        return {
            "uuid": uuid.uuid5(uuid.NAMESPACE_URL, f"{package}/{start.isoformat()}").bytes,
            "app_info_id": self.app(package),
            "start_time": ms(start),
            "start_zone_offset": off_s(start),
            "end_time": ms(end),
            "end_zone_offset": off_s(end),
            "local_date": (start.date() - dt.date(1970, 1, 1)).days,
        }

    def _insert(self, table: str, row: dict[str, object]) -> int:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values())
        )
        return int(cur.lastrowid or 0)

    def night(
        self,
        package: str,
        start: dt.datetime,
        stages: list[tuple[int, int]],
        end: dt.datetime | None = None,
    ) -> None:
        total = sum(m for _, m in stages)
        end = end or (start + dt.timedelta(minutes=total))
        row_id = self._insert("sleep_session_record_table", self._interval(start, end, package))
        t = start
        for kind, minutes in stages:
            nxt = t + dt.timedelta(minutes=minutes)
            self.conn.execute(
                "INSERT INTO sleep_stages_table VALUES (?, ?, ?, ?)", (ms(t), ms(nxt), kind, row_id)
            )
            t = nxt

    def steps(self, package: str, start: dt.datetime, count: int, *, zone: bool = True) -> None:
        row = self._interval(start, start + dt.timedelta(minutes=15), package)
        if not zone:
            row["start_zone_offset"] = row["end_zone_offset"] = None
        self._insert("steps_record_table", {**row, "count": count})

    def exercise(
        self, package: str, start: dt.datetime, minutes: int, kind: int, title: str | None = None
    ) -> None:
        row = self._interval(start, start + dt.timedelta(minutes=minutes), package)
        self._insert(
            "exercise_session_record_table", {**row, "exercise_type": kind, "title": title}
        )

    def build(self, name: str = "health_connect_export.db") -> tuple[str, bytes]:
        self.conn.commit()
        return name, _bytes(self.conn)


def health_connect() -> tuple[str, bytes]:
    """Samsung Health: nights of 10-19, 10-20, 10-21 (staged) and the DST night 10-24 (no
    stages); Oura: the night of 10-20 too. Steps from both apps; three workouts."""
    hc = HealthConnect()
    for d in (19, 20, 21):
        hc.night(SAMSUNG, at(dt.date(2026, 10, d), 23), SAMSUNG_NIGHT)
    hc.night(OURA, at(dt.date(2026, 10, 20), 23, 30), OURA_NIGHT)
    hc.night(SAMSUNG, at(dt.date(2026, 10, 24), 23), [], end=at(dt.date(2026, 10, 24), 31))
    day = dt.date(2026, 10, 20)
    hc.steps(SAMSUNG, at(day, 8), 1000)
    hc.steps(SAMSUNG, at(day, 12), 2500)
    hc.steps(SAMSUNG, at(day, 23, 30), 500)
    hc.steps(SAMSUNG, at(day, 24, 30), 300)  # 00:30 the next morning: the next local day
    hc.steps(SAMSUNG, at(day, 15), 200, zone=False)  # no offset: the configured zone's
    hc.steps(OURA, at(day, 9), 3500)
    hc.exercise(SAMSUNG, at(day, 18), 45, 33)
    hc.exercise(OURA, at(dt.date(2026, 10, 21), 7, 30), 30, 57)
    hc.exercise(SAMSUNG, at(dt.date(2026, 10, 21), 19), 40, 58, "Spinning class")
    return hc.build()


# ---------------------------------------------------------------- Gadgetbridge

GB_DEVICE = (
    "CREATE TABLE DEVICE (_id INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL, "
    "MANUFACTURER TEXT NOT NULL, IDENTIFIER TEXT NOT NULL UNIQUE, TYPE INTEGER NOT NULL, "
    "MODEL TEXT, ALIAS TEXT, PARENT_FOLDER TEXT)"
)
SAMPLE_KEY = "TIMESTAMP INTEGER NOT NULL, DEVICE_ID INTEGER NOT NULL, USER_ID INTEGER NOT NULL"


class Gadgetbridge:
    def __init__(self, *, user_version: int = 92) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(f"PRAGMA user_version = {user_version}")
        self.conn.execute("CREATE TABLE android_metadata (locale TEXT)")
        self.conn.execute(GB_DEVICE)
        self.conn.execute(
            "CREATE TABLE USER (_id INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT NOT NULL)"
        )
        self.conn.execute("INSERT INTO USER (NAME) VALUES ('me')")

    def device(self, name: str, alias: str | None = None, identifier: str | None = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO DEVICE (NAME, MANUFACTURER, IDENTIFIER, TYPE, ALIAS) VALUES (?, ?, ?, ?, ?)",
            (name, "x", identifier or f"AA:{name}", 1, alias),
        )
        return int(cur.lastrowid or 0)

    def table(self, sql: str) -> None:
        self.conn.execute(sql)

    def rows(self, table: str, rows: Iterable[dict[str, object]]) -> None:
        for row in rows:
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))

    def build(self, name: str = "Gadgetbridge") -> tuple[str, bytes]:
        self.conn.commit()
        return name, _bytes(self.conn)


def minutes(start: dt.datetime, n: int) -> list[dt.datetime]:
    return [start + dt.timedelta(minutes=i) for i in range(n)]


# Huami night of 10-19: (raw kind, minutes, steps per minute) from 22:00. 0x51 & 0xF == 1 and
# 0x1A & 0xF == 10 ("carry the previous kind"): the high bits must be masked off.
HUAMI_NIGHT = [
    (0x51, 60, 10),
    (9, 30, 0),
    (11, 20, 0),
    (0x1A, 5, 0),
    (11, 35, 0),
    (1, 10, 0),
    (9, 380, 0),
    (1, 60, 20),
]


def huami(
    gb: Gadgetbridge,
    device: int,
    day: dt.date,
    plan: list[tuple[int, int, int]] = HUAMI_NIGHT,
    start_hh: int = 22,
) -> None:
    if not _has(gb, "MI_BAND_ACTIVITY_SAMPLE"):
        gb.table(
            f"CREATE TABLE MI_BAND_ACTIVITY_SAMPLE ({SAMPLE_KEY}, RAW_INTENSITY INTEGER NOT NULL, "
            "STEPS INTEGER NOT NULL, RAW_KIND INTEGER NOT NULL, HEART_RATE INTEGER NOT NULL, "
            "PRIMARY KEY (TIMESTAMP, DEVICE_ID)) WITHOUT ROWID"
        )
    t = at(day, start_hh)
    rows = []
    for kind, n, steps in plan:
        for m in minutes(t, n):
            rows.append(
                {
                    "TIMESTAMP": secs(m),
                    "DEVICE_ID": device,
                    "USER_ID": 1,
                    "RAW_INTENSITY": 5,
                    "STEPS": steps,
                    "RAW_KIND": kind,
                    "HEART_RATE": 255,
                }
            )
        t += dt.timedelta(minutes=n)
    gb.rows("MI_BAND_ACTIVITY_SAMPLE", rows)


def _has(gb: Gadgetbridge, table: str) -> bool:
    return (
        gb.conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        is not None
    )


# Zepp OS night of 10-20 from 22:30: (raw kind, deep, rem, minutes, steps per minute)
ZEPP_NIGHT = [
    (1, 0, 0, 30, 5),
    (120, 10, 10, 60, 0),
    (120, 50 | 128, 10, 60, 0),
    (120, 10, 60, 60, 0),
    (120, 10, 10, 300, 0),
    (1, 0, 0, 30, 7),
]


def zepp(gb: Gadgetbridge, device: int, day: dt.date) -> None:
    gb.table(
        f"CREATE TABLE HUAMI_EXTENDED_ACTIVITY_SAMPLE ({SAMPLE_KEY}, RAW_INTENSITY INTEGER NOT NULL, "
        "STEPS INTEGER NOT NULL, RAW_KIND INTEGER NOT NULL, HEART_RATE INTEGER NOT NULL, "
        "UNKNOWN1 INTEGER, SLEEP INTEGER, DEEP_SLEEP INTEGER, REM_SLEEP INTEGER, "
        "PRIMARY KEY (TIMESTAMP, DEVICE_ID)) WITHOUT ROWID"
    )
    t = at(day, 22, 30)
    rows = []
    for kind, deep, rem, n, steps in ZEPP_NIGHT:
        for m in minutes(t, n):
            rows.append(
                {
                    "TIMESTAMP": secs(m),
                    "DEVICE_ID": device,
                    "USER_ID": 1,
                    "RAW_INTENSITY": 0,
                    "STEPS": steps,
                    "RAW_KIND": kind,
                    "HEART_RATE": 60,
                    "DEEP_SLEEP": deep,
                    "REM_SLEEP": rem,
                }
            )
        t += dt.timedelta(minutes=n)
    gb.rows("HUAMI_EXTENDED_ACTIVITY_SAMPLE", rows)


def xiaomi(gb: Gadgetbridge, device: int) -> None:
    gb.table(
        f"CREATE TABLE XIAOMI_SLEEP_TIME_SAMPLE ({SAMPLE_KEY}, WAKEUP_TIME INTEGER, IS_AWAKE INTEGER, "
        "TOTAL_DURATION INTEGER, DEEP_SLEEP_DURATION INTEGER, LIGHT_SLEEP_DURATION INTEGER, "
        "REM_SLEEP_DURATION INTEGER, AWAKE_DURATION INTEGER, PRIMARY KEY (TIMESTAMP, DEVICE_ID))"
    )
    gb.table(
        f"CREATE TABLE XIAOMI_SLEEP_STAGE_SAMPLE ({SAMPLE_KEY}, STAGE INTEGER, PRIMARY KEY (TIMESTAMP, DEVICE_ID))"
    )
    n1 = dt.date(2026, 10, 21)
    n2 = dt.date(2026, 10, 22)
    gb.rows(
        "XIAOMI_SLEEP_TIME_SAMPLE",
        [
            {
                "TIMESTAMP": ms(at(n1, 23)),
                "DEVICE_ID": device,
                "USER_ID": 1,
                "WAKEUP_TIME": ms(at(n1, 31)),
                "TOTAL_DURATION": 470,
                "DEEP_SLEEP_DURATION": 60,
                "LIGHT_SLEEP_DURATION": 350,
                "REM_SLEEP_DURATION": 60,
                "AWAKE_DURATION": 10,
            },
            # no stage timeline for this one: the summed minutes
            {
                "TIMESTAMP": ms(at(n2, 23)),
                "DEVICE_ID": device,
                "USER_ID": 1,
                "WAKEUP_TIME": ms(at(n2, 31)),
                "TOTAL_DURATION": 420,
                "DEEP_SLEEP_DURATION": 80,
                "LIGHT_SLEEP_DURATION": 260,
                "REM_SLEEP_DURATION": 80,
                "AWAKE_DURATION": 20,
            },
        ],
    )
    points = [(23, 0, 3), (25, 0, 2), (26, 0, 4), (27, 0, 5), (27, 10, 3)]
    gb.rows(
        "XIAOMI_SLEEP_STAGE_SAMPLE",
        [
            {"TIMESTAMP": ms(at(n1, hh, mm)), "DEVICE_ID": device, "USER_ID": 1, "STAGE": stage}
            for hh, mm, stage in points
        ],
    )


def garmin(gb: Gadgetbridge, device: int) -> None:
    gb.table(
        f"CREATE TABLE GARMIN_EVENT_SAMPLE ({SAMPLE_KEY}, EVENT INTEGER NOT NULL, EVENT_TYPE INTEGER, DATA INTEGER, PRIMARY KEY (TIMESTAMP, DEVICE_ID, EVENT))"
    )
    gb.table(
        f"CREATE TABLE GARMIN_SLEEP_STAGE_SAMPLE ({SAMPLE_KEY}, STAGE INTEGER, PRIMARY KEY (TIMESTAMP, DEVICE_ID))"
    )
    gb.table(
        f"CREATE TABLE GARMIN_ACTIVITY_SAMPLE ({SAMPLE_KEY}, RAW_INTENSITY INTEGER NOT NULL, STEPS INTEGER NOT NULL, "
        "RAW_KIND INTEGER NOT NULL, HEART_RATE INTEGER NOT NULL, DISTANCE_CM INTEGER, ACTIVE_CALORIES INTEGER, "
        "PRIMARY KEY (TIMESTAMP, DEVICE_ID)) WITHOUT ROWID"
    )
    night = dt.date(2026, 10, 23)
    gb.rows(
        "GARMIN_EVENT_SAMPLE",
        [
            {
                "TIMESTAMP": ms(at(night, 20)),
                "DEVICE_ID": device,
                "USER_ID": 1,
                "EVENT": 3,
                "EVENT_TYPE": 0,
            },
            {
                "TIMESTAMP": ms(at(night, 23)),
                "DEVICE_ID": device,
                "USER_ID": 1,
                "EVENT": 74,
                "EVENT_TYPE": 0,
            },
            {
                "TIMESTAMP": ms(at(night, 31)),
                "DEVICE_ID": device,
                "USER_ID": 1,
                "EVENT": 74,
                "EVENT_TYPE": 1,
            },
        ],
    )
    ends = [(23, 30, 1), (25, 30, 2), (26, 30, 3), (27, 30, 4), (31, 0, 2)]
    gb.rows(
        "GARMIN_SLEEP_STAGE_SAMPLE",
        [
            {"TIMESTAMP": ms(at(night, hh, mm)), "DEVICE_ID": device, "USER_ID": 1, "STAGE": s}
            for hh, mm, s in ends
        ],
    )
    totals = [
        (night, 8, 100),
        (night, 9, 600),
        (night, 12, 3000),
        (night, 18, 5000),
        (night, 24 + 0, 5000),
        (night, 24 + 1, 50),
        (night, 24 + 10, 2050),
    ]
    # 00:00 still shows yesterday's total (the reset comes at 01:00 here): counted once
    gb.rows(
        "GARMIN_ACTIVITY_SAMPLE",
        [
            {
                "TIMESTAMP": secs(at(d, hh)),
                "DEVICE_ID": device,
                "USER_ID": 1,
                "RAW_INTENSITY": 0,
                "STEPS": n,
                "RAW_KIND": 0,
                "HEART_RATE": 0,
            }
            for d, hh, n in totals
        ],
    )


def pebble(gb: Gadgetbridge, device: int) -> None:
    gb.table(
        "CREATE TABLE PEBBLE_HEALTH_ACTIVITY_OVERLAY (TIMESTAMP_FROM INTEGER NOT NULL, TIMESTAMP_TO INTEGER NOT NULL, "
        "RAW_KIND INTEGER NOT NULL, DEVICE_ID INTEGER NOT NULL, USER_ID INTEGER NOT NULL, RAW_PEBBLE_HEALTH_DATA BLOB, "
        "PRIMARY KEY (TIMESTAMP_FROM, TIMESTAMP_TO, RAW_KIND, DEVICE_ID))"
    )
    d = dt.date(2026, 10, 25)
    gb.rows(
        "PEBBLE_HEALTH_ACTIVITY_OVERLAY",
        [
            {
                "TIMESTAMP_FROM": secs(at(d, 23)),
                "TIMESTAMP_TO": secs(at(d, 31)),
                "RAW_KIND": 1,
                "DEVICE_ID": device,
                "USER_ID": 1,
            },
            {
                "TIMESTAMP_FROM": secs(at(d, 25)),
                "TIMESTAMP_TO": secs(at(d, 26, 30)),
                "RAW_KIND": 2,
                "DEVICE_ID": device,
                "USER_ID": 1,
            },
            {
                "TIMESTAMP_FROM": secs(at(d, 14)),
                "TIMESTAMP_TO": secs(at(d, 14, 40)),
                "RAW_KIND": 3,
                "DEVICE_ID": device,
                "USER_ID": 1,
            },
        ],
    )


def summaries(gb: Gadgetbridge, rows: list[tuple[int, dt.datetime, int, int, str]]) -> None:
    gb.table(
        "CREATE TABLE BASE_ACTIVITY_SUMMARY (_id INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT, "
        "START_TIME INTEGER NOT NULL, END_TIME INTEGER NOT NULL, ACTIVITY_KIND INTEGER NOT NULL, "
        "BASE_LONGITUDE INTEGER, BASE_LATITUDE INTEGER, BASE_ALTITUDE INTEGER, GPX_TRACK TEXT, "
        "RAW_DETAILS_PATH TEXT, DEVICE_ID INTEGER NOT NULL, USER_ID INTEGER NOT NULL, "
        "SUMMARY_DATA TEXT, RAW_SUMMARY_DATA BLOB)"
    )
    gb.rows(
        "BASE_ACTIVITY_SUMMARY",
        [
            {
                "NAME": name,
                "START_TIME": ms(start),
                "END_TIME": ms(start + dt.timedelta(minutes=m)),
                "ACTIVITY_KIND": kind,
                "DEVICE_ID": dev,
                "USER_ID": 1,
            }
            for dev, start, m, kind, name in rows
        ],
    )


def gadgetbridge() -> tuple[str, bytes]:
    """One database with a device of each family read (see each helper for its nights), two
    workouts and a sample table of a family taperdash does not read."""
    gb = Gadgetbridge()
    bip = gb.device("Amazfit Bip")
    gtr = gb.device("Amazfit GTR 4")
    band = gb.device("Xiaomi Smart Band 8")
    fr = gb.device("Forerunner 255", alias="My Garmin")
    peb = gb.device("Pebble Time")
    huami(gb, bip, dt.date(2026, 10, 19))
    # a 4-minute doze the next afternoon: 5 minutes or less is no session
    huami(gb, bip, dt.date(2026, 10, 20), plan=[(1, 5, 0), (9, 4, 0), (1, 5, 0)], start_hh=14)
    zepp(gb, gtr, dt.date(2026, 10, 20))
    xiaomi(gb, band)
    garmin(gb, fr)
    pebble(gb, peb)
    summaries(
        gb,
        [
            (bip, at(dt.date(2026, 10, 20), 18), 40, 16, "Outdoor running"),
            (fr, at(dt.date(2026, 10, 23), 17), 30, 0, "Evening walk"),
        ],
    )
    gb.table(
        f"CREATE TABLE PINE_TIME_ACTIVITY_SAMPLE ({SAMPLE_KEY}, STEPS INTEGER, RAW_KIND INTEGER)"
    )
    gb.rows(
        "PINE_TIME_ACTIVITY_SAMPLE",
        [
            {
                "TIMESTAMP": 1_790_000_000 + i * 60,
                "DEVICE_ID": 9,
                "USER_ID": 1,
                "STEPS": 1,
                "RAW_KIND": 1,
            }
            for i in range(3)
        ],
    )
    return gb.build()


def gadgetbridge_backup(db: tuple[str, bytes] | None = None) -> tuple[str, bytes]:
    _, data = db or gadgetbridge()
    return "gadgetbridge_20261026071500.zip", zipped(
        [("database/Gadgetbridge", data), ("preferences/global.json", b"{}")]
    )
