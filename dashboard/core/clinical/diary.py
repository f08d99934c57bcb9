"""The sleep diary (Consensus Sleep Diary items) as its own source, beside the devices.

A diary night is a sleep_sessions row with source "diary" and source_id the night's date, so
it lives in the same table as the imported nights but is never ranked against them: daily.py
takes either devices or the diary for the analysis (config.sleep_series), and
`nights_side_by_side` shows the two next to each other, labelled. The diary's quality rating
(1-5) is kept in the row's `score` column, which for devices holds the vendor's score: a
series never mixes the two, so the scales never meet.

Minutes are elapsed time, not wall-clock arithmetic: on the night the clocks go back, 23:00 to
07:00 is nine hours in bed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import Frame, nights
from dashboard.core.clock import SKEW
from dashboard.core.errors import UserError
from dashboard.core.store.config import DIARY_SOURCE, Config
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import SLEEP_SESSIONS, as_table, conform

MAX_IN_BED_MIN = 20 * 60.0  # longer is a typo in a time, not a night
MAX_LATENCY_MIN = 12 * 60.0
MAX_AWAKENINGS = 99
_CLOCK = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


class InvalidDiary(UserError):
    pass


@dataclass(frozen=True)
class DiaryInput:
    """The morning's answers about the night that started on the evening of `night`."""

    night: dt.date
    bedtime: dt.time  # got into bed
    latency_min: float  # time to fall asleep
    awakenings: int
    waso_min: float  # time awake after sleep onset, before the final awakening
    wake: dt.time  # final awakening
    out_of_bed: dt.time
    quality: int  # 1 very poor .. 5 very good


@dataclass(frozen=True)
class DiaryNight:
    night: dt.date
    bed_at: dt.datetime  # UTC
    wake_at: dt.datetime
    out_at: dt.datetime
    utc_offset_min: int  # at bedtime
    in_bed_min: float  # out of bed - bedtime
    asleep_min: float  # final wake - bedtime - latency - WASO
    awake_min: float  # in bed - asleep
    latency_min: float
    waso_min: float
    awakenings: int
    efficiency: float  # asleep / in bed
    quality: int

    def row(self) -> dict[str, object]:
        return {
            "source": DIARY_SOURCE,
            "source_id": self.night.isoformat(),
            "start": self.bed_at,
            "end": self.out_at,
            "utc_offset_min": self.utc_offset_min,
            "night": self.night,
            "time_in_bed_min": self.in_bed_min,
            "asleep_min": self.asleep_min,
            "awake_min": self.awake_min,
            "light_min": None,
            "deep_min": None,
            "rem_min": None,
            "awakenings": self.awakenings,
            "latency_min": self.latency_min,
            "waso_min": self.waso_min,
            "efficiency": self.efficiency,
            "score": float(self.quality),
            "is_nap": False,
        }


def parse_clock(text: str, name: str) -> dt.time:
    """`23:10`, `7:05`, `23.10` or `23h10` -> a wall-clock time."""
    m = _CLOCK.match(text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidDiary(f"{name} {text!r}: expected a clock time HH:MM, e.g. 23:10")
    return dt.time(int(m[1]), int(m[2]))


def _aware(day: dt.date, clock: dt.time, tz: ZoneInfo) -> dt.datetime:
    # A wall time the spring-forward gap skips resolves like zoneinfo's fold=0 (an hour on);
    # in the autumn's repeated hour fold=0 takes the first, summer-time, instance.
    return dt.datetime.combine(day, clock, tzinfo=tz)


def _minutes(a: dt.datetime, b: dt.datetime) -> float:
    return (b.astimezone(dt.UTC) - a.astimezone(dt.UTC)).total_seconds() / 60.0


def compute(d: DiaryInput, tz: ZoneInfo, now: dt.datetime) -> DiaryNight:
    """The diary night's times and minutes; refuses answers that cannot all be true."""
    for name, value, hi in (
        ("time to fall asleep", d.latency_min, MAX_LATENCY_MIN),
        ("time awake after falling asleep", d.waso_min, MAX_IN_BED_MIN),
    ):
        if not math.isfinite(value) or not 0 <= value <= hi:
            raise InvalidDiary(f"{name} must be 0 to {hi:g} minutes, got {value:g}")
    if not 0 <= d.awakenings <= MAX_AWAKENINGS:
        raise InvalidDiary(f"awakenings must be 0 to {MAX_AWAKENINGS}, got {d.awakenings}")
    if d.awakenings == 0 and d.waso_min > 0:
        raise InvalidDiary(
            f"{d.waso_min:g} min awake after falling asleep but 0 awakenings: give the number of"
            " awakenings, or 0 minutes"
        )
    if not 1 <= d.quality <= 5:
        raise InvalidDiary(f"quality must be 1 (very poor) to 5 (very good), got {d.quality}")
    # Night d starts on the evening of d: a bedtime before noon is after midnight, on d + 1.
    bed_day = d.night if d.bedtime.hour >= 12 else d.night + dt.timedelta(days=1)
    bed = _aware(bed_day, d.bedtime, tz)
    wake_day = bed_day if d.wake > d.bedtime else bed_day + dt.timedelta(days=1)
    wake = _aware(wake_day, d.wake, tz)
    out_day = wake_day if d.out_of_bed >= d.wake else wake_day + dt.timedelta(days=1)
    out = _aware(out_day, d.out_of_bed, tz)
    if out_day != wake_day:
        raise InvalidDiary(
            f"out of bed at {d.out_of_bed:%H:%M} is before the final wake at {d.wake:%H:%M}"
        )
    in_bed = _minutes(bed, out)
    to_wake = _minutes(bed, wake)
    if in_bed > MAX_IN_BED_MIN:
        raise InvalidDiary(
            f"{in_bed / 60:.1f} h in bed from {d.bedtime:%H:%M} to {d.out_of_bed:%H:%M}: check the times"
        )
    asleep = to_wake - d.latency_min - d.waso_min
    if asleep <= 0:
        raise InvalidDiary(
            f"time to fall asleep ({d.latency_min:g} min) and awake after falling asleep"
            f" ({d.waso_min:g} min) leave no sleep between {d.bedtime:%H:%M} and {d.wake:%H:%M}"
        )
    out_utc = out.astimezone(dt.UTC)
    if out_utc > now + SKEW:
        raise InvalidDiary(
            f"the night of {d.night} ends at {out:%Y-%m-%d %H:%M}, which is in the future"
        )
    offset = bed.utcoffset()
    return DiaryNight(
        night=d.night,
        bed_at=bed.astimezone(dt.UTC),
        wake_at=wake.astimezone(dt.UTC),
        out_at=out_utc,
        utc_offset_min=int(offset.total_seconds() // 60) if offset is not None else 0,
        in_bed_min=in_bed,
        asleep_min=asleep,
        awake_min=in_bed - asleep,
        latency_min=float(d.latency_min),
        waso_min=float(d.waso_min),
        awakenings=int(d.awakenings),
        efficiency=asleep / in_bed,
        quality=int(d.quality),
    )


def stored_entry(sleep_sessions: pl.DataFrame, night: dt.date, tz: ZoneInfo) -> DiaryInput | None:
    """The answers stored for `night`, to prefill the morning form; None if none yet."""
    table = as_table(sleep_sessions, SLEEP_SESSIONS).filter(
        (pl.col("source") == DIARY_SOURCE) & (pl.col("source_id") == night.isoformat())
    )
    if table.is_empty():
        return None
    r = table.row(-1, named=True)
    latency, waso = r["latency_min"] or 0.0, r["waso_min"] or 0.0
    # The final wake is not a column: it is bedtime + latency + asleep + WASO, by definition.
    wake = r["start"] + dt.timedelta(minutes=latency + (r["asleep_min"] or 0.0) + waso)
    return DiaryInput(
        night=night,
        bedtime=r["start"].astimezone(tz).time().replace(second=0, microsecond=0),
        latency_min=latency,
        awakenings=int(r["awakenings"] or 0),
        waso_min=waso,
        wake=wake.astimezone(tz).time().replace(second=0, microsecond=0),
        out_of_bed=r["end"].astimezone(tz).time().replace(second=0, microsecond=0),
        quality=int(r["score"] or 3),
    )


def upsert_diary(sleep_sessions: pl.DataFrame, night: DiaryNight) -> pl.DataFrame:
    """The sleep_sessions table with this night's diary row replaced (one diary row a night)."""
    row = pl.DataFrame([night.row()], schema=SLEEP_SESSIONS)
    table = as_table(sleep_sessions, SLEEP_SESSIONS)
    kept = table.filter(
        ~((pl.col("source") == DIARY_SOURCE) & (pl.col("source_id") == night.night.isoformat()))
    )
    return pl.concat([kept, row])


def save_diary(store: Store, night: DiaryNight) -> None:
    """Writes one diary night in a transaction."""
    with store.transaction() as tx:
        tx.put("sleep_sessions", upsert_diary(tx.read("sleep_sessions"), night))


# -- side by side -------------------------------------------------------------------------------

_SIDE = (
    C.ASLEEP_MIN,
    C.IN_BED_MIN,
    C.EFFICIENCY,
    C.LATENCY_MIN,
    C.WASO_MIN,
    C.AWAKENINGS,
)
SIDE_BY_SIDE = pl.Schema(
    {
        C.DATE: pl.Date,
        "device_source": pl.String,
        **{f"device_{c}": pl.Int32 if c == C.AWAKENINGS else pl.Float64 for c in _SIDE},
        **{f"diary_{c}": pl.Int32 if c == C.AWAKENINGS else pl.Float64 for c in _SIDE},
        "diary_quality": pl.Int8,
        "asleep_diff_min": pl.Float64,  # diary - device, where both exist
    }
)


def nights_side_by_side(sleep_sessions: Frame, config: Config) -> pl.DataFrame:
    """One row per night with the device's night (by source_priority) and the diary's, labelled.

    The two are columns, never coalesced: the Sleep screen shows both and the gap between them
    (diaries usually report 30-40 min more sleep than devices).
    """
    dev = nights(sleep_sessions, config, kind="device").select(
        C.DATE,
        pl.col(C.SLEEP_SOURCE).alias("device_source"),
        *(pl.col(c).alias(f"device_{c}") for c in _SIDE),
    )
    dia = nights(sleep_sessions, config, kind="diary").select(
        C.DATE,
        *(pl.col(c).alias(f"diary_{c}") for c in _SIDE),
        pl.col(C.SLEEP_SCORE).alias("diary_quality"),
    )
    out = (
        dev.join(dia, on=C.DATE, how="full", coalesce=True)
        .with_columns(
            (pl.col(f"diary_{C.ASLEEP_MIN}") - pl.col(f"device_{C.ASLEEP_MIN}")).alias(
                "asleep_diff_min"
            )
        )
        .sort(C.DATE)
    )
    return conform(out, SIDE_BY_SIDE)
