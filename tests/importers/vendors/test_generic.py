import datetime as dt
from collections.abc import Iterator

import pytest

from importers.model import ImportRefused
from importers.vendors import generic
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import read, sniffers

OPTS = {"generic_csv": b.GENERIC_MAPPING}


@pytest.fixture
def configured() -> Iterator[None]:
    generic.configure(b.GENERIC_MAPPING)
    yield
    generic.configure(None)


def test_not_sniffed_without_a_mapping() -> None:
    assert sniffers(b.generic_csv()) == set()


def test_sniffed_only_when_a_mapping_matches(configured: None) -> None:
    assert sniffers(b.generic_csv()) == {"generic"}
    assert sniffers(("other.csv", b"name;age\nbob;3\n")) == set()


def test_mapped_diary_local_time_hours_decimal_comma_latin1() -> None:
    res = read("generic", b.generic_csv(), options=OPTS)
    s = res.tables["sleep_sessions"].sort("start")
    assert s["night"].to_list() == b.NIGHTS
    assert s["time_in_bed_min"].to_list() == [480.0] * 5 + [540.0, 480.0]
    assert s["asleep_min"].to_list() == [420.0] * 5 + [480.0, 420.0]
    assert s["awakenings"].to_list() == [2] * 7
    assert s["efficiency"].to_list() == pytest.approx([420 / 480] * 5 + [480 / 540, 420 / 480])
    assert s["source"].unique().to_list() == ["generic"]
    assert s["start"][5] == dt.datetime(2026, 10, 24, 21, 0, tzinfo=dt.UTC)


def test_bad_row_named() -> None:
    with pytest.raises(ImportRefused) as err:
        read("generic", b.generic_csv(broken=True), options=OPTS)
    assert str(err.value) == "line 8: column 'Lights out': does not match %d/%m/%Y %H:%M ('soon')"


def test_daily_mapping() -> None:
    opts = {"generic_csv": {"steps": {"date": "Day", "steps": "Steps", "active_min": "Active"}}}
    data = b'Day,Steps,Active\n2026-10-19,"12,000",30\n2026-10-20,9000,\n'
    res = read("generic", ("steps.csv", data), options=opts)
    assert res.tables["daily_activity"]["steps"].to_list() == [12000, 9000]
    assert res.tables["daily_activity"]["active_min"].to_list() == [30.0, None]


def test_mapping_naming_an_unknown_column_is_refused() -> None:
    opts = {"generic_csv": {"x": {"start": "A", "end": "B", "bogus": "C"}}}
    with pytest.raises(
        ImportRefused, match=r"^mapping x: bogus is not a column of sleep_sessions$"
    ):
        read("generic", ("x.csv", b"A,B,C\n"), options=opts)
