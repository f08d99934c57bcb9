"""A small home built in code: 21 to 42 days of Berlin nights from two sources (garmin with
stages, oura totals), the diary on the last two nights, workouts, steps, doses and check-ins;
shared by the Sleep, Activity and Links pilot and snapshot tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from dashboard.app import TaperdashApp
from dashboard.core.store import config as config_mod
from dashboard.core.store.disk import Store

TODAY = dt.date(2026, 6, 10)
ZONE = "Europe/Berlin"
OFFSET = 120  # Berlin in June: every local time below is UTC + 2 h
UTC = dt.UTC


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware UTC instant for a Berlin wall time in June."""
    wall = dt.datetime.combine(day, dt.time(hour, minute))
    return (wall - dt.timedelta(minutes=OFFSET)).replace(tzinfo=UTC)


def stage_plan(i: int, asleep: float) -> list[tuple[str, float]]:
    """A night's stages: cycles whose deep share changes with i, so nights differ."""
    cycle = [("light", 50.0), ("deep", 20.0 + 10 * (i % 3)), ("light", 20.0), ("rem", 25.0)]
    out: list[tuple[str, float]] = [("awake", 10.0)]
    left = asleep
    while left > 0:
        for stage, minutes in cycle:
            take = min(minutes, left)
            if take <= 0:
                break
            out.append((stage, take))
            left -= take
        out.append(("awake", 3.0))
    return out


def insomnia_index(days: int) -> int:
    return days - 3


def build_frames(days: int) -> dict[str, pl.DataFrame]:
    """`days` days up to yesterday. Night i comes from garmin with stages, except i % 4 == 1
    (oura alone, totals only); on i % 4 == 2 oura recorded the night too, and garmin must win.
    Night `days - 3` is short (an insomnia night); the last two nights are in the diary too."""
    start_day = TODAY - dt.timedelta(days=days)
    sessions, stages, acts, steps, doses, checkins = [], [], [], [], [], []
    for i in range(days):
        day = start_day + dt.timedelta(days=i)
        asleep = 300.0 if i == insomnia_index(days) else 430.0 - (i % 5) * 15
        bed = local(day, 22, 30 + (i % 3) * 10)
        plan = stage_plan(i, asleep)
        in_bed = sum(m for _, m in plan)
        end = bed + dt.timedelta(minutes=in_bed)
        common = {
            "start": bed,
            "end": end,
            "utc_offset_min": OFFSET,
            "night": day,
            "time_in_bed_min": in_bed,
            "asleep_min": asleep,
            "awake_min": in_bed - asleep,
            "awakenings": 2 + i % 3,
            "latency_min": 10.0,
            "waso_min": 12.0,
            "efficiency": asleep / in_bed,
            "is_nap": False,
        }
        if i % 4 != 1:
            sid = f"g{i}"
            by_stage: dict[str, float] = {}
            t = bed
            for stage, minutes in plan:
                stages.append(
                    {
                        "source": "garmin",
                        "source_id": sid,
                        "start": t,
                        "end": t + dt.timedelta(minutes=minutes),
                        "stage": stage,
                    }
                )
                t += dt.timedelta(minutes=minutes)
                by_stage[stage] = by_stage.get(stage, 0.0) + minutes
            sessions.append(
                {
                    **common,
                    "source": "garmin",
                    "source_id": sid,
                    "light_min": by_stage.get("light"),
                    "deep_min": by_stage.get("deep"),
                    "rem_min": by_stage.get("rem"),
                }
            )
        if i % 4 in (1, 2):
            # oura's totals for the same night: a little different, and no stages.
            sessions.append(
                {
                    **common,
                    "source": "oura",
                    "source_id": f"o{i}",
                    "start": bed + dt.timedelta(minutes=5),
                    "asleep_min": asleep - 7,
                    "light_min": asleep * 0.55,
                    "deep_min": asleep * 0.2,
                    "rem_min": asleep * 0.25 - 7,
                }
            )
        if i >= days - 2:
            # the sleep diary of the last two nights: its own series, 35 min longer
            sessions.append(
                {
                    **common,
                    "source": "diary",
                    "source_id": day.isoformat(),
                    "start": bed - dt.timedelta(minutes=10),
                    "asleep_min": asleep + 35,
                    "time_in_bed_min": in_bed + 20,
                    "score": 4.0,
                }
            )
        steps.append({"date": day, "source": "garmin", "steps": 6000 + (i % 7) * 1000})
        if i % 2 == 0:
            run = local(day, 18, 0)
            minutes = 35.0 + (i % 3) * 5
            acts.append(
                {
                    "source": "garmin",
                    "source_id": f"run{i}",
                    "start": run,
                    "end": run + dt.timedelta(minutes=minutes),
                    "utc_offset_min": OFFSET,
                    "sport": "running",
                    "duration_min": minutes,
                    "distance_m": 5000.0 + i * 100,
                    "avg_hr": 140.0 + i % 5,
                }
            )
        for n, hour in enumerate((8, 14, 20 if i % 2 == 0 else 17)):
            at = local(day, hour)
            doses.append(
                {
                    "id": i * 10 + n + 1,
                    "taken_at": at,
                    "utc_offset_min": OFFSET,
                    "grams": round(4.0 - i * 0.05, 2),
                    "strain": "red",
                    "form": "powder",
                    "potency": 1.0,
                    "created_at": at,
                    "updated_at": at,
                    "deleted": False,
                }
            )
        checkins.append(
            {
                "date": day,
                "withdrawal_score": 10 + i % 4,
                "cravings": i % 6,
                "mood": 5,
                "supplements": ["magnesium"] if i % 3 == 0 else [],
                "exercise": i % 2 == 0,
                "triggers": [],
                "updated_at": local(day, 21),
            }
        )
    return {
        "sleep_sessions": pl.DataFrame(sessions),
        "sleep_stages": pl.DataFrame(stages),
        "activities": pl.DataFrame(acts),
        "daily_activity": pl.DataFrame(steps),
        "doses": pl.DataFrame(doses),
        "checkins": pl.DataFrame(checkins),
    }


def build_home(home: Path, days: int = 21) -> Path:
    store = Store(home).ensure()
    store.save_config_text(config_mod.dumps(config_mod.Config(timezone=ZONE)))
    if days:
        with store.transaction() as tx:
            for table, frame in build_frames(days).items():
                tx.put(table, frame)
    return home


def make_app(home: Path) -> TaperdashApp:
    return TaperdashApp(home=home, pinned_today=TODAY.isoformat())
