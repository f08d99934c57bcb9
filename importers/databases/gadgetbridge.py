"""Gadgetbridge database (format `gadgetbridge`, source `gadgetbridge:<device name>`).

Layout (FORMATS.md, from Freeyourgadget/Gadgetbridge, schema 92): "Export DB" writes the SQLite
file `Gadgetbridge` (auto-export: `Gadgetbridge.db`); the zip backup
`gadgetbridge_<yyyyMMddHHmmss>.zip` holds `database/Gadgetbridge`. greenDAO tables, UPPER_SNAKE;
activity samples key on (TIMESTAMP in epoch seconds, DEVICE_ID); "time samples" are in ms.

Device families read (each a module of its own, see gadgetbridge_families.py):
- Huami/Amazfit `MI_BAND_ACTIVITY_SAMPLE`, Zepp OS `HUAMI_EXTENDED_ACTIVITY_SAMPLE`: per-minute
  kinds, sessions built the way Gadgetbridge's SleepAnalysis builds them; steps per minute.
- Xiaomi `XIAOMI_SLEEP_TIME_SAMPLE` + `XIAOMI_SLEEP_STAGE_SAMPLE`; steps from
  `XIAOMI_ACTIVITY_SAMPLE`.
- Garmin `GARMIN_SLEEP_STAGE_SAMPLE` within `GARMIN_EVENT_SAMPLE` 74 start/stop bounds; steps
  from `GARMIN_ACTIVITY_SAMPLE` (cumulative, reset daily).
- Pebble `PEBBLE_HEALTH_ACTIVITY_OVERLAY` sleep/deep/nap overlays; steps from
  `PEBBLE_HEALTH_ACTIVITY_SAMPLE`.
- Workouts of every family from `BASE_ACTIVITY_SUMMARY`.
A sample table of any other family that holds rows is named in a warning ("skipped ...");
the rest of the database still goes in. Gadgetbridge stores instants without a zone, so local
dates and offsets come from the configured zone (ctx.tz).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from importers.databases import gadgetbridge_families as fam
from importers.databases import health_connect, sqlite
from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

NAME = "gadgetbridge"


MARKERS = (b"ACTIVITY_SAMPLE", b"BASE_ACTIVITY_SUMMARY", b"ACTIVITY_OVERLAY")


def sniff(name: str, head: bytes) -> bool:
    if not sqlite.is_sqlite(head) or health_connect.sniff(name, head):
        return False
    base = PurePosixPath(name.replace("\\", "/")).name.lower()
    # Gadgetbridge's own names, or its tables on the first pages. A renamed export whose schema
    # sits further in is not guessed at (a sync folder may hold other apps' databases, which
    # must be skipped, not failed): `--format gadgetbridge` reads it.
    return base.startswith("gadgetbridge") or any(m in head for m in MARKERS)


def read_db(db: sqlite.Database, ctx: ReadContext) -> ImportResult:
    if any(db.has(t) for t in health_connect.RECORD_TABLES):
        return health_connect.read_db(db, ctx)
    known = [t for t in fam.KNOWN_TABLES if db.has(t)]
    if not known:
        if db.has(fam.DEVICE):
            # Gadgetbridge's, but only of device families not read here: nothing to take, and
            # nothing wrong with the file
            other = fam.Families(db, ctx).unread_tables()
            held = ", ".join(f"{t} ({n} rows)" for t, n in other) or "no activity or sleep rows"
            return ImportResult(
                format=NAME, skipped=f"no device family taperdash reads; it holds {held}"
            )
        raise ImportRefused(
            "not a Gadgetbridge database: none of its activity, sleep or workout tables "
            f"(user_version {db.user_version})"
        )
    reader = fam.Families(db, ctx)
    sessions, stages = reader.sleep()
    days = reader.steps()
    acts = reader.workouts()
    warnings = list(reader.col.warnings)
    other = reader.unread_tables()
    if other:
        warnings.append(
            "skipped "
            + ", ".join(f"{t} ({n} rows)" for t, n in other)
            + ": device families taperdash does not read yet"
        )
    return c.result(NAME, warnings, sessions=sessions, stages=stages, activities=acts, daily=days)


read, read_stream = sqlite.readers(read_db)


FORMAT = register(
    Format(
        NAME,
        "Gadgetbridge database (Gadgetbridge, Gadgetbridge.db, gadgetbridge_*.zip backup)",
        sniff,
        read,
        read_stream,
    )
)
