"""Three small FIT files written in code (staged sleep, monitoring, activity) for the FIT and
pipeline fuzz tests, and `reseal`, which makes a mutated file's header size and CRCs agree with
its bytes so the damage reaches the decoder instead of stopping at the CRC check."""

from __future__ import annotations

import datetime as dt
import struct

from importers.fit import crc16
from sample_data.fitwrite import (
    MonitoringDay,
    Session,
    write_activity_fit,
    write_monitoring_fit,
    write_sleep_fit,
)

T0 = dt.datetime(2026, 4, 1, 21, 0, tzinfo=dt.UTC)


def _minutes(m: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=m)


BASES = [
    write_sleep_fit(
        None,
        [
            (_minutes(0), "awake"),
            (_minutes(9), "light"),
            (_minutes(80), "deep"),
            (_minutes(200), "rem"),
        ],
        _minutes(-3),
        _minutes(420),
        120,
        score=70,
        awakenings=2,
    ),
    write_monitoring_fit(
        None,
        [MonitoringDay(dt.date(2026, 4, 1), {"walking": 900, "running": 300}, resting_hr=52)],
        120,
    ),
    write_activity_fit(
        None,
        [Session("running", T0, 40, avg_hr=150, max_hr=170), Session("cycling", _minutes(1), 30)],
        120,
        records=True,
    ),
]


def reseal(data: bytearray) -> bytes:
    """Make header size and both CRCs agree with the (mutated) bytes."""
    if len(data) < 16:
        return bytes(data)
    struct.pack_into("<I", data, 4, len(data) - 16)
    struct.pack_into("<H", data, 12, crc16(bytes(data[:12])))
    struct.pack_into("<H", data, len(data) - 2, crc16(bytes(data[:-2])))
    return bytes(data)
