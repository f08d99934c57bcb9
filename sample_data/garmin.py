"""The Garmin watch's files: the story's nights, days and workouts as FIT, via sample_data.fitwrite.

fitwrite owns the encoding; this module only decides what the watch saw:
- a sleep file per night the watch was worn: the night's stage change points (the first is
  "awake" from getting into bed until sleep onset, so latency survives the round trip), its
  score and awakenings;
- a monitoring file per day: the day's steps split into walking and running cycles and its
  active minutes by type, and the resting heart rate;
- an activity file per workout, with a record a second (`records=True`).

File names follow Garmin Connect's downloads (`<number>_SLEEP_DATA.fit`, `_WELLNESS.fit`,
`_ACTIVITY.fit`); the numbers come from the story's times, never from the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sample_data import fitwrite
from sample_data.story import Activity, DailyActivity, Night, Story

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
SERIAL = 3_990_417_207  # one watch for the whole story
# Relative encoding cost per message, so the pool starts the long files first.
_COST_PER_S = 1.0


def file_number(when: dt.datetime, kind: int) -> int:
    """A Garmin-Connect-like numeric file name, unique per (time, kind)."""
    return 380_000_000_000 + int((when - FIT_EPOCH).total_seconds()) * 4 + kind


def offset_min(when: dt.datetime, zone: ZoneInfo) -> int:
    off = when.astimezone(zone).utcoffset()
    assert off is not None
    return int(off.total_seconds() // 60)


def sleep_bytes(n: Night, zone: ZoneInfo) -> bytes:
    stages = [(n.start + dt.timedelta(minutes=s.offset_min), s.stage) for s in n.segments]
    return fitwrite.write_sleep_fit(
        None,
        stages,
        n.start,
        n.end,
        offset_min(n.start, zone),
        score=n.score,
        awakenings=n.awakenings,
        serial=SERIAL,
    )


def monitoring_bytes(d: DailyActivity, workouts: tuple[Activity, ...], zone: ZoneInfo) -> bytes:
    run_s = sum(a.duration_s for a in workouts if a.sport == "running")
    ride_s = sum(a.duration_s for a in workouts if a.sport == "cycling")
    run_steps = 0
    if run_s:
        # the workout steps are the runs' and walks' together: split them by cadence x time
        walk_s = sum(a.duration_s for a in workouts if a.sport == "walking")
        run_steps = round(d.workout_steps * 165 * run_s / (165 * run_s + 108 * walk_s))
    run_min, ride_min = run_s // 60, ride_s // 60
    steps = {"walking": d.steps - run_steps}
    active = {"walking": max(1, d.active_min - run_min - ride_min)}
    if run_min:
        steps["running"], active["running"] = run_steps, run_min
    if ride_min:
        steps["cycling"], active["cycling"] = 0, ride_min
    midnight = dt.datetime.combine(d.date, dt.time(), tzinfo=zone)
    day = fitwrite.MonitoringDay(d.date, steps=steps, active_min=active, resting_hr=d.resting_hr)
    return fitwrite.write_monitoring_fit(None, [day], offset_min(midnight, zone), serial=SERIAL)


def activity_bytes(a: Activity, zone: ZoneInfo) -> bytes:
    session = fitwrite.Session(
        sport=a.sport,
        start=a.start,
        elapsed_s=a.duration_s,
        distance_m=a.distance_m,
        calories=a.calories,
        avg_hr=a.avg_hr,
        max_hr=a.max_hr,
    )
    return fitwrite.write_activity_fit(
        None, [session], offset_min(a.start, zone), records=True, serial=SERIAL
    )


Spec = tuple[str, Callable[..., bytes], tuple[object, ...], float]


def jobs(story: Story) -> list[Spec]:
    zone = story.zone()
    out: list[Spec] = []
    for n in story.nights:
        if n.device == "garmin":
            rel = f"garmin/sleep/{file_number(n.end, 1)}_SLEEP_DATA.fit"
            out.append((rel, sleep_bytes, (n, zone), 30.0))
    by_day: dict[dt.date, list[Activity]] = {}
    for a in story.activities:
        by_day.setdefault(a.day, []).append(a)
        rel = f"garmin/activity/{file_number(a.end, 2)}_ACTIVITY.fit"
        out.append((rel, activity_bytes, (a, zone), a.duration_s * _COST_PER_S))
    for d in story.daily:
        if d.device == "garmin":
            end = dt.datetime.combine(d.date + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            rel = f"garmin/monitor/{file_number(end.astimezone(dt.UTC), 3)}_WELLNESS.fit"
            out.append(
                (
                    rel,
                    monitoring_bytes,
                    (d, tuple(by_day.get(d.date, ())), zone),
                    d.active_min + 20.0,
                )
            )
    return out
