"""The Sleep screen's view model: nights as the dashboard shows them, the diary beside them,
hand corrections, and the numbers of a span (nights, insomnia nights, means) from one list.

Pure functions of frames; local times are UTC + the row's own utc_offset_min
(importers.model.local_of_py), the same conversion `taperdash night --list` uses.

Polars (and importers.model, which needs it) are imported inside the functions: the Sleep
screen imports this module at start-up, which is budgeted without Polars.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dashboard.core.store.config import DIARY_SOURCE, Config, InsomniaConfig
from dashboard.core.views.span import Window
from dashboard.core.words import count, short_hm

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class NightInfo:
    """One night as the dashboard shows it: the chosen session and what the others were."""

    date: dt.date
    source: str
    source_id: str | None
    start: dt.datetime | None  # UTC, aware
    end: dt.datetime | None
    utc_offset_min: int
    asleep_min: float | None
    in_bed_min: float | None
    efficiency: float | None  # 0..1
    latency_min: float | None
    awakenings: int | None
    waso_min: float | None
    light_min: float | None
    deep_min: float | None
    rem_min: float | None
    insomnia: bool | None
    others: tuple[str, ...] = ()  # other sources that recorded this night too
    end_offset_min: int | None = None  # the end's offset when a change of summer time fell in it

    @property
    def local_start(self) -> dt.datetime | None:
        from importers.model import local_of_py

        return None if self.start is None else local_of_py(self.start, self.utc_offset_min)

    @property
    def local_end(self) -> dt.datetime | None:
        from importers.model import local_of_py

        offset = self.utc_offset_min if self.end_offset_min is None else self.end_offset_min
        return None if self.end is None else local_of_py(self.end, offset)


def insomnia_reasons(night: NightInfo, cfg: InsomniaConfig) -> list[str]:
    """Which thresholds made it an insomnia night, in the words of the config."""
    out = []
    if night.asleep_min is not None and night.asleep_min < cfg.asleep_min:
        out.append(f"asleep < {short_hm(cfg.asleep_min)}")
    if night.efficiency is not None and night.efficiency < cfg.efficiency:
        out.append(f"efficiency < {cfg.efficiency * 100:.0f} %")
    if night.latency_min is not None and night.latency_min > cfg.latency_min:
        out.append(f"latency > {cfg.latency_min:.0f} min")
    if night.waso_min is not None and night.waso_min > cfg.waso_min:
        out.append(f"awake after sleep onset > {cfg.waso_min:.0f} min")
    return out


def is_diary_source(source: str | None) -> bool:
    """The sleep diary is its own series beside the devices, never ranked against them."""
    return (source or "").split(":")[0] == DIARY_SOURCE


@dataclass(frozen=True)
class DiaryNight:
    asleep_min: float | None
    in_bed_min: float | None
    quality: int | None
    device_asleep_min: float | None

    @property
    def diff_min(self) -> float | None:
        if self.asleep_min is None or self.device_asleep_min is None:
            return None
        return self.asleep_min - self.device_asleep_min


def collect_diary(sessions: pl.DataFrame, config: Config) -> dict[dt.date, DiaryNight]:
    """Diary nights beside the device's night of the same date (empty without a diary)."""

    from dashboard.core.analysis import columns as C
    from dashboard.core.analysis.daily import is_diary

    has_diary = sessions.filter(is_diary()).height
    if not has_diary:
        return {}
    from dashboard.core.clinical.diary import nights_side_by_side

    side = nights_side_by_side(sessions, config)
    return {
        row[C.DATE]: DiaryNight(
            asleep_min=row[f"diary_{C.ASLEEP_MIN}"],
            in_bed_min=row[f"diary_{C.IN_BED_MIN}"],
            quality=row["diary_quality"],
            device_asleep_min=row[f"device_{C.ASLEEP_MIN}"],
        )
        for row in side.iter_rows(named=True)
        if row[f"diary_{C.ASLEEP_MIN}"] is not None
    }


def collect_nights(
    daily: pl.DataFrame, sessions: pl.DataFrame, tz: ZoneInfo
) -> dict[dt.date, NightInfo]:
    """The nights of the daily frame, each joined back to its session for id and offset."""
    import polars as pl

    from dashboard.core.analysis import columns as C
    from importers.model import end_offset, night_of_py

    cols = [
        C.DATE, C.SLEEP_SOURCE, C.SLEEP_START, C.SLEEP_END, C.ASLEEP_MIN, C.IN_BED_MIN,
        C.EFFICIENCY, C.LATENCY_MIN, C.AWAKENINGS, C.WASO_MIN, C.LIGHT_MIN, C.DEEP_MIN,
        C.REM_MIN, C.INSOMNIA_NIGHT,
    ]  # fmt: skip
    by_key: dict[tuple[str, dt.datetime], tuple[str | None, int | None]] = {}
    sources_of: dict[dt.date, set[str]] = {}
    for row in sessions.filter(~pl.col("is_nap").fill_null(False)).iter_rows(named=True):
        start = row["start"]
        by_key[(row["source"], start)] = (row["source_id"], row["utc_offset_min"])
        night = row["night"]
        if night is None and start is not None:
            night = night_of_py(start, row["utc_offset_min"], tz)
        if night is not None and not is_diary_source(row["source"]):
            sources_of.setdefault(night, set()).add(row["source"])

    frame = daily.select(cols).filter(pl.col(C.SLEEP_SOURCE).is_not_null())
    out: dict[dt.date, NightInfo] = {}
    for row in frame.iter_rows(named=True):
        source, start = row[C.SLEEP_SOURCE], row[C.SLEEP_START]
        source_id, offset = by_key.get((source, start), (None, None))
        if offset is None and start is not None:
            delta = start.astimezone(tz).utcoffset()
            offset = int(delta.total_seconds() // 60) if delta is not None else 0
        day = row[C.DATE]
        out[day] = NightInfo(
            date=day,
            source=source,
            source_id=source_id,
            start=start,
            end=row[C.SLEEP_END],
            utc_offset_min=offset or 0,
            asleep_min=row[C.ASLEEP_MIN],
            in_bed_min=row[C.IN_BED_MIN],
            efficiency=row[C.EFFICIENCY],
            latency_min=row[C.LATENCY_MIN],
            awakenings=row[C.AWAKENINGS],
            waso_min=row[C.WASO_MIN],
            light_min=row[C.LIGHT_MIN],
            deep_min=row[C.DEEP_MIN],
            rem_min=row[C.REM_MIN],
            insomnia=row[C.INSOMNIA_NIGHT],
            others=tuple(sorted(sources_of.get(day, set()) - {source})),
            end_offset_min=(
                None
                if start is None or row[C.SLEEP_END] is None
                else end_offset(start, row[C.SLEEP_END], offset or 0, tz)
            ),
        )
    return out


def stage_rows(
    stages: pl.DataFrame, night: NightInfo
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """The stages recorded for the night's own session (other sources' stages are not mixed in)."""
    import polars as pl

    if night.source_id is None:
        return []
    mine = stages.filter(
        (pl.col("source") == night.source) & (pl.col("source_id") == night.source_id)
    )
    return [
        (start, end, stage)
        for start, end, stage in mine.select("start", "end", "stage").iter_rows()
        if start is not None and end is not None
    ]


@dataclass(frozen=True)
class NightFix:
    """A hand correction (a night_overrides row that is not undone) and the night it concerns."""

    id: int
    night: dt.date
    kind: str  # nap | not_sleep | times
    start: dt.datetime | None = None  # local wall time of a times correction
    end: dt.datetime | None = None

    def describe(self) -> str:
        if self.kind == "nap":
            return "nap"
        if self.kind == "not_sleep":
            return "not sleep"
        if self.start is not None and self.end is not None:
            return f"times {self.start:%H:%M} → {self.end:%H:%M}"
        return self.kind


def collect_fixes(
    overrides: pl.DataFrame,
    sessions: pl.DataFrame,
    read_raw: Callable[[], pl.DataFrame],
    tz: ZoneInfo,
) -> dict[dt.date, list[NightFix]]:
    """The corrections in force, by night, oldest first.

    `sessions` are already corrected: a night marked "not sleep" is gone from them, so only
    then is `read_raw` (the imported sessions as stored) called to find which night it was.
    """
    import polars as pl

    from dashboard.core.clinical.overrides import KEY, active
    from importers.model import end_offset, local_of_py, night_of_py

    fixes = active(overrides)
    if fixes.is_empty():
        return {}
    keys = fixes.select(KEY).unique()
    found = sessions.join(keys, on=KEY, how="semi")
    if found.height < keys.height:
        raw = read_raw().join(keys, on=KEY, how="semi")
        found = pl.concat([found, raw.join(found.select(KEY), on=KEY, how="anti")])
    where: dict[tuple[str, str], tuple[dt.date | None, int | None]] = {}
    for row in found.iter_rows(named=True):
        night, start, offset = row["night"], row["start"], row["utc_offset_min"]
        if night is None and start is not None:
            night = night_of_py(start, offset, tz)
        where[(row["source"], row["source_id"])] = (night, offset)
    out: dict[dt.date, list[NightFix]] = {}
    for row in fixes.sort("id").iter_rows(named=True):
        night, offset = where.get((row["source"], row["source_id"]), (None, None))
        if night is None:
            continue  # the session is gone from the store: nothing to show it on
        out.setdefault(night, []).append(
            NightFix(
                id=row["id"],
                night=night,
                kind=row["kind"],
                start=None if row["start"] is None else local_of_py(row["start"], offset, tz),
                end=None
                if row["end"] is None or row["start"] is None
                else local_of_py(row["end"], end_offset(row["start"], row["end"], offset, tz), tz),
            )
        )
    return out


def last_possible_night(nights: dict[dt.date, NightInfo], today: dt.date) -> dt.date:
    """Night d starts on the evening of d: tonight has not happened yet, so spans end last
    night, unless tonight is already in."""
    return today if today in nights else today - dt.timedelta(days=1)


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


@dataclass(frozen=True)
class SleepSpan:
    """The numbers of one window, all from the same list of nights, so they agree."""

    window: Window
    nights: tuple[NightInfo, ...]  # nights with a record in the window, oldest first

    @property
    def count(self) -> int:
        return len(self.nights)

    @property
    def insomnia(self) -> int:
        return sum(1 for n in self.nights if n.insomnia)

    @property
    def unjudged(self) -> int:
        """Nights without the numbers the insomnia rule needs."""
        return sum(1 for n in self.nights if n.insomnia is None)

    def mean(self, attr: str) -> float | None:
        return _mean([v for n in self.nights if (v := getattr(n, attr)) is not None])

    def known(self, attr: str) -> int:
        return sum(1 for n in self.nights if getattr(n, attr) is not None)

    def values(self) -> list[tuple[dt.date, float | None]]:
        """Minutes asleep for every day of the window (None where no night was recorded)."""
        by_day = {n.date: n.asleep_min for n in self.nights}
        return [(d, by_day.get(d)) for d in self.window.days]

    def marked(self) -> set[dt.date]:
        return {n.date for n in self.nights if n.insomnia}

    def label(self) -> str:
        """The span line: the range (years where it crosses them) and the night count the
        insomnia tile counts against."""
        text = f"{self.window.label('nights')} · {count(self.count, 'night')}"
        if self.unjudged:
            text += f" ({self.unjudged} without enough data to judge insomnia)"
        return text

    def insomnia_text(self) -> str | None:
        return f"{self.insomnia} of {self.count}" if self.count else None


def sleep_span(nights: dict[dt.date, NightInfo], window: Window) -> SleepSpan:
    return SleepSpan(
        window, tuple(n for d, n in sorted(nights.items()) if window.start <= d <= window.end)
    )
