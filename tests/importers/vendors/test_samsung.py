import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import col, read, sniffers


def test_sleep_utc_with_offsets_and_trailing_commas() -> None:
    built = b.samsung_sleep()
    assert sniffers(built) == {"samsung-sleep"}
    res = read("samsung-sleep", built)
    s = res.tables["sleep_sessions"].sort("start")
    assert s["source_id"].to_list() == [f"uuid-{i}" for i in range(7)]
    assert s["utc_offset_min"].to_list() == [120] * 6 + [60]
    assert s["night"].to_list() == b.NIGHTS
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert s["asleep_min"].to_list() == [440.0] * 7  # sleep_duration
    assert s["efficiency"].to_list() == pytest.approx([440 / 480] * 5 + [440 / 540, 440 / 480])
    assert s["latency_min"].to_list() == [None] * 7
    assert s["score"].to_list() == [70.0 + i for i in range(7)]


def test_sleep_bad_time() -> None:
    with pytest.raises(ImportRefused) as err:
        read("samsung-sleep", b.samsung_sleep(broken=True))
    assert str(err.value) == (
        "line 6: column 'com.samsung.health.sleep.start_time': not a date/time ('not a time')"
    )


def test_stages_link_to_sessions_by_sleep_id() -> None:
    built = b.samsung_stages()
    assert sniffers(built) == {"samsung-sleep-stages"}
    res = read("samsung-sleep-stages", built)
    st = res.tables["sleep_stages"].filter(source_id="uuid-0").sort("start")
    assert st["stage"].to_list() == ["awake", "light", "deep", "rem"]
    assert st["start"][0] == dt.datetime(2026, 10, 19, 21, 0, tzinfo=dt.UTC)
    assert st["end"][3] == dt.datetime(2026, 10, 20, 1, 0, tzinfo=dt.UTC)  # 10 + 120 + 60 + 50 min


def test_steps_largest_device_wins() -> None:
    built = b.samsung_steps()
    assert sniffers(built) == {"samsung-steps"}
    res = read("samsung-steps", built)
    assert col(res, "daily_activity", "date", "date") == b.NIGHTS
    assert col(res, "daily_activity", "steps", "date") == [6500 + i for i in range(7)]
    assert col(res, "daily_activity", "active_min", "date") == [70.0] * 7


def test_metadata_line_required() -> None:
    name, data = b.samsung_sleep()
    with pytest.raises(ImportRefused, match=r"^line 1: not Samsung's metadata line"):
        read("samsung-sleep", (name, data.split(b"\n", 1)[1]))


def test_sleep_latency_in_minutes_or_milliseconds() -> None:
    values = ["12", "900000", "0", "", "30", "50000000", "7"]
    res = read("samsung-sleep", b.samsung_sleep(latency=values))
    s = res.tables["sleep_sessions"].sort("start")
    # 900000 cannot be minutes of an 8-hour night: 15 min in ms; the absurd one is left out
    assert s["latency_min"].to_list() == [12.0, 15.0, 0.0, None, 30.0, None, 7.0]
    assert res.warnings == [
        "line 8: column 'sleep_latency': 5e+07 is neither minutes nor milliseconds of a "
        "540-min session; left out"
    ]
