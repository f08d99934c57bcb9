import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import col, read, sniffers


@pytest.mark.parametrize(("sep", "bom"), [(",", False), (",", True), (";", False)])
def test_sleeps_follow_cycle_timezone(sep: str, bom: bool) -> None:
    built = b.whoop_sleeps(sep=sep, bom=bom)
    assert sniffers(built) == {"whoop-sleeps"}
    res = read("whoop-sleeps", built)
    assert res.warnings == []
    s = res.tables["sleep_sessions"].sort("start")
    mains = s.filter(~s["is_nap"])
    # 23:00-07:00 wall clock in each row's own offset: +02:00 in Berlin, then -04:00 in New York
    assert mains["utc_offset_min"].to_list() == [120] * 4 + [-240] * 3
    assert mains["start"][0] == dt.datetime(2026, 10, 19, 21, 0, tzinfo=dt.UTC)
    assert mains["start"][4] == dt.datetime(2026, 10, 24, 3, 0, tzinfo=dt.UTC)
    assert mains["night"].to_list() == b.NIGHTS
    assert mains["time_in_bed_min"].to_list() == [480.0] * 7
    assert mains["asleep_min"].to_list() == [430.0] * 7
    assert mains["light_min"].to_list() == [230.0] * 7
    assert mains["deep_min"].to_list() == [100.0] * 7
    assert mains["rem_min"].to_list() == [100.0] * 7
    assert mains["awake_min"].to_list() == [50.0] * 7
    assert mains["score"].to_list() == [88.0] * 7
    assert mains["efficiency"].to_list() == pytest.approx([430 / 480] * 7)
    nap = s.filter(s["is_nap"]).row(0, named=True)
    assert (nap["time_in_bed_min"], nap["asleep_min"], nap["score"]) == (30.0, 25.0, None)


def test_sleeps_bad_onset() -> None:
    with pytest.raises(ImportRefused) as err:
        read("whoop-sleeps", b.whoop_sleeps(broken=True))
    assert str(err.value) == "line 4: column 'Sleep onset': not a date/time ('yesterday')"
    res = read("whoop-sleeps", b.whoop_sleeps(broken=True), skip=True)
    assert res.tables["sleep_sessions"].height == 7


def test_workouts() -> None:
    built = b.whoop_workouts()
    assert sniffers(built) == {"whoop-workouts"}
    res = read("whoop-workouts", built)
    a = res.tables["activities"].sort("start")
    assert a["duration_min"].to_list() == [45.0] * 7
    assert a["sport"].to_list() == ["running", "strength"] * 3 + ["running"]
    assert a["distance_m"].to_list() == [7000.0, None] * 3 + [7000.0]
    assert a["calories"].to_list() == [400.0 + i for i in range(7)]
    assert a["start"][0] == dt.datetime(2026, 10, 19, 16, 0, tzinfo=dt.UTC)


def test_cycles_resting_hr_on_the_morning() -> None:
    built = b.whoop_cycles()
    assert sniffers(built) == {"whoop-cycles"}
    res = read("whoop-cycles", built)
    # the current cycle (no end, no wake) has no morning yet
    assert col(res, "daily_activity", "date", "date") == [
        n + dt.timedelta(days=1) for n in b.NIGHTS[:6]
    ]
    assert col(res, "daily_activity", "resting_hr", "date") == [50.0 + i for i in range(6)]
