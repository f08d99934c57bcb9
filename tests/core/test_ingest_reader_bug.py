"""A reader that crashes is one failed file, never a traceback or a stop of the whole import."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dashboard.core.store import ingest
from dashboard.core.store.disk import Store
from importers import registry
from importers.model import ImportResult
from importers.registry import Format, ReadContext


def _crash(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    raise ValueError("boom")


def test_crashing_reader_fails_its_file_and_the_rest_goes_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.load_all()
    monkeypatch.setitem(
        registry._FORMATS,
        "crashy",
        Format("crashy", "test", lambda n, h: n.endswith(".crash"), _crash),
    )
    (tmp_path / "a.crash").write_text("x")
    (tmp_path / "doses.csv").write_text("taken_at,grams\n2026-11-02T08:00+01:00,3\n")
    store = Store(tmp_path / "home")
    out = ingest.import_paths(
        store,
        [str(tmp_path / "a.crash"), str(tmp_path / "doses.csv")],
        ReadContext(tz=ZoneInfo("UTC")),
    )
    assert [o.status for o in out] == ["failed", "imported"]
    assert (
        out[0].message
        == "could not be read as crashy (ValueError: boom); this is a bug in taperdash, please report it"
    )
    assert store.read("doses").height == 1
