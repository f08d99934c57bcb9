import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import col, read, sniffers


@pytest.mark.parametrize(("sep", "bom"), [(",", False), (";", False), (",", True)])
def test_trends_csv(sep: str, bom: bool) -> None:
    built = b.oura_csv(sep=sep, bom=bom)
    assert sniffers(built) == {"oura-csv"}
    res = read("oura-csv", built)
    assert res.warnings == []
    s = res.tables["sleep_sessions"].sort("start")
    assert s["night"].to_list() == b.NIGHTS
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [
        540.0,
        480.0,
    ]  # "Total Bedtime " (trailing space)
    assert s["asleep_min"].to_list() == [440.0] * 5 + [500.0, 440.0]
    assert s["awake_min"].to_list() == [40.0] * 7
    assert s["rem_min"].to_list() == [100.0] * 7
    assert s["deep_min"].to_list() == [80.0] * 7
    assert s["light_min"].to_list() == [260.0] * 5 + [320.0, 260.0]
    assert s["latency_min"].to_list() == [12.0] * 7
    assert s["score"].to_list() == [80.0 + i for i in range(7)]
    assert s["utc_offset_min"].to_list() == [120] * 6 + [60]
    assert s["is_nap"].to_list() == [False] * 7
    d = res.tables["daily_activity"].sort("date")
    # the activity-only row (no bedtime) still gives its day's steps
    assert d["date"].to_list() == [n + dt.timedelta(days=1) for n in b.NIGHTS]
    assert d["steps"].to_list() == [9000] * 6 + [12000]
    assert d["resting_hr"].to_list() == [50.0] * 6 + [50.0]


def test_trends_bad_bedtime() -> None:
    with pytest.raises(ImportRefused) as err:
        read("oura-csv", b.oura_csv(broken=True))
    assert (
        str(err.value)
        == "line 6: column 'Bedtime Start': not an ISO date/time ('2026-10-2XT23:00')"
    )
    res = read("oura-csv", b.oura_csv(broken=True), skip=True)
    assert res.tables["sleep_sessions"].height == 6
    assert len(res.warnings) == 1 and res.warnings[0].startswith("skipped line 6:")


def test_app_export() -> None:
    built = b.oura_app()
    assert sniffers(built) == {"oura-app"}
    res = read("oura-app", built)
    s = res.tables["sleep_sessions"].sort("start")
    mains = s.filter(~s["is_nap"])
    assert mains["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert mains["asleep_min"].to_list() == [475.0] * 5 + [535.0, 475.0]
    assert mains["deep_min"].to_list() == [60.0] * 7
    assert mains["rem_min"].to_list() == [30.0] * 7
    assert mains["latency_min"].to_list() == [5.0] * 7
    nap = s.filter(s["is_nap"]).row(0, named=True)
    assert (nap["source_id"], nap["time_in_bed_min"], nap["asleep_min"]) == ("id-nap", 60.0, 50.0)
    stages = res.tables["sleep_stages"].filter(source_id="id-0").sort("start")
    assert stages["stage"].to_list() == ["awake", "light", "deep", "rem", "light"]
    minutes = [
        (e - s).total_seconds() / 60 for s, e in zip(stages["start"], stages["end"], strict=True)
    ]
    assert minutes == [5, 30, 60, 30, 355]
    assert stages["end"][-1] == dt.datetime(2026, 10, 20, 5, 0, tzinfo=dt.UTC)


def test_app_export_out_of_range() -> None:
    with pytest.raises(ImportRefused) as err:
        read("oura-app", b.oura_app(broken=True))
    assert str(err.value) == "line 3: column 'latency': -5 is out of range (0..86400)"


def test_json_v1() -> None:
    built = b.oura_json()
    assert sniffers(built) == {"oura-json"}
    res = read("oura-json", built)
    s = res.tables["sleep_sessions"].sort("start")
    assert s["asleep_min"].to_list() == [470.0] * 5 + [530.0, 470.0]
    assert s["deep_min"].to_list() == [20.0] * 7
    assert s["score"].to_list() == [70.0 + i for i in range(7)]
    assert col(res, "daily_activity", "steps", "date") == [7000 + i for i in range(7)]
    st = res.tables["sleep_stages"].filter(source_id=s["source_id"][0]).sort("start")
    assert st["stage"].to_list() == ["awake", "light", "deep", "rem", "light"]


@pytest.mark.parametrize("unit", ["minutes", "seconds"])
def test_trends_active_minutes(unit: str) -> None:
    res = read("oura-csv", b.oura_csv(activity=unit))
    d = res.tables["daily_activity"].sort("date")
    # medium + high, in the file's one unit: the quiet first day (10 min, 600 s in a seconds
    # file) is not read as 600 minutes; the activity-only row (50 min) shares its date with
    # the last night's row (35 min): the larger stays
    assert d["active_min"].to_list() == [10.0] + [30.0 + i for i in range(1, 6)] + [50.0]
    no_cols = read("oura-csv", b.oura_csv()).tables["daily_activity"]
    assert no_cols["active_min"].to_list() == [None] * no_cols.height
