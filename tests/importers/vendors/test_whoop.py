import datetime as dt

import polars as pl
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


def test_cycles_carry_each_cycle_sleep() -> None:
    built = b.whoop_cycles_with_sleep()
    assert sniffers(built) == {"whoop-cycles"}
    res = read("whoop-cycles", built)
    s = res.tables["sleep_sessions"].sort("start")
    # six finished cycles; the current one has no sleep yet
    assert s["night"].to_list() == b.NIGHTS[:6]
    assert s["asleep_min"].to_list() == [430.0] * 6
    assert s["time_in_bed_min"].to_list() == [480.0] * 6
    assert (s["light_min"][0], s["deep_min"][0], s["rem_min"][0]) == (230.0, 100.0, 100.0)
    assert s["score"].to_list() == [85.0] * 6
    assert not s["is_nap"].any()
    # same ids as sleeps.csv for the same onsets: the two files describe one night
    sleeps = read("whoop-sleeps", b.whoop_sleeps()).tables["sleep_sessions"]
    assert set(s["source_id"][:4]) <= set(sleeps["source_id"])


def test_sleeps_and_cycles_together_give_one_night_each(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dashboard.core.store import ingest
    from dashboard.core.store.disk import Store
    from tests.importers.vendors.util import ctx

    for name, data in (b.whoop_sleeps(), b.whoop_cycles_with_sleep()):
        (tmp_path / name).write_bytes(data)
    store = Store(tmp_path / "home")
    out = ingest.import_paths(
        store, [str(tmp_path / "sleeps.csv"), str(tmp_path / "physiological_cycles.csv")], ctx()
    )
    assert [o.status for o in out] == ["imported", "imported"]
    # nights 1-4 are the same cycles in both files (the later ones differ in the builders: the
    # sleeps.csv traveller is in New York by then)
    s = store.read("sleep_sessions").filter(~pl.col("is_nap") & pl.col("night").is_in(b.NIGHTS[:4]))
    assert s.sort("night")["night"].to_list() == b.NIGHTS[:4]


def _with_cells(built: tuple[str, bytes], changes: dict[int, dict[str, str]]) -> tuple[str, bytes]:
    """The file with some cells replaced: {data row index: {column: value}}."""
    name, data = built
    lines = data.decode().splitlines()
    header = lines[0].split(",")
    for i, cells in changes.items():
        values = lines[i + 1].split(",")
        for column, value in cells.items():
            values[header.index(column)] = value
        lines[i + 1] = ",".join(values)
    return name, ("\n".join(lines) + "\n").encode()


def test_a_skipped_cycle_row_keeps_neither_its_sleep_nor_its_resting_hr() -> None:
    built = _with_cells(
        b.whoop_cycles_with_sleep(),
        {0: {"Resting heart rate (bpm)": "999"}, 1: {"Asleep duration (min)": "-5"}},
    )
    with pytest.raises(ImportRefused, match=r"^line 2: column 'Resting heart rate"):
        read("whoop-cycles", built)
    res = read("whoop-cycles", built, skip=True)
    assert [w.split(":")[0] for w in res.warnings] == ["skipped line 2", "skipped line 3"]
    # the rows reported as skipped left nothing behind: not the sleep, not the resting HR
    assert res.tables["sleep_sessions"].sort("start")["night"].to_list() == b.NIGHTS[2:6]
    assert col(res, "daily_activity", "date", "date") == [
        n + dt.timedelta(days=1) for n in b.NIGHTS[2:6]
    ]
