"""A long history from several sources, as a new user brings it: steps from a phone since
2013, an Oura ring 2019–2022, a Whoop 2023–2024 (part of it in New York), a Garmin watch in
2026, each with gaps. Built as frames with the tests.core.conftest builders, so the views and
the screens can be tested on it without vendor files.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl

from tests.core.conftest import activities, daily_activity, sessions, tables

TODAY = dt.date(2026, 12, 5)
STEPS_FIRST = dt.date(2013, 3, 1)
STEPS_DAYS = 1558  # 1 Mar 2013 - 6 Jun 2017
OURA = (dt.date(2019, 1, 24), dt.date(2022, 12, 31))
OURA_GAP = (dt.date(2020, 5, 1), dt.date(2020, 6, 30))  # the ring was charging in a drawer
WHOOP = (dt.date(2023, 1, 2), dt.date(2024, 11, 30))
NEW_YORK = (dt.date(2024, 3, 4), dt.date(2024, 3, 17))  # Whoop nights at UTC-04:00
GARMIN = (dt.date(2026, 6, 1), dt.date(2026, 12, 4))
BERLIN_SUMMER, BERLIN_WINTER, NEW_YORK_OFFSET = 120, 60, -240


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _berlin(day: dt.date) -> int:
    # Near enough for test data: summer time April to October.
    return BERLIN_SUMMER if 4 <= day.month <= 10 else BERLIN_WINTER


def history_frames(seed: int = 21) -> dict[str, pl.DataFrame]:
    rng = random.Random(seed)
    nights: list[dict[str, Any]] = []
    for day in _days(*OURA):
        if OURA_GAP[0] <= day <= OURA_GAP[1] or rng.random() < 0.05:
            continue
        asleep = rng.gauss(400, 45)
        nights.append(
            {"night": day, "asleep": asleep, "source": "oura", "offset": _berlin(day),
             "bed": 23.0, "id": f"oura-{day}"}
        )  # fmt: skip
    for day in _days(*WHOOP):
        if rng.random() < 0.1:
            continue
        offset = NEW_YORK_OFFSET if NEW_YORK[0] <= day <= NEW_YORK[1] else _berlin(day)
        nights.append(
            {"night": day, "asleep": rng.gauss(410, 40), "source": "whoop", "offset": offset,
             "bed": 20.4, "id": f"whoop-{day}"}
        )  # fmt: skip
    for day in _days(*GARMIN):
        nights.append(
            {"night": day, "asleep": rng.gauss(390, 50), "source": "garmin",
             "offset": _berlin(day), "bed": 23.5, "id": f"garmin-{day}"}
        )  # fmt: skip
    workouts: list[dict[str, Any]] = []
    for first, last, source in ((*WHOOP, "whoop"), (*GARMIN, "garmin")):
        for day in _days(first, last):
            if rng.random() < 0.3:
                workouts.append(
                    {"day": day, "hour": 18.0, "min": rng.choice([20, 35, 45, 60]),
                     "source": source, "offset": _berlin(day)}
                )  # fmt: skip
    steps = [
        {"date": STEPS_FIRST + dt.timedelta(days=i), "source": "phone",
         "steps": int(rng.gauss(7500, 2500)) if rng.random() > 0.02 else 0}
        for i in range(STEPS_DAYS)
    ]  # fmt: skip
    return tables(
        sleep_sessions=sessions(nights),
        activities=activities(workouts),
        daily_activity=daily_activity(steps),
    )


def history_daily(frames: dict[str, pl.DataFrame], config: Any) -> pl.DataFrame:
    from dashboard.core.analysis.daily import daily_frame

    t = frames
    return daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"],
        config, end=TODAY,
    )  # fmt: skip
