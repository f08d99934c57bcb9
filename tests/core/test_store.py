from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.core.errors import StoreError
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import DOSES, SCHEMA_VERSION, TABLES

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def _doses(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "taken_at": [T0 + dt.timedelta(hours=i) for i in range(n)],
            "utc_offset_min": [60] * n,
            "grams": [3.0] * n,
            "deleted": [False] * n,
        }
    )


@pytest.mark.parametrize("table", list(TABLES))
def test_missing_table_reads_empty_with_schema(tmp_path: Path, table: str) -> None:
    frame = Store(tmp_path / "h").read(table)
    assert frame.height == 0
    assert frame.schema == TABLES[table]


def test_transaction_commits_all_tables_together(tmp_path: Path) -> None:
    store = Store(tmp_path / "h")
    with store.transaction() as tx:
        tx.put("doses", _doses(3))
        tx.put("checkins", pl.DataFrame({"date": [dt.date(2026, 11, 1)], "mood": [5]}))
    assert store.read("doses").height == 3
    assert store.read("checkins")["mood"].to_list() == [5]
    assert store.read("doses").schema == DOSES


def test_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "h")
    with store.transaction() as tx:
        tx.put("doses", _doses(2))
    before = store.read("doses")
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put("doses", _doses(5))
        tx.put("checkins", pl.DataFrame({"date": [dt.date(2026, 11, 1)]}))
        raise RuntimeError("crash before commit")
    assert_frame_equal(store.read("doses"), before)
    assert store.read("checkins").height == 0


def test_old_files_are_collected(tmp_path: Path) -> None:
    store = Store(tmp_path / "h")
    for n in range(1, 4):
        with store.transaction() as tx:
            tx.put("doses", _doses(n))
    files = sorted(p.name for p in (tmp_path / "h" / "data").glob("*.parquet"))
    assert files == ["doses.00000003.parquet"]


def test_private_permissions_under_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = Store(tmp_path / "h")
        with store.transaction() as tx:
            tx.put("doses", _doses(1))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "h").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "h" / "data").stat().st_mode) == 0o700
    for path in (tmp_path / "h" / "data").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_newer_version_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    store = Store(tmp_path / "h")
    with store.transaction() as tx:
        tx.put("doses", _doses(1))
    man_path = tmp_path / "h" / "data" / "manifest.json"
    man = json.loads(man_path.read_text())
    man["schema_version"] = SCHEMA_VERSION + 1
    man_path.write_text(json.dumps(man))
    with pytest.raises(StoreError, match="newer taperdash"):
        store.read("doses")


def test_missing_column_from_older_version_is_added_as_null(tmp_path: Path) -> None:
    store = Store(tmp_path / "h")
    with store.transaction() as tx:
        tx.put("doses", _doses(2))
    data = tmp_path / "h" / "data"
    name = json.loads((data / "manifest.json").read_text())["tables"]["doses"]
    pl.read_parquet(data / name).drop("note", "potency").write_parquet(data / name)
    frame = store.read("doses")
    assert frame.schema == DOSES
    assert frame["note"].null_count() == 2


def test_corrupt_manifest_is_a_store_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "h").ensure()
    (tmp_path / "h" / "data" / "manifest.json").write_text("{not json")
    with pytest.raises(StoreError, match="manifest"):
        store.read("doses")


def _disk_full(*_args: object, **_kwargs: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("fails", ["table", "manifest"])
def test_a_full_disk_is_a_store_error_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    from dashboard.core.store import disk

    store = Store(tmp_path / "h")
    with store.transaction() as tx:
        tx.put("doses", _doses(2))
    before = store.read("doses")
    with monkeypatch.context() as m:
        if fails == "table":
            m.setattr(pl.DataFrame, "write_parquet", _disk_full)
        else:
            m.setattr(disk, "write_private", _disk_full)
        with (
            pytest.raises(
                StoreError, match=r"could not write \(No space left on device\); nothing"
            ),
            store.transaction() as tx,
        ):
            tx.put("doses", _doses(5))
    assert_frame_equal(store.read("doses"), before)
    with store.transaction() as tx:  # space again: the next commit lands and sweeps the debris
        tx.put("doses", _doses(3))
    assert store.read("doses").height == 3
    left = sorted(p.name for p in (tmp_path / "h" / "data").iterdir())
    assert len(left) == 2 and "manifest.json" in left, left
