from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from dashboard.core.store.disk import Store


def test_a_home_whose_path_looks_like_a_glob_reads_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "notes [2026]" / "home*")
    with store.transaction() as tx:
        tx.put(
            "doses",
            pl.DataFrame(
                {"id": [1], "taken_at": [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)], "grams": [2.0]}
            ),
        )
    assert store.read("doses")["grams"].to_list() == [2.0]


def test_signature_changes_with_each_table_but_can_ignore_some(tmp_path: Path) -> None:
    store = Store(tmp_path / "h")
    base = store.signature(ignore=("reflections",))
    with store.transaction() as tx:
        tx.put("reflections", pl.DataFrame({"week": ["2026-W01"], "triggers": ["x"]}))
    assert store.signature(ignore=("reflections",)) == base
    assert store.signature() != base
    with store.transaction() as tx:
        tx.put(
            "doses",
            pl.DataFrame(
                {"id": [1], "taken_at": [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)], "grams": [2.0]}
            ),
        )
    assert store.signature(ignore=("reflections",)) != base
