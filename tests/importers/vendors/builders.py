"""Small vendor files in each vendor's layout, built in code: a week of nights (or days) each.

Nights start 23:00 and end 07:00 local in Europe/Berlin from 2026-10-19 to 2026-10-25; the night
of 2026-10-24 crosses the end of summer time, so it is 540 min in bed where the others are 480.
Each builder returns (file name, bytes) and takes the variant knobs its tests need.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
NIGHTS = [dt.date(2026, 10, 19) + dt.timedelta(days=i) for i in range(7)]
DST_NIGHT = dt.date(2026, 10, 24)


def local_start(night: dt.date) -> dt.datetime:
    return dt.datetime.combine(night, dt.time(23, 0))


def local_end(night: dt.date) -> dt.datetime:
    return dt.datetime.combine(night + dt.timedelta(days=1), dt.time(7, 0))


def utc(local: dt.datetime, tz: dt.tzinfo = BERLIN) -> dt.datetime:
    return local.replace(tzinfo=tz).astimezone(UTC)


def in_bed(night: dt.date) -> int:
    return 540 if night == DST_NIGHT else 480


def iso_off(local: dt.datetime, tz: dt.tzinfo = BERLIN) -> str:
    return local.replace(tzinfo=tz).isoformat()


def encode(text: str, *, bom: bool = False, encoding: str = "utf-8") -> bytes:
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# ---------------------------------------------------------------- Sleep as Android

SAA_FIXED = (
    "Id,Tz,From,To,Sched,Hours,Rating,Comment,Framerate,Snore,Noise,Cycles,DeepSleep,LenAdjust,Geo"
)


def saa_date(local: dt.datetime) -> str:
    return f"{local:%d. %m. %Y} {local.hour}:{local:%M}"


def saa(
    *,
    broken_night: dt.date | None = None,
    tz_name: str = "Europe/Berlin",
    nights: list[dt.date] | None = None,
) -> tuple[str, bytes]:
    """Per night: 8 h (9 h on the DST night) tracked, LenAdjust -30; light 30, deep 90, rem 50,
    awake 10 min from events. Newest record first, as the app writes it."""
    tz = ZoneInfo(tz_name)
    out = []
    for night in reversed(nights or NIGHTS):
        s, e = local_start(night), local_end(night)
        s_ms = int(utc(s, tz).timestamp() * 1000)
        hours = (utc(e, tz) - utc(s, tz)).total_seconds() / 3600
        ev = [
            ("LIGHT_START", 30),
            ("LIGHT_END", 60),
            ("DEEP_START", 60),
            ("DEEP_END", 150),
            ("REM_START", 150),
            ("REM_END", 200),
            ("AWAKE_START", 200),
            ("AWAKE_END", 210),
        ]
        header = SAA_FIXED + ',"23:05","23:10"' + ',"Event"' * (len(ev) + 1)
        frm = "32. 10. 2026 23:00" if night == broken_night else saa_date(s)
        vals = [
            str(s_ms),
            tz_name,
            frm,
            saa_date(e),
            saa_date(e),
            f"{hours:.3f}",
            "3.0",
            ' #kratom "taper", day 3',
            "10007",
            "-1",
            "-1.0",
            "4",
            "0.4",
            "-30",
            "",
            "0.1",
            "0.2",
        ]
        vals += [f"{label}-{s_ms + m * 60000}" for label, m in ev]
        vals.append(f"LUX-{s_ms + 1000}-9.0")
        out.append(header)
        out.append(",".join('"' + v.replace('"', '""') + '"' for v in vals))
    return "sleep-export.csv", encode("\n".join(out) + "\n")


# ---------------------------------------------------------------- Fitbit


def fitbit_json(*, broken: bool = False) -> tuple[str, bytes]:
    """Stages logs: in bed as Fitbit measures it, asleep = in bed - 40, deep 90, rem 110, the
    rest light, 5 wakes; plus a classic afternoon nap (mainSleep false) on 2026-10-21."""
    logs = []
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        bed = in_bed(night)
        asleep = bed - 40
        data = [
            {"dateTime": f"{s:%Y-%m-%dT%H:%M:%S}.000", "level": "wake", "seconds": 600},
            {
                "dateTime": f"{s + dt.timedelta(minutes=10):%Y-%m-%dT%H:%M:%S}.000",
                "level": "light",
                "seconds": 3600,
            },
            {
                "dateTime": f"{s + dt.timedelta(minutes=70):%Y-%m-%dT%H:%M:%S}.000",
                "level": "deep",
                "seconds": 5400,
            },
        ]
        logs.append(
            {
                "logId": 30000 + i,
                "dateOfSleep": f"{night + dt.timedelta(days=1)}",
                "startTime": "2026-13-40T99:00:00.000"
                if broken and i == 2
                else f"{s:%Y-%m-%dT%H:%M:%S}.000",
                "endTime": f"{e:%Y-%m-%dT%H:%M:%S}.000",
                "duration": bed * 60000,
                "minutesToFallAsleep": 10,
                "minutesAsleep": asleep,
                "minutesAwake": 40,
                "minutesAfterWakeup": 0,
                "timeInBed": bed,
                "efficiency": 93,
                "type": "stages",
                "infoCode": 0,
                "logType": "auto_detected",
                "mainSleep": True,
                "levels": {
                    "summary": {
                        "deep": {"count": 3, "minutes": 90, "thirtyDayAvgMinutes": 80},
                        "wake": {"count": 5, "minutes": 40, "thirtyDayAvgMinutes": 40},
                        "light": {"count": 20, "minutes": asleep - 200, "thirtyDayAvgMinutes": 250},
                        "rem": {"count": 4, "minutes": 110, "thirtyDayAvgMinutes": 100},
                    },
                    "data": data,
                    "shortData": [
                        {
                            "dateTime": f"{s + dt.timedelta(minutes=30):%Y-%m-%dT%H:%M:%S}.000",
                            "level": "wake",
                            "seconds": 60,
                        }
                    ],
                },
            }
        )
    logs.append(
        {
            "logId": 39999,
            "dateOfSleep": "2026-10-21",
            "startTime": "2026-10-21T14:00:00.000",
            "endTime": "2026-10-21T14:45:00.000",
            "duration": 45 * 60000,
            "minutesToFallAsleep": 0,
            "minutesAsleep": 40,
            "minutesAwake": 5,
            "minutesAfterWakeup": 0,
            "timeInBed": 45,
            "efficiency": 89,
            "type": "classic",
            "mainSleep": False,
            "levels": {
                "summary": {
                    "asleep": {"count": 1, "minutes": 40},
                    "restless": {"count": 1, "minutes": 5},
                    "awake": {"count": 0, "minutes": 0},
                },
                "data": [
                    {"dateTime": "2026-10-21T14:00:00.000", "level": "asleep", "seconds": 1500},
                    {"dateTime": "2026-10-21T14:25:00.000", "level": "restless", "seconds": 300},
                    {"dateTime": "2026-10-21T14:30:00.000", "level": "asleep", "seconds": 900},
                ],
            },
        }
    )
    logs.reverse()  # newest first, as the export writes them
    return "sleep-2026-10-19.json", json.dumps(logs, indent=1).encode()


def fitbit_sleep_score(*, broken: bool = False) -> tuple[str, bytes]:
    """sleep_score.csv for fitbit_json()'s main nights (logId 30000 + i): overall 70 + i; the
    timestamp is the local end of the night written with a `Z`; newest first."""
    rows = [
        "sleep_log_entry_id,timestamp,overall_score,composition_score,revitalization_score,"
        "duration_score,deep_sleep_in_minutes,resting_heart_rate,restlessness"
    ]
    for i, night in reversed(list(enumerate(NIGHTS))):
        e = local_end(night)
        score = "high" if broken and i == 2 else str(70 + i)
        rows.append(f"{30000 + i},{e:%Y-%m-%dT%H:%M:%S}Z,{score},20,18,40,90,{55 + i},0.07")
    return "sleep_score.csv", encode("\n".join(rows) + "\n")


def fitbit_csv(
    *, day_first: bool = False, broken: bool = False, bom: bool = False
) -> tuple[str, bytes]:
    """Minutes Asleep = in bed - 45 (written `"1,234"`-style when large), REM N/A on one night."""

    def stamp(local: dt.datetime) -> str:
        if day_first:
            return f"{local:%d-%m-%Y} {local:%I:%M} {local:%p}".lower()
        return f"{local:%Y-%m-%d} {local.hour % 12 or 12}:{local:%M}{local:%p}"

    lines = ["Body", "Date,Weight,BMI,Fat", '"2026-10-19","80.5","24.1","0"', "", "Sleep"]
    lines.append(
        "Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed,"
        "Minutes REM Sleep,Minutes Light Sleep,Minutes Deep Sleep"
    )
    for night in reversed(NIGHTS):
        s, e = local_start(night), local_end(night)
        bed = in_bed(night)
        rem = "N/A" if night == NIGHTS[0] else "100"
        asleep = "abc" if broken and night == NIGHTS[3] else str(bed - 45)
        vals = [stamp(s), stamp(e), asleep, "45", "4", str(bed), rem, str(bed - 45 - 190), "90"]
        lines.append(",".join(f'"{v}"' for v in vals))
    lines += ["", "Activities"]
    lines.append(
        "Date,Calories Burned,Steps,Distance,Floors,Minutes Sedentary,Minutes Lightly Active,"
        "Minutes Fairly Active,Minutes Very Active,Activity Calories"
    )
    for i, night in enumerate(NIGHTS):
        d = f"{night:%d-%m-%Y}" if day_first else f"{night}"
        lines.append(
            ",".join(
                f'"{v}"'
                for v in [
                    d,
                    "2,345",
                    f"{10000 + i:,}",
                    "8.1",
                    "10",
                    "600",
                    "120",
                    "20",
                    str(10 + i),
                    "800",
                ]
            )
        )
    return "fitbit_export_20261026.csv", encode("\n".join(lines) + "\n", bom=bom)


# ---------------------------------------------------------------- Oura

OURA_HEADER = [
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
    "Steps",
]


def oura_csv(
    *, sep: str = ",", broken: bool = False, bom: bool = False, activity: str | None = None
) -> tuple[str, bytes]:
    """Awake 40 min, REM 100, deep 80, light = asleep - 180, latency 12 min (seconds in the file);
    one activity-only row on 2026-10-26. `activity` ("minutes" or "seconds", one unit for the
    whole file as Oura writes it): Medium/High Activity Time columns, 20 + i and 10 minutes,
    but the first night is a quiet day of 5 + 5 minutes; the activity-only row 30 + 20."""
    scale = 60 if activity == "seconds" else 1

    def active(medium: int, high: int) -> list[str]:
        return [str(medium * scale), str(high * scale)]

    header = OURA_HEADER + (["Medium Activity Time", "High Activity Time"] if activity else [])
    rows = [sep.join(header)]
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        bed = in_bed(night) * 60
        asleep = bed - 40 * 60
        start = "2026-10-2XT23:00" if broken and i == 4 else iso_off(s)
        vals = [
            f"{night + dt.timedelta(days=1)}",
            str(80 + i),
            "90",
            "80",
            "85",
            "88",
            "75",
            "70",
            "60",
            str(asleep),
            str(bed),
            "2400",
            "6000",
            str(asleep - 180 * 60),
            "4800",
            "300",
            "92",
            "720",
            "None",
            "None",
            start,
            iso_off(e),
            "55,5" if sep == ";" else "55.5",
            "50",
            "9000",
        ]
        if activity:
            vals += active(5, 5) if i == 0 else active(20 + i, 10)
        rows.append(sep.join(vals))
    extra = active(30, 20) if activity else []
    rows.append(
        sep.join(["2026-10-26"] + ["None"] * 19 + ["", "", "None", "None", "12000", *extra])
    )
    return "oura_trends.csv", encode("\n".join(rows) + "\n", bom=bom)


def oura_app(*, broken: bool = False) -> tuple[str, bytes]:
    """`;` export: a long_sleep each night (stages from sleep_phase_5_min) and a late_nap."""
    cols = [
        "id",
        "average_breath",
        "bedtime_end",
        "bedtime_start",
        "day",
        "deep_sleep_duration",
        "efficiency",
        "light_sleep_duration",
        "rem_sleep_duration",
        "awake_time",
        "latency",
        "sleep_phase_5_min",
        "time_in_bed",
        "total_sleep_duration",
        "type",
        "readiness",
    ]
    rows = [";".join(cols)]
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        bed = in_bed(night) * 60
        phases = "4" + "2" * 6 + "1" * 12 + "3" * 6 + "2" * ((bed // 300) - 25)
        vals = [
            f"id-{i}",
            "14,5",
            iso_off(e),
            iso_off(s),
            f"{night + dt.timedelta(days=1)}",
            "3600",
            "94",
            str(bed - 3600 - 1800 - 300),
            "1800",
            "300",
            "300" if not (broken and i == 1) else "-5",
            phases,
            str(bed),
            str(bed - 300),
            "long_sleep",
            '{"score": 80, "contributors": {"a": 1}}',
        ]
        rows.append(
            ";".join(f'"{v}"' if "{" in v else v for v in [v.replace('"', '""') for v in vals])
        )
    nap = [
        "id-nap",
        "",
        iso_off(dt.datetime(2026, 10, 21, 15, 0)),
        iso_off(dt.datetime(2026, 10, 21, 14, 0)),
        "2026-10-21",
        "0",
        "90",
        "3000",
        "0",
        "600",
        "0",
        "",
        "3600",
        "3000",
        "late_nap",
        "",
    ]
    rows.append(";".join(nap))
    return "sleepmodel.csv", encode("\n".join(rows) + "\n")


def oura_json() -> tuple[str, bytes]:
    sleep = []
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        bed = in_bed(night) * 60
        sleep.append(
            {
                "summary_date": f"{night}",
                "bedtime_start": iso_off(s),
                "bedtime_end": iso_off(e),
                "duration": bed,
                "total": bed - 600,
                "awake": 600,
                "light": bed - 600 - 3000,
                "rem": 1800,
                "deep": 1200,
                "onset_latency": 300,
                "efficiency": 97,
                "score": 70 + i,
                "is_longest": 1,
                "hypnogram_5min": "4" + "2" * 10 + "1" * 4 + "3" * 6 + "2" * ((bed // 300) - 21),
            }
        )
    activity = [{"summary_date": f"{n}", "steps": 7000 + i} for i, n in enumerate(NIGHTS)]
    return "oura_data.json", json.dumps(
        {"sleep": sleep, "activity": activity, "readiness": []}
    ).encode()


# ---------------------------------------------------------------- Whoop

WHOOP_SLEEP_HEADER = [
    "Cycle start time",
    "Cycle end time",
    "Cycle timezone",
    "Sleep onset",
    "Wake onset",
    "Sleep performance %",
    "Respiratory rate (rpm)",
    "Asleep duration (min)",
    "In bed duration (min)",
    "Light sleep duration (min)",
    "Deep (SWS) duration (min)",
    "REM duration (min)",
    "Awake duration (min)",
    "Sleep need (min)",
    "Sleep debt (min)",
    "Sleep efficiency %",
    "Sleep consistency %",
    "Nap",
]


def whoop_sleeps(*, broken: bool = False, bom: bool = False, sep: str = ",") -> tuple[str, bytes]:
    """Nights 1-4 in Berlin summer time (UTC+02:00), then travel to New York (UTC-04:00) for the
    rest: each row's wall clock is 23:00-07:00 in its own offset. Asleep 430, light 230, deep
    100, rem 100, awake 50; a nap on 2026-10-21 14:00-14:30 (+02:00). The current cycle has an
    empty end."""
    rows = [sep.join(WHOOP_SLEEP_HEADER)]
    for i, night in enumerate(NIGHTS):
        tz = "UTC+02:00" if i < 4 else "UTC-04:00"
        s, e = local_start(night), local_end(night)
        end_cycle = (
            "" if i == len(NIGHTS) - 1 else f"{e + dt.timedelta(hours=16):%Y-%m-%d %H:%M:%S}"
        )
        onset = "yesterday" if broken and i == 2 else f"{s:%Y-%m-%d %H:%M:%S}"
        vals = [
            f"{s:%Y-%m-%d %H:%M:%S}",
            end_cycle,
            tz,
            onset,
            f"{e:%Y-%m-%d %H:%M:%S}",
            "88",
            "14,8" if sep == ";" else "14.8",
            "430",
            "480",
            "230",
            "100",
            "100",
            "50",
            "470",
            "40",
            "90",
            "80",
            "false",
        ]
        rows.append(sep.join(vals))
    rows.append(
        sep.join(
            [
                "2026-10-21 07:00:00",
                "2026-10-21 23:00:00",
                "UTC+02:00",
                "2026-10-21 14:00:00",
                "2026-10-21 14:30:00",
                "",
                "",
                "25",
                "30",
                "20",
                "5",
                "0",
                "5",
                "",
                "",
                "83",
                "",
                "true",
            ]
        )
    )
    return "sleeps.csv", encode("\n".join(rows) + "\n", bom=bom)


def whoop_workouts() -> tuple[str, bytes]:
    header = [
        "Cycle start time",
        "Cycle end time",
        "Cycle timezone",
        "Workout start time",
        "Workout end time",
        "Duration (min)",
        "Activity name",
        "Activity Strain",
        "Energy burned (cal)",
        "Max HR (bpm)",
        "Average HR (bpm)",
        "HR Zone 1 %",
        "GPS enabled",
        "Distance (meters)",
    ]
    rows = [",".join(header)]
    for i, night in enumerate(NIGHTS):
        rows.append(
            ",".join(
                [
                    f"{night} 23:00:00",
                    "",
                    "UTC+02:00",
                    f"{night} 18:00:00",
                    f"{night} 18:45:00",
                    "45",
                    "Running" if i % 2 == 0 else "Functional Fitness",
                    "10.5",
                    str(400 + i),
                    "170",
                    "140",
                    "20",
                    "true" if i % 2 == 0 else "false",
                    "7000" if i % 2 == 0 else "",
                ]
            )
        )
    return "workouts.csv", encode("\n".join(rows) + "\n")


WHOOP_CYCLE_SLEEP_COLUMNS = [
    "Respiratory rate (rpm)",
    "Asleep duration (min)",
    "In bed duration (min)",
    "Light sleep duration (min)",
    "Deep (SWS) duration (min)",
    "REM duration (min)",
    "Awake duration (min)",
    "Sleep need (min)",
    "Sleep debt (min)",
    "Sleep efficiency %",
]


def whoop_cycles_with_sleep() -> tuple[str, bytes]:
    """physiological_cycles.csv as the current export writes it: each cycle's sleep too. Nights
    1-4 in UTC+02:00 match whoop_sleeps() (same onset, minutes); the current cycle has none."""
    name, data = whoop_cycles()
    lines = data.decode().splitlines()
    out = [lines[0] + "," + ",".join(WHOOP_CYCLE_SLEEP_COLUMNS)]
    for i, line in enumerate(lines[1:]):
        last = i == len(lines) - 2
        vals = (
            ["", "", "", "", "", "", "", "", "", ""]
            if last
            else ["14.8", "430", "480", "230", "100", "100", "50", "470", "40", "90"]
        )
        out.append(line + "," + ",".join(vals))
    return name, encode("\n".join(out) + "\n")


def whoop_cycles() -> tuple[str, bytes]:
    header = [
        "Cycle start time",
        "Cycle end time",
        "Cycle timezone",
        "Recovery score %",
        "Resting heart rate (bpm)",
        "Heart rate variability (ms)",
        "Skin temp (celsius)",
        "Blood oxygen %",
        "Day Strain",
        "Energy burned (cal)",
        "Max HR (bpm)",
        "Average HR (bpm)",
        "Sleep onset",
        "Wake onset",
        "Sleep performance %",
    ]
    rows = [",".join(header)]
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        last = i == len(NIGHTS) - 1
        rows.append(
            ",".join(
                [
                    f"{s:%Y-%m-%d %H:%M:%S}",
                    "" if last else f"{e + dt.timedelta(hours=16):%Y-%m-%d %H:%M:%S}",
                    "UTC+02:00",
                    "60",
                    str(50 + i),
                    "60",
                    "33.5",
                    "96",
                    "10.1",
                    "2500",
                    "160",
                    "70",
                    "" if last else f"{s:%Y-%m-%d %H:%M:%S}",
                    "" if last else f"{e:%Y-%m-%d %H:%M:%S}",
                    "85",
                ]
            )
        )
    return "physiological_cycles.csv", encode("\n".join(rows) + "\n")


# ---------------------------------------------------------------- Withings

WITHINGS_TAIL = [
    "Duration to sleep (s)",
    "Duration to wake up (s)",
    "Snoring (s)",
    "Snoring episodes",
    "Average heart rate",
    "Heart rate (min)",
    "Heart rate (max)",
    "Notes",
]
WITHINGS_LANG = {
    "en": ["from", "to", "light (s)", "deep (s)", "rem (s)", "awake (s)", "wake up"],
    "de": ["von", "bis", "leicht (s)", "tief (s)", "rem (s)", "wach (s)", "Aufwachen"],
    "es": ["de", "a", "ligero (s)", "profundo (s)", "rem (s)", "despierto (s)", "wake up"],
}


def withings_sleep(
    *, lang: str = "en", sep: str = ",", encoding: str = "utf-8", broken: bool = False
) -> tuple[str, bytes]:
    """light 250, deep 90, rem 100 min (asleep 440), awake = in bed - 440, 3 wake-ups, 15 min to
    fall asleep; the note is non-ASCII to exercise the encoding."""
    rows = [sep.join(WITHINGS_LANG[lang] + WITHINGS_TAIL)]
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        awake = (in_bed(night) - 440) * 60
        deep = "9999999" if broken and i == 5 else "5400"
        vals = [
            iso_off(s),
            iso_off(e),
            "15000",
            deep,
            "6000",
            str(awake),
            "3",
            "900",
            "300",
            "600",
            "4",
            "58",
            "48",
            "80",
            "Müde, Übelkeit",
        ]
        rows.append(sep.join(f'"{v}"' if sep in v else v for v in vals))
    return "sleep.csv", encode("\n".join(rows) + "\n", encoding=encoding)


def withings_steps() -> tuple[str, bytes]:
    rows = ["date,value"] + [f"{n},{8000 + i}" for i, n in enumerate(NIGHTS)]
    return "aggregates_steps.csv", encode("\n".join(rows) + "\n")


WITHINGS_ACTIVITY_HEADERS = {
    "plain": "from,to,Timezone,Activity type,Data,GPS,Modified",
    # as the account export writes it (English, and German with localised from/to)
    "en": 'from,to,"from (manual)","to (manual)",Timezone,"Activity type",Data,Modified,GPS',
    "de": 'von,bis,"from (manual)","to (manual)",Timezone,"Activity type",Data,GPS,Modified',
}


def withings_activities(lang: str = "plain") -> tuple[str, bytes]:
    header = WITHINGS_ACTIVITY_HEADERS[lang]
    rows = [header]
    for i, night in enumerate(NIGHTS):
        s = dt.datetime.combine(night, dt.time(17, 0))
        e = s + dt.timedelta(minutes=30 + i)
        blob = json.dumps(
            {
                "calories": 200 + i,
                "distance": 4000 + i,
                "hr_average": 130,
                "hr_max": 160,
                "steps": 5000,
            }
        )
        cells = {
            "from": iso_off(s),
            "to": iso_off(e),
            "timezone": "Europe/Berlin",
            "activity type": "Walking" if i % 2 else "Running",
            "data": '"' + blob.replace('"', '""') + '"',
            "gps": "",
            "modified": "2026-10-27",
            "from (manual)": "",
            "to (manual)": "",
        }
        if lang != "plain" and i == 3:  # an activity entered by hand: only the manual times
            cells["from (manual)"], cells["to (manual)"] = cells["from"], cells["to"]
            cells["from"] = cells["to"] = ""
        aliases = {"von": "from", "bis": "to"}
        names = [n.strip('"').lower() for n in header.split(",")]
        rows.append(",".join(cells[aliases.get(n, n)] for n in names))
    return "activities.csv", encode("\n".join(rows) + "\n")


# ---------------------------------------------------------------- Samsung


def samsung_sleep(*, broken: bool = False, latency: list[str] | None = None) -> tuple[str, bytes]:
    """UTC times with time_offset UTC+0200 / UTC+0100 (after the DST change); efficiency % and
    sleep_score; sleep_duration 440 min; rows end with a trailing comma. `latency`: a
    sleep_latency column with these 7 values."""
    header = [
        "sleep_score",
        "efficiency",
        "sleep_duration",
        *(["sleep_latency"] if latency else []),
        "com.samsung.health.sleep.start_time",
        "com.samsung.health.sleep.end_time",
        "com.samsung.health.sleep.time_offset",
        "com.samsung.health.sleep.datauuid",
        "com.samsung.health.sleep.deviceuuid",
    ]
    rows = ["com.samsung.shealth.sleep,6320001,11", ",".join(header) + ","]
    for i, night in enumerate(NIGHTS):
        s, e = utc(local_start(night)), utc(local_end(night))
        off = "UTC+0200" if night <= DST_NIGHT else "UTC+0100"
        start = "not a time" if broken and i == 3 else f"{s:%Y-%m-%d %H:%M:%S}.000"
        rows.append(
            ",".join(
                [
                    str(70 + i),
                    "91.5",
                    "440",
                    *([latency[i]] if latency else []),
                    start,
                    f"{e:%Y-%m-%d %H:%M:%S}.000",
                    off,
                    f"uuid-{i}",
                    "dev-1",
                ]
            )
            + ","
        )
    return "com.samsung.shealth.sleep.20261026120000.csv", encode("\n".join(rows) + "\n")


def samsung_stages() -> tuple[str, bytes]:
    rows = [
        "com.samsung.health.sleep_stage,6320001,3",
        "start_time,end_time,stage,sleep_id,time_offset,datauuid,",
    ]
    for i, night in enumerate(NIGHTS):
        s = utc(local_start(night))
        t = s
        for code, minutes in (("40001", 10), ("40002", 120), ("40003", 60), ("40004", 50)):
            rows.append(
                ",".join(
                    [
                        f"{t:%Y-%m-%d %H:%M:%S}.000",
                        f"{t + dt.timedelta(minutes=minutes):%Y-%m-%d %H:%M:%S}.000",
                        code,
                        f"uuid-{i}",
                        "UTC+0200",
                        f"st-{i}-{code}",
                    ]
                )
                + ","
            )
            t += dt.timedelta(minutes=minutes)
    return "com.samsung.health.sleep_stage.20261026120000.csv", encode("\n".join(rows) + "\n")


def samsung_steps() -> tuple[str, bytes]:
    rows = [
        "com.samsung.shealth.tracker.pedometer_day_summary,6300005,12",
        "day_time,step_count,distance,calorie,active_time,deviceuuid,",
    ]
    for i, night in enumerate(NIGHTS):
        rows.append(f"{night} 00:00:00.000,{6000 + i},4500.5,210.2,3600000,phone,")
        rows.append(f"{night} 00:00:00.000,{6500 + i},4800.0,220.0,4200000,watch,")
    return "com.samsung.shealth.tracker.pedometer_day_summary.20261026120000.csv", encode(
        "\n".join(rows) + "\n"
    )


# ---------------------------------------------------------------- Garmin Connect


def garmin_sleep() -> tuple[str, bytes]:
    nights = []
    for night in NIGHTS:
        s, e = utc(local_start(night)), utc(local_end(night))
        bed = in_bed(night) * 60
        nights.append(
            {
                "sleepStartTimestampGMT": f"{s:%Y-%m-%dT%H:%M:%S}.0",
                "sleepEndTimestampGMT": f"{e:%Y-%m-%dT%H:%M:%S}.0",
                "calendarDate": f"{night + dt.timedelta(days=1)}",
                "sleepWindowConfirmationType": "ENHANCED_CONFIRMED_FINAL",
                "deepSleepSeconds": 4800,
                "lightSleepSeconds": bed - 4800 - 6000 - 1200,
                "remSleepSeconds": 6000,
                "awakeSleepSeconds": 1200,
                "unmeasurableSeconds": 0,
                "awakeCount": 2,
                "averageRespiration": 14.0,
                "sleepScores": {"overallScore": 81, "qualityScore": 80},
            }
        )
    nights.append({"calendarDate": "2026-10-27", "deepSleepSeconds": None})
    return "2026-10-01_2026-11-01_12345_sleepData.json", json.dumps(nights).encode()


def garmin_activities() -> tuple[str, bytes]:
    header = "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Aerobic TE,Avg Run Cadence"
    rows = [header]
    for i, night in enumerate(NIGHTS):
        kind = ["Running", "Cycling", "Pool Swim", "Strength Training"][i % 4]
        dist = {
            "Running": "5.21",
            "Cycling": "25.40",
            "Pool Swim": "1,500",
            "Strength Training": "0.00",
        }[kind]
        rows.append(
            ",".join(
                [
                    kind,
                    f"{night} 18:00:00",
                    "false",
                    f'"Evening {kind}"',
                    f'"{dist}"',
                    '"1,234"' if i == 1 else "450",
                    f"00:{30 + i}:00",
                    "--" if kind == "Strength Training" else "140",
                    "165",
                    "3.1",
                    "--",
                ]
            )
        )
    return "Activities.csv", encode("\n".join(rows) + "\n")


# ---------------------------------------------------------------- generic

GENERIC_MAPPING = {
    "diary": {
        "start": "Lights out",
        "end": "Got up",
        "asleep_min": "Slept (h)",
        "awakenings": "Woke",
        "efficiency": "Quality",
        "time_format": "%d/%m/%Y %H:%M",
        "duration_unit": "h",
        "separator": ";",
    }
}


def generic_csv(*, broken: bool = False) -> tuple[str, bytes]:
    """A hand-kept sleep diary: local times in ctx.tz, hours with decimal commas."""
    rows = ["Lights out;Got up;Slept (h);Woke;Quality;Mood"]
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        slept = f"{(in_bed(night) - 60) / 60:.2f}".replace(".", ",")
        start = "soon" if broken and i == 6 else f"{s:%d/%m/%Y %H:%M}"
        rows.append(f"{start};{e:%d/%m/%Y %H:%M};{slept};2;;ok")
    return "my-sleep-diary.csv", encode("\n".join(rows) + "\n", encoding="latin-1")


# ---------------------------------------------------------------- Fitbit / Google Health Takeout

GOOGLE_SLEEPS_HEADER = (
    "sleep_id,sleep_type,minutes_in_sleep_period,minutes_after_wake_up,minutes_to_fall_asleep,"
    "minutes_asleep,minutes_awake,minutes_longest_awakening,minutes_to_persistent_sleep,"
    "start_utc_offset,sleep_start,end_utc_offset,sleep_end,data_source,algorithm_version,"
    "sleep_created,sleep_last_updated"
)


def _z(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%S}Z"


def _off(local: dt.datetime) -> str:
    off = local.replace(tzinfo=BERLIN).utcoffset()
    assert off is not None
    return f"+{int(off.total_seconds() // 3600):02d}:00"


def google_sleeps(*, broken: bool = False) -> tuple[str, bytes]:
    """UTC with offsets; in bed as Fitbit measures it, asleep = in bed - 30, 8 min latency."""
    rows = [GOOGLE_SLEEPS_HEADER]
    for i, night in enumerate(NIGHTS):
        s, e = local_start(night), local_end(night)
        bed = in_bed(night)
        start = "2026-10-22 nonsense" if broken and i == 3 else _z(utc(s))
        rows.append(
            ",".join(
                [
                    str(5000 + i),
                    "STAGES",
                    str(bed),
                    "0",
                    "8",
                    str(bed - 30),
                    "30",
                    "12",
                    "9",
                    _off(s),
                    start,
                    _off(e),
                    _z(utc(e)),
                    "GOOGLE_PIXEL_WATCH",
                    "3",
                    _z(utc(e)),
                    _z(utc(e)),
                ]
            )
        )
    return "Takeout/Google Health/Health Fitness Data_GoogleData/UserSleeps_2026-10-01.csv", encode(
        "\n".join(rows) + "\n"
    )


def google_stages() -> tuple[str, bytes]:
    header = (
        "sleep_id,sleep_stage_id,sleep_stage_type,start_utc_offset,sleep_stage_start,end_utc_offset,"
        "sleep_stage_end,data_source,algorithm_version,sleep_stage_created,sleep_stage_last_updated"
    )
    rows = [header]
    for i, night in enumerate(NIGHTS):
        t = utc(local_start(night))
        for j, (kind, minutes) in enumerate(
            (("AWAKE", 10), ("LIGHT", 100), ("DEEP", 70), ("REM", 40), ("WAKE", 5))
        ):
            rows.append(
                ",".join(
                    [
                        str(5000 + i),
                        str(j),
                        kind,
                        "+02:00",
                        _z(t),
                        "+02:00",
                        _z(t + dt.timedelta(minutes=minutes)),
                        "GOOGLE_PIXEL_WATCH",
                        "3",
                        "",
                        "",
                    ]
                )
            )
            t += dt.timedelta(minutes=minutes)
    return (
        "Takeout/Google Health/Health Fitness Data_GoogleData/UserSleepStages_2026-10-01.csv",
        encode("\n".join(rows) + "\n"),
    )


def google_steps(*, broken: bool = False) -> tuple[str, bytes]:
    """Per night's day: the phone logs 1000 + 500 steps and its Health Connect mirror repeats
    them; the watch logs 1200. A phone minute at 23:30 UTC on 10-25 is 00:30 on 10-26 in Berlin."""
    rows = ["timestamp,steps,data source"]
    for i, night in enumerate(NIGHTS):
        for rec in ("MobileTrack", "Fit Health Connect"):
            rows.append(f"{night}T08:00:00.000Z,1000,{rec}")
            rows.append(f"{night}T12:00:00.000Z,{500 + i},{rec}")
        rows.append(f"{night}T08:00:00Z,1200,Google Pixel Watch")
    rows.append(f"{NIGHTS[-1]}T23:30:00.000Z,70,MobileTrack")
    if broken:
        rows.insert(4, "yesterday,12,MobileTrack")
    return "Takeout/Google Health/Physical Activity_GoogleData/Steps/steps_2026-10-01.csv", encode(
        "\n".join(rows) + "\n"
    )
