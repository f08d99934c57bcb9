import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import col, read, sniffers

FMT = "fitbit-google"


def test_user_sleeps() -> None:
    built = b.google_sleeps()
    assert sniffers(built) == {FMT}
    res = read(FMT, built)
    s = res.tables["sleep_sessions"].sort("start")
    assert s["source_id"].to_list() == [str(5000 + i) for i in range(7)]
    assert s["night"].to_list() == b.NIGHTS
    assert s["utc_offset_min"].to_list() == [120] * 6 + [60]
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert s["asleep_min"].to_list() == [450.0] * 5 + [510.0, 450.0]
    assert s["awake_min"].to_list() == [30.0] * 7
    assert s["latency_min"].to_list() == [8.0] * 7
    assert s["deep_min"].to_list() == [None] * 7  # the stages file holds them
    assert s["start"][5] == dt.datetime(2026, 10, 24, 21, 0, tzinfo=dt.UTC)


def test_user_sleeps_bad_start() -> None:
    with pytest.raises(ImportRefused) as err:
        read(FMT, b.google_sleeps(broken=True))
    assert (
        str(err.value)
        == "line 5: column 'sleep_start': not an ISO date/time ('2026-10-22 nonsense')"
    )


def test_user_sleep_stages() -> None:
    built = b.google_stages()
    assert sniffers(built) == {FMT}
    res = read(FMT, built)
    st = res.tables["sleep_stages"].filter(source_id="5000").sort("start")
    assert st["stage"].to_list() == ["awake", "light", "deep", "rem", "awake"]
    assert st["end"][-1] == dt.datetime(2026, 10, 20, 0, 45, tzinfo=dt.UTC)


def test_steps_one_recorder_per_day_local_dates() -> None:
    built = b.google_steps()
    assert sniffers(built) == {FMT}
    res = read(FMT, built)
    # phone 1500+i wins over the watch's 1200; its mirror is not added; 23:30Z is the next Berlin day
    assert col(res, "daily_activity", "date", "date") == [
        *b.NIGHTS,
        b.NIGHTS[-1] + dt.timedelta(days=1),
    ]
    assert col(res, "daily_activity", "steps", "date") == [1500 + i for i in range(7)] + [70]


def test_steps_bad_row_line() -> None:
    with pytest.raises(ImportRefused) as err:
        read(FMT, b.google_steps(broken=True))
    assert str(err.value) == "line 5: column 'timestamp': not a UTC date/time ('yesterday')"
    res = read(FMT, b.google_steps(broken=True), skip=True)
    assert res.warnings == ["skipped line 5: column 'timestamp': not a UTC date/time ('yesterday')"]
    assert col(res, "daily_activity", "steps", "date")[0] == 1500


def test_other_families_with_the_steps_header_are_not_claimed() -> None:
    _, data = b.google_steps()
    assert (
        sniffers(("Health Fitness Data_GoogleData/UserActivityProbabilities_2026-10-01.csv", data))
        == set()
    )
