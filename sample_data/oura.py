"""The Oura ring's half of the story as the web "trends" CSV (FORMATS.md, Oura section).

One row per day, `date` = wake date: the row of day D holds the night that ended on D's
morning and D's activity. Sleep durations and latency in seconds, efficiency in %, bedtimes
ISO 8601 with the offset of that instant. The file's quirks are kept on purpose, because the
reader must cope with them: the trailing space in `Total Bedtime `, the duplicated
`Sleep Timing`, the misspelt `Sleep Timin Score`, `None` for missing values, and activity-only
rows (the day the ring arrived, nights it spent on the charger). Activity times are minutes,
as in Oura's API v1 the export mirrored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from sample_data.story import DailyActivity, Night, Story, clamp, rng

HEADER = (
    "date",
    "Sleep Score",
    "Total Sleep Score",
    "REM Sleep Score",
    "Deep Sleep Score",
    "Sleep Efficiency Score",
    "Restfulness Score",
    "Sleep Latency Score",
    "Sleep Timin Score",
    "Total Sleep Duration",
    "Total Bedtime ",
    "Awake Time",
    "REM Sleep Duration",
    "Light Sleep Duration",
    "Deep Sleep Duration",
    "Restless Sleep",
    "Sleep Efficiency",
    "Sleep Latency",
    "Sleep Timing",
    "Sleep Timing",
    "Bedtime Start",
    "Bedtime End",
    "Average Resting Heart Rate",
    "Lowest Resting Heart Rate",
    "Average HRV",
    "Temperature Deviation (°C)",
    "Temperature Trend Deviation",
    "Respiratory Rate",
    "Activity Score",
    "Stay Active Score",
    "Move Every Hour Score",
    "Meet Daily Targets Score",
    "Training Frequency Score",
    "Training Volume Score",
    "Activity Burn",
    "Total Burn",
    "Steps",
    "Equivalent Walking Distance",
    "Inactive Time",
    "Rest Time",
    "Low Activity Time",
    "Medium Activity Time",
    "High Activity Time",
    "Non-wear Time",
    "Average MET",
    "Long Periods of Inactivity",
    "Readiness Score",
    "Previous Night Score",
    "Sleep Balance Score",
    "Previous Day Activity Score",
    "Activity Balance Score",
    "Temperature Score",
    "Resting Heart Rate Score",
    "HRV Balance Score",
    "Recovery Index Score",
)
N_SLEEP = HEADER.index("Respiratory Rate") - HEADER.index("Sleep Score") + 1
N_ACTIVITY = len(HEADER) - HEADER.index("Activity Score")
NONE = "None"


def _score(x: float) -> str:
    return str(round(clamp(x, 1, 100)))


def _sleep_cols(n: Night, zone: dt.tzinfo, rhr: int, r: random.Random) -> list[str]:
    asleep, bed = n.asleep_min, n.time_in_bed_min
    deep, rem, light = n.stage_min("deep"), n.stage_min("rem"), n.stage_min("light")
    start, end = n.start.astimezone(zone), n.end.astimezone(zone)
    mid = start + (end - start) / 2
    # midpoint as seconds from local midnight of the wake date (negative: before midnight)
    midnight = dt.datetime.combine(end.date(), dt.time(), tzinfo=zone)
    timing = round((mid - midnight).total_seconds())
    eff = 100 * asleep / bed
    return [
        str(n.score),
        _score(100 - max(0, 480 - asleep) * 0.25),
        _score(100 - max(0, 100 - rem) * 0.6),
        _score(100 - max(0, 80 - deep) * 0.8),
        _score(eff * 1.05),
        _score(100 - n.awakenings * 6 - n.waso_min * 0.4),
        _score(100 - max(0, n.latency_min - 15) * 2),
        _score(95 - abs(timing - 3 * 3600) / 360),
        str(asleep * 60),
        str(bed * 60),
        str((bed - asleep) * 60),
        str(rem * 60),
        str(light * 60),
        str(deep * 60),
        str(round(clamp(8 + n.awakenings * 2.5 + r.gauss(0, 3), 0, 60))),
        str(round(eff)),
        str(n.latency_min * 60),
        str(timing),
        str(timing),
        start.isoformat(timespec="seconds"),
        end.isoformat(timespec="seconds"),
        f"{rhr + r.uniform(2, 6):.2f}",
        str(rhr),
        str(round(r.gauss(42 - (100 - n.score) * 0.3, 4))),
        f"{r.gauss(0, 0.25):.2f}",
        f"{r.gauss(0, 0.15):.2f}",
        f"{r.gauss(14.5, 0.4):.3f}",
    ]


def _activity_cols(d: DailyActivity, r: random.Random) -> list[str]:
    high = round(d.active_min * 0.45)
    medium = d.active_min - high
    low = round(clamp(r.gauss(230, 50), 60, 400))
    rest = round(clamp(r.gauss(500, 40), 300, 700))
    nonwear = round(clamp(r.gauss(30, 25), 0, 180))
    inactive = max(0, 1440 - high - medium - low - rest - nonwear)
    burn = round(d.steps * 0.045 + high * 6 + medium * 3)
    score = 60 + min(30, d.steps / 500) + min(10, d.active_min / 6)
    return [
        _score(score),
        _score(100 - inactive / 15),
        _score(100 - r.choice((0, 0, 5, 10, 15))),
        _score(score - 5),
        _score(80 + min(20, d.active_min / 5)),
        _score(75 + min(25, d.active_min / 4)),
        str(burn),
        str(burn + 1750),
        str(d.steps),
        str(round(d.steps * 0.78)),
        str(inactive),
        str(rest),
        str(low),
        str(medium),
        str(high),
        str(nonwear),
        f"{1.2 + d.active_min / 300 + d.steps / 40000:.3f}",
        str(r.randint(0, 3)),
    ]


def trends_csv(story: Story) -> bytes:
    zone = story.zone()
    nights = {n.night + dt.timedelta(days=1): n for n in story.nights if n.device == "oura"}
    days = [d for d in story.daily if d.device == "oura"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for d in days:
        r = rng(story.seed, "oura", d.date.isoformat())
        n = nights.get(d.date)
        sleep = [NONE] * N_SLEEP if n is None else _sleep_cols(n, zone, d.resting_hr, r)
        readiness = [NONE] * 9
        if n is not None:
            ready = 0.55 * n.score + 0.45 * (100 - (d.resting_hr - 50) * 2)
            readiness = [_score(ready), _score(n.score)] + [
                _score(ready + r.gauss(0, 6)) for _ in range(7)
            ]
        w.writerow([d.date.isoformat(), *sleep, *_activity_cols(d, r), *readiness])
    return buf.getvalue().encode("utf-8")


def file_name(story: Story) -> str:
    days = [d.date for d in story.daily if d.device == "oura"]
    return f"oura_{days[0].isoformat()}_{days[-1].isoformat()}_trends.csv"
