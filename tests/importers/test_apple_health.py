"""Apple Health export.xml: generated exports with the layouts seen in real files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from importers import apple_health as ah
from importers import detect
from importers.model import ACTIVITIES, DAILY_ACTIVITY, SLEEP_SESSIONS, SLEEP_STAGES, ImportRefused
from importers.registry import HEAD_BYTES, ReadContext, formats
from tests.importers.apple_health_files import DTD, PHONE, WATCH, WATCH_DEVICE, export, sleep, steps

CTX = ReadContext(tz=ZoneInfo("Europe/Berlin"))


def day(d: str, times: list[tuple[str, str]], values: list[str], source: str, off: str) -> str:
    return "".join(
        sleep(source, f"{a} {off}" if " " not in a else a, f"{b} {off}" if " " not in b else b, v)
        for (a, b), v in zip(times, values, strict=True)
    )


def read(data: bytes, ctx: ReadContext = CTX) -> dict[str, pl.DataFrame]:
    return ah.read(data, "export.xml", ctx).tables


def utc(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=dt.UTC)


# A watch night (stages) and the phone's InBed over it, 6–7 April 2026, Berlin summer time.
WATCH_NIGHT = [
    ("2026-04-06 23:10:00", "2026-04-06 23:25:00", "Awake"),
    ("2026-04-06 23:25:00", "2026-04-07 00:40:00", "AsleepCore"),
    ("2026-04-07 00:40:00", "2026-04-07 01:30:00", "AsleepDeep"),
    ("2026-04-07 01:30:00", "2026-04-07 02:10:00", "AsleepCore"),
    ("2026-04-07 02:10:00", "2026-04-07 02:40:00", "AsleepREM"),
    ("2026-04-07 02:40:00", "2026-04-07 02:52:00", "Awake"),
    ("2026-04-07 02:52:00", "2026-04-07 04:30:00", "AsleepCore"),
    ("2026-04-07 04:30:00", "2026-04-07 05:10:00", "AsleepREM"),
    ("2026-04-07 05:10:00", "2026-04-07 06:30:00", "AsleepCore"),
    ("2026-04-07 06:30:00", "2026-04-07 06:50:00", "Awake"),
]


def phone_and_watch() -> bytes:
    body = sleep(PHONE, "2026-04-06 22:45:00 +0200", "2026-04-07 07:00:00 +0200", "InBed")
    # Apple writes records grouped by type and source, not in time order: shuffle a little.
    for a, b, v in reversed(WATCH_NIGHT):
        body += sleep(WATCH, f"{a} +0200", f"{b} +0200", v, WATCH_DEVICE)
    return export(body)


# --------------------------------------------------------------------------------------
# registration and sniffing


def test_registered_with_a_stream_reader() -> None:
    fmt = formats()["apple-health"]
    assert fmt.read_stream is ah.read_stream
    assert fmt.read is ah.read


def test_sniff_finds_the_doctype_when_the_root_is_past_the_head() -> None:
    long_dtd = DTD.replace("]>", "<!-- " + "x" * HEAD_BYTES + " -->\n]>")
    data = export("", dtd=long_dtd)
    assert b"<HealthData" not in data[:HEAD_BYTES]
    assert ah.sniff("Export.xml", data[:HEAD_BYTES])
    assert ah.sniff("export.xml", export("", dtd="")[:HEAD_BYTES])


def test_sniff_leaves_other_files_alone() -> None:
    cda = b'<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">'
    assert not ah.sniff("export_cda.xml", cda)
    assert not ah.sniff("steps.csv", b"date,value\n2026-04-01,1234\n")
    registry = formats()
    assert (
        detect.sniff("export.xml", phone_and_watch()[:HEAD_BYTES], registry).name == "apple-health"
    )


# --------------------------------------------------------------------------------------
# sleep


def test_watch_and_phone_stay_separate_sessions_with_exact_minutes() -> None:
    tables = read(phone_and_watch())
    sessions = tables["sleep_sessions"]
    assert sessions.schema == SLEEP_SESSIONS
    assert sorted(sessions["source"]) == sorted([f"apple_health:{PHONE}", f"apple_health:{WATCH}"])

    watch = sessions.filter(pl.col("source") == f"apple_health:{WATCH}").row(0, named=True)
    assert watch["start"] == utc("2026-04-06 21:10:00")
    assert watch["end"] == utc("2026-04-07 04:50:00")
    assert watch["source_id"] == "2026-04-06T21:10:00Z"
    assert watch["utc_offset_min"] == 120
    assert watch["night"] == dt.date(2026, 4, 6)
    assert watch["time_in_bed_min"] == 460
    assert watch["light_min"] == 75 + 40 + 98 + 80
    assert watch["deep_min"] == 50
    assert watch["rem_min"] == 30 + 40
    assert watch["asleep_min"] == 413
    assert watch["awake_min"] == 47
    assert watch["latency_min"] == 15
    assert watch["waso_min"] == 12
    assert watch["awakenings"] == 1
    assert watch["efficiency"] == pytest.approx(413 / 460)
    assert watch["is_nap"] is False

    # The phone only knows when its owner was in bed: no asleep figure at all, never zero.
    phone = sessions.filter(pl.col("source") == f"apple_health:{PHONE}").row(0, named=True)
    assert phone["time_in_bed_min"] == 495
    assert phone["night"] == dt.date(2026, 4, 6)
    for col in ("asleep_min", "awake_min", "efficiency", "latency_min", "waso_min", "awakenings"):
        assert phone[col] is None, col


def test_stages_follow_the_watch_hypnogram() -> None:
    stages = read(phone_and_watch())["sleep_stages"]
    assert stages.schema == SLEEP_STAGES
    assert set(stages["source"]) == {f"apple_health:{WATCH}"}
    assert set(stages["source_id"]) == {"2026-04-06T21:10:00Z"}
    assert stages["stage"].to_list() == [
        "awake", "light", "deep", "light", "rem", "awake", "light", "rem", "light", "awake",
    ]  # fmt: skip
    minutes = ((stages["end"] - stages["start"]).dt.total_seconds() / 60).to_list()
    assert minutes == [15, 75, 50, 40, 30, 12, 98, 40, 80, 20]


def test_in_bed_is_never_added_to_asleep_time() -> None:
    # A pre-iOS 16 watch or a sleep app: InBed spanning the night, plain Asleep inside it.
    src = "AutoSleep"
    body = (
        sleep(src, "2026-04-01 23:00:00 +0200", "2026-04-02 07:00:00 +0200", "InBed")
        + sleep(src, "2026-04-01 23:20:00 +0200", "2026-04-02 03:00:00 +0200", "Asleep")
        + sleep(src, "2026-04-02 03:30:00 +0200", "2026-04-02 06:45:00 +0200", "AsleepUnspecified")
    )
    tables = read(export(body))
    s = tables["sleep_sessions"].row(0, named=True)
    assert tables["sleep_sessions"].height == 1
    assert s["source"] == "apple_health:AutoSleep"
    assert s["time_in_bed_min"] == 480
    assert s["asleep_min"] == 220 + 195
    assert s["awake_min"] == 65
    assert s["latency_min"] == 20
    assert s["waso_min"] == 30
    assert s["awakenings"] == 1
    assert s["light_min"] is None and s["deep_min"] is None and s["rem_min"] is None
    assert tables["sleep_stages"]["stage"].to_list() == ["unknown", "unknown"]


def test_overlapping_records_of_one_source_are_counted_once() -> None:
    body = (
        sleep(WATCH, "2026-04-01 23:00:00 +0200", "2026-04-02 01:00:00 +0200", "AsleepCore")
        # the same segment written twice (a re-synced watch)
        + sleep(WATCH, "2026-04-01 23:00:00 +0200", "2026-04-02 01:00:00 +0200", "AsleepCore")
        # an unspecified span under the stages adds nothing
        + sleep(
            WATCH, "2026-04-01 23:30:00 +0200", "2026-04-02 02:00:00 +0200", "AsleepUnspecified"
        )
        + sleep(WATCH, "2026-04-02 01:00:00 +0200", "2026-04-02 01:40:00 +0200", "AsleepDeep")
    )
    s = read(export(body))["sleep_sessions"].row(0, named=True)
    assert s["time_in_bed_min"] == 180
    assert s["asleep_min"] == 180
    assert s["light_min"] == 120
    assert s["deep_min"] == 40


def test_spring_forward_night_has_its_true_length() -> None:
    # Berlin, 29 March 2026: clocks jump from 02:00 to 03:00. Seven hours, not eight.
    body = (
        sleep(WATCH, "2026-03-28 23:00:00 +0100", "2026-03-29 01:30:00 +0100", "AsleepCore")
        + sleep(WATCH, "2026-03-29 01:30:00 +0100", "2026-03-29 03:30:00 +0200", "AsleepDeep")
        + sleep(WATCH, "2026-03-29 03:30:00 +0200", "2026-03-29 07:00:00 +0200", "AsleepCore")
    )
    s = read(export(body))["sleep_sessions"].row(0, named=True)
    assert s["start"] == utc("2026-03-28 22:00:00")
    assert s["end"] == utc("2026-03-29 05:00:00")
    assert s["utc_offset_min"] == 60
    assert s["night"] == dt.date(2026, 3, 28)
    assert s["time_in_bed_min"] == 420
    assert s["asleep_min"] == 420
    assert s["deep_min"] == 60
    assert s["light_min"] == 360


def test_fall_back_night_has_its_true_length() -> None:
    body = sleep(WATCH, "2026-10-24 23:00:00 +0200", "2026-10-25 07:00:00 +0100", "AsleepCore")
    s = read(export(body))["sleep_sessions"].row(0, named=True)
    assert s["time_in_bed_min"] == 540
    assert s["night"] == dt.date(2026, 10, 24)


def test_a_gap_splits_sessions_and_a_daytime_one_is_a_nap() -> None:
    body = (
        sleep(WATCH, "2026-04-02 14:00:00 +0200", "2026-04-02 14:40:00 +0200", "AsleepCore")
        + sleep(WATCH, "2026-04-02 23:30:00 +0200", "2026-04-03 02:00:00 +0200", "AsleepCore")
        # an hour and a half up in the night stays part of it
        + sleep(WATCH, "2026-04-03 03:30:00 +0200", "2026-04-03 06:30:00 +0200", "AsleepCore")
    )
    sessions = read(export(body))["sleep_sessions"].sort("start")
    assert sessions["is_nap"].to_list() == [True, False]
    assert sessions["night"].to_list() == [dt.date(2026, 4, 2), dt.date(2026, 4, 2)]
    night = sessions.row(1, named=True)
    assert night["time_in_bed_min"] == 420
    assert night["asleep_min"] == 330
    assert night["waso_min"] == 90
    assert night["awakenings"] == 1


def test_zero_length_records_make_no_session() -> None:
    body = sleep(PHONE, "2026-04-01 23:00:00 +0200", "2026-04-01 23:00:00 +0200", "InBed")
    result = ah.read(export(body), "export.xml", CTX)
    assert result.tables["sleep_sessions"].height == 0
    assert result.skipped


def test_unknown_sleep_values_are_skipped_with_a_warning() -> None:
    body = sleep(
        WATCH, "2026-04-01 23:00:00 +0200", "2026-04-02 06:00:00 +0200", "AsleepCore"
    ) + sleep(WATCH, "2026-04-02 06:00:00 +0200", "2026-04-02 06:10:00 +0200", "Dozing")
    result = ah.read(export(body), "export.xml", CTX)
    assert result.tables["sleep_sessions"]["asleep_min"].to_list() == [420]
    assert any("HKCategoryValueSleepAnalysisDozing" in w for w in result.warnings)


def test_bad_dates_refuse_unless_bad_rows_are_skipped() -> None:
    body = sleep(
        WATCH, "2026-04-01 23:00:00 +0200", "2026-04-02 06:00:00 +0200", "AsleepCore"
    ) + sleep(WATCH, "yesterday", "2026-04-02 06:10:00 +0200", "Awake")
    data = export(body)
    with pytest.raises(
        ImportRefused, match=r"export\.xml: 1 sleep records .* line \d+: 'yesterday'"
    ):
        ah.read(data, "export.xml", CTX)
    result = ah.read(data, "export.xml", ReadContext(tz=CTX.tz, skip_bad_rows=True))
    assert result.tables["sleep_sessions"]["asleep_min"].to_list() == [420]
    assert len(result.warnings) == 1 and "skipped" in result.warnings[0]


# --------------------------------------------------------------------------------------
# steps and daily rows


def test_steps_take_one_source_per_day_never_the_sum() -> None:
    body = (
        steps(PHONE, "2026-04-01 09:00:00 +0200", "2026-04-01 09:30:00 +0200", 3000)
        + steps(WATCH, "2026-04-01 09:00:00 +0200", "2026-04-01 09:30:00 +0200", 4000)
        + steps(PHONE, "2026-04-01 18:00:00 +0200", "2026-04-01 18:30:00 +0200", 2000)
        + steps(WATCH, "2026-04-01 18:00:00 +0200", "2026-04-01 18:30:00 +0200", 2500)
        # next day the watch sat on the charger most of the day
        + steps(WATCH, "2026-04-02 07:00:00 +0200", "2026-04-02 07:10:00 +0200", 1200)
        + steps(PHONE, "2026-04-02 10:00:00 +0200", "2026-04-02 12:00:00 +0200", 8000)
        # local date, not UTC: 00:30 local on the 3rd is still the 2nd in UTC
        + steps(PHONE, "2026-04-03 00:30:00 +0200", "2026-04-03 00:40:00 +0200", 100)
    )
    daily = read(export(body))["daily_activity"]
    assert daily.schema == DAILY_ACTIVITY
    assert daily.select("date", "source", "steps").rows() == [
        (dt.date(2026, 4, 1), "apple_health", 6500),
        (dt.date(2026, 4, 2), "apple_health", 8000),
        (dt.date(2026, 4, 3), "apple_health", 100),
    ]


def test_daily_rows_carry_exercise_minutes_and_resting_heart_rate() -> None:
    body = (
        steps(WATCH, "2026-04-01 09:00:00 +0200", "2026-04-01 09:30:00 +0200", 4000)
        + f' <Record type="HKQuantityTypeIdentifierRestingHeartRate" sourceName="{WATCH}" unit="count/min" '
        'startDate="2026-04-01 00:00:00 +0200" endDate="2026-04-01 23:59:00 +0200" value="58"/>\n'
        + ' <ActivitySummary dateComponents="2026-04-01" activeEnergyBurned="410" activeEnergyBurnedUnit="kcal" '
        'appleExerciseTime="34" appleExerciseTimeGoal="30" appleStandHours="10"/>\n'
        + ' <ActivitySummary dateComponents="2026-04-02" appleExerciseTime="0"/>\n'
    )
    daily = read(export(body))["daily_activity"]
    assert daily.select("date", "steps", "active_min", "resting_hr").rows() == [
        (dt.date(2026, 4, 1), 4000, 34.0, 58.0),
        (dt.date(2026, 4, 2), None, 0.0, None),
    ]


@pytest.mark.parametrize("bad", ["ten", "nan", "-5", "inf"])
def test_bad_step_value_refuses_with_its_line_or_is_skipped(bad: str) -> None:
    body = steps(WATCH, "2026-04-01 09:00:00 +0200", "2026-04-01 09:30:00 +0200", 10).replace(
        'value="10"', f'value="{bad}"'
    ) + steps(WATCH, "2026-04-01 10:00:00 +0200", "2026-04-01 10:30:00 +0200", 700)
    data = export(body)
    line = data[: data.index(f'value="{bad}"'.encode())].count(b"\n") + 1
    with pytest.raises(
        ImportRefused, match=rf"1 unreadable values \(first: step count '{bad}' at line {line}\)"
    ):
        ah.read(data, "export.xml", CTX)
    result = ah.read(data, "export.xml", ReadContext(tz=CTX.tz, skip_bad_rows=True))
    assert result.tables["daily_activity"]["steps"].to_list() == [700]
    assert len(result.warnings) == 1


# --------------------------------------------------------------------------------------
# workouts


def test_workouts_from_attributes_and_from_statistics() -> None:
    old = (
        f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="31.5" durationUnit="min" '
        'totalDistance="3.1" totalDistanceUnit="mi" totalEnergyBurned="310" totalEnergyBurnedUnit="kcal" '
        f'sourceName="{WATCH}" startDate="2019-11-14 07:25:00 -0800" endDate="2019-11-14 07:57:00 -0800">\n'
        '  <MetadataEntry key="HKTimeZone" value="America/Los_Angeles"/>\n'
        " </Workout>\n"
    )
    new = (
        ' <Workout workoutActivityType="HKWorkoutActivityTypeHighIntensityIntervalTraining" duration="1800" '
        f'durationUnit="s" sourceName="{WATCH}" startDate="2026-04-05 18:00:00 +0200" '
        'endDate="2026-04-05 18:31:00 +0200">\n'
        '  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2026-04-05 18:00:00 +0200"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="2026-04-05 18:00:00 +0200" '
        'endDate="2026-04-05 18:31:00 +0200" sum="250.5" unit="kcal"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierBasalEnergyBurned" sum="40" unit="kcal"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" sum="2.4" unit="km"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" average="141.5" minimum="90" '
        'maximum="172" unit="count/min"/>\n'
        "  <WorkoutRoute>\n"
        '   <FileReference path="/workout-routes/route_2026-04-05_6.31pm.gpx"/>\n'
        "  </WorkoutRoute>\n"
        " </Workout>\n"
    )
    # a record after the workout must not be mistaken for one of its children
    after = steps(PHONE, "2026-04-05 19:00:00 +0200", "2026-04-05 19:10:00 +0200", 900)
    acts = read(export(old + new + after))["activities"]
    assert acts.schema == ACTIVITIES
    first, second = acts.rows(named=True)
    assert first["source"] == f"apple_health:{WATCH}"
    assert first["source_id"] == "2019-11-14T15:25:00Z"
    assert first["sport"] == "running"
    assert first["utc_offset_min"] == -480
    assert first["duration_min"] == 31.5
    assert first["distance_m"] == pytest.approx(3.1 * 1609.344)
    assert first["calories"] == 310
    assert first["avg_hr"] is None
    assert second["sport"] == "high_intensity_interval_training"
    assert second["start"] == utc("2026-04-05 16:00:00")
    assert second["duration_min"] == 30
    assert second["distance_m"] == pytest.approx(2400)
    assert second["calories"] == 250.5
    assert (second["avg_hr"], second["max_hr"]) == (141.5, 172)


def _leg(t0: str, t1: str, km: float | None, max_hr: int) -> str:
    dist = (
        f'   <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="{t0}" '
        f'endDate="{t1}" sum="{km}" unit="km"/>\n'
        if km is not None
        else ""
    )
    return (
        f'  <WorkoutActivity uuid="A" startDate="{t0}" endDate="{t1}" duration="5" durationUnit="min">\n'
        + dist
        + f'   <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" average="150" maximum="{max_hr}" unit="count/min"/>\n'
        + '   <MetadataEntry key="WOIntervalStepKeyPath" value="0.0.0"/>\n'
        + "  </WorkoutActivity>\n"
    )


def _interval_workout(totals: bool) -> str:
    t = "2026-04-08 18:{:02d}:00 +0200"
    legs = _leg(t.format(0), t.format(5), 1.0, 170) + _leg(t.format(5), t.format(9), 1.2, 185)
    legs += _leg(t.format(9), t.format(12), 0.3, 160)
    workout_totals = (
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" sum="2.5" unit="km"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" average="164" maximum="186" unit="count/min"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" sum="190" unit="kcal"/>\n'
    )
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="12" durationUnit="min" '
        f'sourceName="{WATCH}" startDate="{t.format(0)}" endDate="{t.format(12)}">\n'
        '  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2026-04-08 18:00:00 +0200"/>\n'
        + legs
        + (workout_totals if totals else "")
        + " </Workout>\n"
    )


def test_interval_workout_takes_its_totals_not_its_first_leg() -> None:
    later = (
        ' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="20" durationUnit="min" '
        f'sourceName="{WATCH}" startDate="2026-04-09 08:00:00 +0200" endDate="2026-04-09 08:20:00 +0200">\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" sum="1.6" unit="km"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" average="110" maximum="120" unit="count/min"/>\n'
        " </Workout>\n"
    )
    acts = read(export(_interval_workout(totals=True) + later))["activities"]
    assert acts.select("distance_m", "calories", "avg_hr", "max_hr").rows() == [
        (pytest.approx(2500), 190.0, 164.0, 186.0),
        (pytest.approx(1600), None, 110.0, 120.0),
    ]


def test_workout_with_only_legs_sums_them() -> None:
    acts = read(export(_interval_workout(totals=False)))["activities"]
    assert acts.select("distance_m", "calories", "avg_hr", "max_hr").rows() == [
        (pytest.approx(2500), None, None, 185.0)
    ]


def test_workout_without_duration_uses_its_span() -> None:
    body = (
        ' <Workout workoutActivityType="HKWorkoutActivityTypeYoga" sourceName="Down Dog" '
        'startDate="2026-04-05 07:00:00 +0200" endDate="2026-04-05 07:45:00 +0200"/>\n'
    )
    acts = read(export(body))["activities"]
    assert acts.select("source", "sport", "duration_min").rows() == [
        ("apple_health:Down Dog", "yoga", 45.0)
    ]


# --------------------------------------------------------------------------------------
# bad and hostile input


def test_truncated_file_is_refused_with_its_line() -> None:
    data = phone_and_watch()
    cut = data[: data.index(b"AsleepDeep") + 5]
    line = cut.count(b"\n") + 1
    with pytest.raises(
        ImportRefused, match=rf"^export\.xml: XML ends early at line {line} \(truncated\?\)$"
    ):
        ah.read(cut, "export.xml", CTX)


def test_truncated_between_elements_is_refused() -> None:
    data = phone_and_watch()
    cut = data[: data.rindex(b"</HealthData>")]
    with pytest.raises(ImportRefused, match=r"XML ends early at line \d+ \(truncated\?\)"):
        ah.read(cut, "export.xml", CTX)


def test_truncated_inside_the_dtd_is_refused() -> None:
    data = phone_and_watch()
    cut = data[: data.index(b"<!ELEMENT Workout")]
    with pytest.raises(ImportRefused, match=r"XML ends early at line \d+ \(truncated\?\)"):
        ah.read(cut, "export.xml", CTX)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<HealthData locale="en_US">
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="&lol9;" startDate="2026-04-01 23:00:00 +0200" endDate="2026-04-02 06:00:00 +0200" value="HKCategoryValueSleepAnalysisAsleepCore"/>
</HealthData>
"""


def test_billion_laughs_is_refused_before_expanding() -> None:
    # refused before expanding: expanded, it would not finish (a billion "lol"s)
    with pytest.raises(ImportRefused, match=r"^export\.xml: declares XML entities"):
        ah.read(BILLION_LAUGHS, "export.xml", CTX)


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE HealthData [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<HealthData><Record type="t" sourceName="&x;"/></HealthData>\n'
    )
    with pytest.raises(ImportRefused, match="declares XML entities"):
        ah.read(xxe, "export.xml", CTX)


def test_entities_hidden_from_the_dtd_stripper_are_still_refused() -> None:
    # A comment mentioning the root makes the prolog scan stop early, so expat sees the DTD:
    # its own entity-declaration hook must refuse it.
    sneaky = BILLION_LAUGHS.replace(
        b'<?xml version="1.0"?>\n', b'<?xml version="1.0"?>\n<!-- <HealthData -->\n'
    )
    with pytest.raises(ImportRefused, match="declares XML entities"):
        ah.read(sneaky, "export.xml", CTX)


def test_undeclared_entity_is_refused() -> None:
    data = export(
        sleep(WATCH, "2026-04-01 23:00:00 +0200", "2026-04-02 06:00:00 +0200", "AsleepCore")
    )
    data = data.replace(WATCH.encode(), b"&lol9;")
    with pytest.raises(ImportRefused, match=r"not well-formed XML at line \d+.*undefined entity"):
        ah.read(data, "export.xml", CTX)


def test_broken_apple_dtd_and_stray_control_characters_are_accepted() -> None:
    body = sleep(
        WATCH, "2026-04-01 23:00:00 +0200", "2026-04-02 06:00:00 +0200", "AsleepCore"
    ).replace("/>", '>\n  <MetadataEntry key="note" value="line\x0bbreak"/>\n </Record>')
    data = export(body)
    assert b"\x0b" in data and b"dateIssued       CDATA #REQUIRED\n<!ELEMENT" in data
    assert read(data)["sleep_sessions"]["asleep_min"].to_list() == [420]


def test_malformed_body_names_its_line() -> None:
    data = phone_and_watch().replace(
        b'value="HKCategoryValueSleepAnalysisAsleepDeep"/>', b'value="x" value="y"/>'
    )
    line = data[: data.index(b'value="x"')].count(b"\n") + 1
    with pytest.raises(
        ImportRefused,
        match=rf"^export\.xml: not well-formed XML at line {line}, column \d+ \(duplicate attribute\)$",
    ):
        ah.read(data, "export.xml", CTX)


def test_other_xml_is_not_taken_for_an_export() -> None:
    tcx = b'<?xml version="1.0"?>\n<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>\n'
    with pytest.raises(
        ImportRefused, match=r"^export\.xml: root element is <TrainingCenterDatabase>"
    ):
        ah.read(tcx, "export.xml", CTX)


def test_empty_file_is_refused() -> None:
    with pytest.raises(ImportRefused, match=r"^export\.xml: empty file$"):
        ah.read(b"  \n", "export.xml", CTX)


def test_an_export_without_anything_we_use_is_skipped() -> None:
    result = ah.read(export("", padding=3), "export.xml", CTX)
    assert result.skipped
    assert result.rows() == {}
    assert set(result.tables) == {"sleep_sessions", "sleep_stages", "activities", "daily_activity"}


def test_error_messages_name_the_member_not_the_archive_path() -> None:
    with pytest.raises(ImportRefused, match=r"^export\.xml: empty file$"):
        ah.read(b"", "Export.zip!apple_health_export/export.xml".replace("E", "e"), CTX)


# --------------------------------------------------------------------------------------
# streaming, progress, idempotency


def test_progress_reports_bytes_read_up_to_the_total() -> None:
    data = export(
        phone_and_watch()
        .decode()
        .split("<HealthData", 1)[1]
        .split(">", 1)[1]
        .rsplit("</HealthData>")[0],
        padding=12_000,
    )
    assert len(data) > 2 * ah.CHUNK
    seen: list[int] = []
    result = ah.read_stream(io.BytesIO(data), "export.xml", CTX, seen.append)
    assert seen == sorted(seen) and len(seen) >= 3
    assert seen[-1] == len(data)
    assert result.tables["sleep_sessions"].height == 2


def test_records_split_across_chunks_are_read_whole() -> None:
    night = "".join(sleep(WATCH, f"{a} +0200", f"{b} +0200", v) for a, b, v in WATCH_NIGHT)
    data = export(night * 1, padding=9_000)
    # the watch night sits past the first chunk boundary and is read the same as alone
    small = read(export(night))["sleep_sessions"]
    assert_frame_equal(read(data)["sleep_sessions"], small)


def test_read_and_read_stream_agree_and_repeat() -> None:
    data = phone_and_watch()
    a = ah.read(data, "export.xml", CTX)
    b = ah.read_stream(io.BytesIO(data), "export.xml", CTX, None)
    c = ah.read(data, "export.xml", CTX)
    for table in a.tables:
        assert_frame_equal(a.tables[table], b.tables[table])
        assert_frame_equal(a.tables[table], c.tables[table])


def test_keys_are_unique_so_a_reimport_replaces_rows() -> None:
    tables = read(phone_and_watch())
    assert tables["sleep_sessions"].select("source", "source_id").is_unique().all()
    assert tables["daily_activity"].select("source", "date").is_unique().all()


CDA = b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>\n'
GPX = b'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health Export"><trk/></gpx>\n'


def test_export_zip_member_is_found_and_read(tmp_path) -> None:
    archive = tmp_path / "Export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("apple_health_export/export.xml", phone_and_watch())
        zf.writestr("apple_health_export/export_cda.xml", CDA)
        zf.writestr("apple_health_export/workout-routes/route_2026-04-05_6.31pm.gpx", GPX)
    registry = formats()
    outcome = {}
    for entry in detect.walk([archive]):
        data = entry.load()
        member = entry.display.rsplit("!", 1)[-1]
        fmt = detect.sniff(member, data[:HEAD_BYTES], registry)
        assert fmt is not None and fmt.name == "apple-health", member
        result = fmt.read(data, member, CTX)
        outcome[member] = result.skipped or result.rows()
    assert outcome == {
        "apple_health_export/export.xml": {"sleep_sessions": 2, "sleep_stages": 10},
        "apple_health_export/export_cda.xml": "clinical records (export_cda.xml) are not used",
        "apple_health_export/workout-routes/route_2026-04-05_6.31pm.gpx": "workout routes (GPX) are not used",
    }


def test_companion_files_are_claimed_only_inside_the_export_folder() -> None:
    assert ah.sniff("apple_health_export/export_cda.xml", CDA)
    assert not ah.sniff("export_cda.xml", CDA)
    assert not ah.sniff("Downloads/morning-run.gpx", GPX)


def test_small_batches_give_the_same_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sleep records are parsed, sessionised and staged in batches; boundaries must not show.
    body = (
        phone_and_watch()
        .decode()
        .split("<Me ", 1)[1]
        .split("\n", 1)[1]
        .rsplit("</HealthData>", 1)[0]
    )
    body += sleep("AutoSleep", "2026-04-01 23:00:00 +0200", "2026-04-02 07:00:00 +0200", "InBed")
    body += sleep("AutoSleep", "2026-04-01 23:20:00 +0200", "2026-04-02 06:45:00 +0200", "Asleep")
    data = export(body)
    whole = read(data)
    monkeypatch.setattr(ah, "BATCH", 3)
    batched = read(data)
    assert whole["sleep_sessions"].height == 3
    for table in whole:
        assert_frame_equal(batched[table], whole[table])
