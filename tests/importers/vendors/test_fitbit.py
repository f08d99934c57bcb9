import datetime as dt

import polars as pl
import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import read, sniffers

JSON = "fitbit-sleep-json"
CSV = "fitbit-csv"


def test_json_week_and_nap() -> None:
    res = read(JSON, b.fitbit_json())
    assert res.warnings == []
    s = res.tables["sleep_sessions"].sort("start")
    mains = s.filter(~s["is_nap"])
    assert mains["night"].to_list() == b.NIGHTS
    assert mains["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert mains["asleep_min"].to_list() == [440.0] * 5 + [500.0, 440.0]
    assert mains["awake_min"].to_list() == [40.0] * 7
    assert mains["deep_min"].to_list() == [90.0] * 7
    assert mains["rem_min"].to_list() == [110.0] * 7
    assert mains["light_min"].to_list() == [240.0] * 5 + [300.0, 240.0]
    assert mains["awakenings"].to_list() == [5] * 7
    assert mains["latency_min"].to_list() == [10.0] * 7
    assert mains["efficiency"].to_list() == pytest.approx([440 / 480] * 5 + [500 / 540, 440 / 480])
    assert mains["score"].to_list() == [None] * 7
    dst = mains.filter(night=b.DST_NIGHT).row(0, named=True)
    assert dst["start"] == dt.datetime(2026, 10, 24, 21, 0, tzinfo=dt.UTC)
    assert dst["end"] == dt.datetime(2026, 10, 25, 6, 0, tzinfo=dt.UTC)
    nap = s.filter(s["is_nap"]).row(0, named=True)
    assert (nap["source_id"], nap["asleep_min"], nap["light_min"], nap["night"]) == (
        "39999",
        40.0,
        None,
        dt.date(2026, 10, 21),
    )


def test_json_stages() -> None:
    res = read(JSON, b.fitbit_json())
    stages = res.tables["sleep_stages"]
    assert stages.height == 7 * 3 + 3  # shortData is not added on top of data
    night = stages.filter(source_id="30000").sort("start")
    assert night["stage"].to_list() == ["awake", "light", "deep"]
    assert night["start"][0] == dt.datetime(2026, 10, 19, 21, 0, tzinfo=dt.UTC)
    assert night["end"][2] == dt.datetime(2026, 10, 19, 23, 40, tzinfo=dt.UTC)
    nap = stages.filter(source_id="39999").sort("start")
    assert nap["stage"].to_list() == ["unknown", "awake", "unknown"]


def test_json_bad_record() -> None:
    with pytest.raises(ImportRefused) as err:
        read(JSON, b.fitbit_json(broken=True))
    assert (
        str(err.value)
        == "record 6: column 'startTime': not a date/time ('2026-13-40T99:00:00.000')"
    )
    res = read(JSON, b.fitbit_json(broken=True), skip=True)
    assert res.tables["sleep_sessions"].height == 7
    assert len(res.warnings) == 1


def test_json_not_json() -> None:
    with pytest.raises(ImportRefused, match=r"^line 1: not valid JSON"):
        read(JSON, ("sleep-2026-01-01.json", b'[{"logId": 1,'))


@pytest.mark.parametrize("day_first", [False, True])
def test_dashboard_csv(day_first: bool) -> None:
    res = read(CSV, b.fitbit_csv(day_first=day_first))
    assert res.warnings == []
    s = res.tables["sleep_sessions"].sort("start")
    assert s["night"].to_list() == b.NIGHTS
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert s["asleep_min"].to_list() == [435.0] * 5 + [495.0, 435.0]
    assert s["awake_min"].to_list() == [45.0] * 7
    assert s["rem_min"].to_list() == [None] + [100.0] * 6  # "N/A" stays missing
    assert s["light_min"].to_list() == [245.0] * 5 + [305.0, 245.0]
    assert s["awakenings"].to_list() == [4] * 7
    assert s["start"][5] == dt.datetime(2026, 10, 24, 21, 0, tzinfo=dt.UTC)
    d = res.tables["daily_activity"].sort("date")
    assert d["date"].to_list() == b.NIGHTS
    assert d["steps"].to_list() == [10000 + i for i in range(7)]  # "10,000" thousands separators
    assert d["active_min"].to_list() == [30.0 + i for i in range(7)]


def test_dashboard_csv_bom_and_detection() -> None:
    built = b.fitbit_csv(bom=True)
    assert sniffers(built) == {CSV}
    assert read(CSV, built).tables["sleep_sessions"].height == 7


def test_dashboard_csv_bad_number() -> None:
    with pytest.raises(ImportRefused) as err:
        read(CSV, b.fitbit_csv(broken=True))
    assert str(err.value) == "line 10: column 'Minutes Asleep': not a number ('abc')"
    res = read(CSV, b.fitbit_csv(broken=True), skip=True)
    assert res.tables["sleep_sessions"].height == 6
    assert res.warnings == ["skipped line 10: column 'Minutes Asleep': not a number ('abc')"]


def test_sleep_score_rows_by_log_id() -> None:
    built = b.fitbit_sleep_score()
    assert sniffers(built) == {"fitbit-sleep-score"}
    res = read("fitbit-sleep-score", built)
    s = res.tables["sleep_scores"].sort("night")
    assert s["source_id"].to_list() == [str(30000 + i) for i in range(7)]
    assert s["night"].to_list() == b.NIGHTS  # the local end, minus 12 h
    assert s["score"].to_list() == [70.0 + i for i in range(7)]
    assert s["resting_hr"].to_list() == [55.0 + i for i in range(7)]
    with pytest.raises(ImportRefused) as err:
        read("fitbit-sleep-score", b.fitbit_sleep_score(broken=True))
    assert str(err.value) == "line 6: column 'overall_score': not a number ('high')"


@pytest.mark.parametrize("score_first", [False, True])
def test_sleep_score_joins_its_night_in_either_order(tmp_path, score_first: bool) -> None:  # type: ignore[no-untyped-def]
    from dashboard.core.store import ingest
    from dashboard.core.store.disk import Store
    from tests.importers.vendors.util import ctx

    files = []
    for name, data in (b.fitbit_json(), b.fitbit_sleep_score()):
        (tmp_path / name).write_bytes(data)
        files.append(str(tmp_path / name))
    store = Store(tmp_path / "home")
    order = files[::-1] if score_first else files
    for path in order:  # two separate imports
        assert [o.status for o in ingest.import_paths(store, [path], ctx())] == ["imported"]
    s = store.read("sleep_sessions").filter(~pl.col("is_nap")).sort("night")
    assert s["score"].to_list() == [70.0 + i for i in range(7)]
    nap = store.read("sleep_sessions").filter(pl.col("is_nap"))
    assert nap["score"].to_list() == [None]
