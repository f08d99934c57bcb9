"""What a writer killed mid-commit leaves in data/ (temp files) is removed by the next commit,
and never mistaken for a table before that."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard.core.store import doses
from dashboard.core.store.disk import Store

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def _log(store: Store, note: str) -> int:
    return doses.add(
        store, doses.DoseInput(grams=2.0, taken_at=NOW, utc_offset_min=60, note=note), NOW
    )


def test_temp_files_of_killed_writers_are_ignored_then_removed(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    _log(store, "first")
    data = tmp_path / "home" / "data"
    stale = [data / ".doses.00000002.parquet.tmp", data / ".manifest.json.4242.tmp"]
    stale[0].write_bytes(b"PAR1 half a table")
    stale[1].write_bytes(b'{"schema_version": 1, "generation": 99, "tables": {"doses": "nope"}}')
    assert store.read("doses")["note"].to_list() == ["first"]  # the temp files are not read
    _log(store, "second")
    assert not any(p.exists() for p in stale)
    assert store.read("doses")["note"].to_list() == ["first", "second"]
    assert sorted(p.name for p in data.iterdir()) == ["doses.00000002.parquet", "manifest.json"]
