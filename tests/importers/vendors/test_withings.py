import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import col, read, sniffers


@pytest.mark.parametrize(
    ("lang", "sep", "encoding"),
    [("en", ",", "utf-8"), ("de", ",", "latin-1"), ("es", ";", "utf-8"), ("de", ";", "cp1252")],
)
def test_sleep_localised_headers(lang: str, sep: str, encoding: str) -> None:
    built = b.withings_sleep(lang=lang, sep=sep, encoding=encoding)
    assert sniffers(built) == {"withings-sleep"}
    res = read("withings-sleep", built)
    assert res.warnings == []
    s = res.tables["sleep_sessions"].sort("start")
    assert s["night"].to_list() == b.NIGHTS
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert s["asleep_min"].to_list() == [440.0] * 7
    assert s["awake_min"].to_list() == [40.0] * 5 + [100.0, 40.0]
    assert s["light_min"].to_list() == [250.0] * 7
    assert s["deep_min"].to_list() == [90.0] * 7
    assert s["rem_min"].to_list() == [100.0] * 7
    assert s["latency_min"].to_list() == [15.0] * 7
    assert s["awakenings"].to_list() == [3] * 7
    assert s["utc_offset_min"].to_list() == [120] * 6 + [60]


def test_sleep_out_of_range_names_the_localised_column() -> None:
    with pytest.raises(ImportRefused) as err:
        read("withings-sleep", b.withings_sleep(lang="de", broken=True))
    assert str(err.value) == "line 7: column 'tief (s)': 9999999 is out of range (0..86400)"
    res = read("withings-sleep", b.withings_sleep(lang="de", broken=True), skip=True)
    assert res.tables["sleep_sessions"].height == 6
    assert res.warnings == ["skipped line 7: column 'tief (s)': 9999999 is out of range (0..86400)"]


def test_steps_only_by_name() -> None:
    built = b.withings_steps()
    assert sniffers(built) == {"withings-steps"}
    assert sniffers(("export.csv", built[1])) == set()
    res = read("withings-steps", built)
    assert col(res, "daily_activity", "steps", "date") == [8000 + i for i in range(7)]
    assert col(res, "daily_activity", "date", "date") == b.NIGHTS


@pytest.mark.parametrize("lang", ["plain", "en", "de"])
def test_activities(lang: str) -> None:
    # "de": the real German export, refused with "header: no from column" before
    built = b.withings_activities(lang)
    assert sniffers(built) == {"withings-activities"}
    res = read("withings-activities", built)
    a = res.tables["activities"].sort("start")
    assert a["duration_min"].to_list() == [30.0 + i for i in range(7)]
    assert a["distance_m"].to_list() == [4000.0 + i for i in range(7)]
    assert a["calories"].to_list() == [200.0 + i for i in range(7)]
    assert a["sport"].to_list() == ["running", "walking"] * 3 + ["running"]
    assert a["start"][0] == dt.datetime(2026, 10, 19, 15, 0, tzinfo=dt.UTC)


def test_activities_with_no_time_at_all_names_the_column() -> None:
    name, data = b.withings_activities("de")
    lines = data.decode().splitlines()
    cells = lines[1].split(",")
    cells[0] = cells[1] = ""
    bad = "\n".join([lines[0], ",".join(cells)]) + "\n"
    with pytest.raises(ImportRefused, match="column 'von': empty"):
        read("withings-activities", (name, bad.encode()))
