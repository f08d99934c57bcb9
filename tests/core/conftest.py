"""Builders of small store tables in code, shared by the core tests.

Plain functions (imported as `from tests.core.conftest import ...`) so a test reads as the
history it describes; every builder returns a frame conformed to the store's schema.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from dashboard.core.store.config import Config
from dashboard.core.store.schema import (
    ACTIVITIES,
    CHECKINS,
    DAILY_ACTIVITY,
    DOSES,
    SLEEP_SESSIONS,
    conform,
    empty,
)

UTC = dt.UTC
D0 = dt.date(2026, 1, 5)  # a Monday


def at(day: dt.date, hour: float, offset_min: int = 0) -> dt.datetime:
    """The UTC instant of local `hour` on `day` at a fixed UTC offset."""
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour)
    return (local - dt.timedelta(minutes=offset_min)).replace(tzinfo=UTC)


def doses(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """rows: {"at": aware datetime, "g": grams, optional offset, strain, potency, deleted}."""
    data = [
        {
            "id": i + 1,
            "taken_at": r["at"],
            "utc_offset_min": r.get("offset", 0),
            "grams": r["g"],
            "strain": r.get("strain", "red"),
            "form": r.get("form", "powder"),
            "potency": r.get("potency", 1.0),
            "note": None,
            "created_at": r["at"],
            "updated_at": r["at"],
            "deleted": r.get("deleted", False),
        }
        for i, r in enumerate(rows)
    ]
    return _frame(data, DOSES)


def sessions(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """rows: {"night": date, "asleep": min, optional source, bed (start hour, default 23),
    in_bed (min), offset, latency, waso, awakenings, is_nap, efficiency}."""
    data = []
    for i, r in enumerate(rows):
        offset = r.get("offset", 0)
        start = at(r["night"], r.get("bed", 23.0), offset)
        in_bed = r.get("in_bed", r["asleep"] + 30.0)
        data.append(
            {
                "source": r.get("source", "garmin"),
                "source_id": r.get("id", f"s{i}"),
                "start": start,
                "end": start + dt.timedelta(minutes=in_bed),
                "utc_offset_min": offset,
                "night": r["night"],
                "time_in_bed_min": in_bed,
                "asleep_min": r["asleep"],
                "awake_min": in_bed - r["asleep"],
                "light_min": r.get("light"),
                "deep_min": r.get("deep"),
                "rem_min": r.get("rem"),
                "awakenings": r.get("awakenings", 1),
                "latency_min": r.get("latency", 10.0),
                "waso_min": r.get("waso", 10.0),
                "efficiency": r.get("efficiency", r["asleep"] / in_bed),
                "score": None,
                "is_nap": r.get("is_nap", False),
            }
        )
    return _frame(data, SLEEP_SESSIONS)


def checkins(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """rows: {"date", optional withdrawal, cravings, mood, supplements, exercise, triggers}."""
    data = [
        {
            "date": r["date"],
            "withdrawal_score": r.get("withdrawal"),
            "cravings": r.get("cravings"),
            "mood": r.get("mood"),
            "insomnia": r.get("insomnia"),
            "supplements": r.get("supplements", []),
            "exercise": r.get("exercise"),
            "mindfulness": r.get("mindfulness"),
            "support": r.get("support"),
            "triggers": r.get("triggers", []),
            "note": None,
            "updated_at": None,
        }
        for r in rows
    ]
    return _frame(data, CHECKINS)


def activities(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """rows: {"day": date, "hour": local start hour, "min": duration, optional source, offset}."""
    data = []
    for i, r in enumerate(rows):
        offset = r.get("offset", 0)
        start = at(r["day"], r.get("hour", 8.0), offset)
        data.append(
            {
                "source": r.get("source", "garmin"),
                "source_id": f"a{i}",
                "start": start,
                "end": start + dt.timedelta(minutes=r["min"]),
                "utc_offset_min": offset,
                "sport": r.get("sport", "running"),
                "duration_min": float(r["min"]),
            }
        )
    return _frame(data, ACTIVITIES)


def daily_activity(rows: list[dict[str, Any]]) -> pl.DataFrame:
    data = [
        {"date": r["date"], "source": r.get("source", "garmin"), "steps": r["steps"]} for r in rows
    ]
    return _frame(data, DAILY_ACTIVITY)


def _frame(data: list[dict[str, Any]], schema: pl.Schema) -> pl.DataFrame:
    if not data:
        return empty(schema)
    return conform(pl.DataFrame(data, infer_schema_length=None), schema)


def tables(**given: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """All five tables daily_frame reads, empty unless given."""
    out = {
        "doses": empty(DOSES),
        "checkins": empty(CHECKINS),
        "sleep_sessions": empty(SLEEP_SESSIONS),
        "activities": empty(ACTIVITIES),
        "daily_activity": empty(DAILY_ACTIVITY),
    }
    out.update(given)
    return out


def synthetic(
    days: int,
    *,
    seed: int = 7,
    exercise_min: float = 40.0,
    step_min: float = -50.0,
    start: dt.date = D0,
) -> dict[str, pl.DataFrame]:
    """A history with planted effects on sleep: a day with >= 30 min of exercise adds
    `exercise_min` minutes asleep that night; the 3 nights from each taper step on (a 0.5 g cut
    every 14 days, no plan set) add `step_min`. Noise: sd 25 min."""
    rng = random.Random(seed)
    dose_rows: list[dict[str, Any]] = []
    night_rows: list[dict[str, Any]] = []
    act_rows: list[dict[str, Any]] = []
    check_rows: list[dict[str, Any]] = []
    step_days = {i for i in range(14, days, 14)}
    level = 8.0
    since_step = 99
    for i in range(days):
        day = start + dt.timedelta(days=i)
        if i in step_days and level > 1.0:
            level -= 0.5
            since_step = 0
        # two doses a day, morning and afternoon, the daily total at the planned level
        dose_rows.append({"at": at(day, 8), "g": level / 2, "strain": rng.choice(["red", "green"])})
        dose_rows.append({"at": at(day, 15), "g": level / 2, "strain": "red"})
        exercised = rng.random() < 0.45
        if exercised:
            act_rows.append({"day": day, "hour": 17, "min": rng.choice([35, 45, 60])})
        elif rng.random() < 0.2:
            act_rows.append({"day": day, "hour": 7, "min": 15})
        asleep = 400.0 + rng.gauss(0, 25)
        if exercised:
            asleep += exercise_min
        if since_step < 3:
            asleep += step_min
        since_step += 1
        night_rows.append({"night": day, "asleep": asleep, "in_bed": asleep + 40})
        check_rows.append(
            {
                "date": day,
                "withdrawal": max(0, int(rng.gauss(12, 4))),
                "cravings": max(0, min(10, int(rng.gauss(4, 2)))),
                "supplements": ["magnesium"] if rng.random() < 0.5 else [],
            }
        )
    return tables(
        doses=doses(dose_rows),
        sleep_sessions=sessions(night_rows),
        activities=activities(act_rows),
        checkins=checkins(check_rows),
    )


@pytest.fixture
def config() -> Config:
    return Config(timezone="UTC")


def fill_store(home: Any, frames: dict[str, pl.DataFrame]) -> None:
    """Write the given tables into a taperdash home, as the CLI would find them."""
    from dashboard.core.store.disk import Store

    with Store(home).transaction() as tx:
        for name, frame in frames.items():
            tx.put(name, frame)
