import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import read, sniffers


def test_sleep_json() -> None:
    built = b.garmin_sleep()
    assert sniffers(built) == {"garmin-connect-sleep-json"}
    res = read("garmin-connect-sleep-json", built)
    assert res.warnings == ["record 8: no sleep recorded (2026-10-27), skipped"]
    s = res.tables["sleep_sessions"].sort("start")
    assert s["night"].to_list() == b.NIGHTS
    assert s["utc_offset_min"].to_list() == [120] * 6 + [60]  # from ctx.tz at each GMT instant
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert s["asleep_min"].to_list() == [460.0] * 5 + [520.0, 460.0]
    assert s["deep_min"].to_list() == [80.0] * 7
    assert s["rem_min"].to_list() == [100.0] * 7
    assert s["awake_min"].to_list() == [20.0] * 7
    assert s["awakenings"].to_list() == [2] * 7
    assert s["score"].to_list() == [81.0] * 7


def test_sleep_json_bad_value() -> None:
    name, data = b.garmin_sleep()
    data = data.replace(b'"deepSleepSeconds": 4800', b'"deepSleepSeconds": "lots"', 1)
    with pytest.raises(ImportRefused) as err:
        read("garmin-connect-sleep-json", (name, data))
    assert str(err.value) == "record 1: key 'deepSleepSeconds': not a duration in seconds ('lots')"


def test_activities_csv() -> None:
    built = b.garmin_activities()
    assert sniffers(built) == {"garmin-connect-activities"}
    res = read("garmin-connect-activities", built)
    a = res.tables["activities"].sort("start")
    assert a["sport"].to_list() == ["running", "cycling", "swimming", "strength"] * 1 + [
        "running",
        "cycling",
        "swimming",
    ]
    assert a["distance_m"].to_list() == [5210.0, 25400.0, 1500.0, 0.0, 5210.0, 25400.0, 1500.0]
    assert a["calories"].to_list() == [450.0, 1234.0] + [450.0] * 5
    assert a["avg_hr"].to_list() == [140.0, 140.0, 140.0, None, 140.0, 140.0, 140.0]  # "--"
    assert a["duration_min"].to_list() == [30.0 + i for i in range(7)]
    assert a["start"][0] == dt.datetime(2026, 10, 19, 16, 0, tzinfo=dt.UTC)
    assert a["end"][0] == dt.datetime(2026, 10, 19, 16, 30, tzinfo=dt.UTC)
