"""Large files go to a format's stream reader instead of being read into memory."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dashboard.core.store import ingest
from dashboard.core.store.disk import Store
from importers.registry import ReadContext

EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" value="HKCategoryValueSleepAnalysisAsleepCore" startDate="2026-04-06 23:10:00 +0200" endDate="2026-04-07 03:10:00 +0200"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" value="HKCategoryValueSleepAnalysisAsleepDeep" startDate="2026-04-07 03:10:00 +0200" endDate="2026-04-07 05:10:00 +0200"/>
</HealthData>
"""


def test_big_file_is_streamed_and_gives_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "export.xml"
    f.write_text(EXPORT)
    ctx = ReadContext(tz=ZoneInfo("Europe/Berlin"))
    in_memory = ingest.import_paths(Store(tmp_path / "a"), [str(f)], ctx)
    calls: list[str] = []
    real = ingest.read_stream_one

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(str(args[1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(ingest, "read_stream_one", spy)
    streamed = ingest.import_paths(Store(tmp_path / "b"), [str(f)], ctx)
    assert calls == [str(f)]
    assert [o.status for o in streamed] == [o.status for o in in_memory] == ["imported"]
    a = Store(tmp_path / "a").read("sleep_sessions")
    b = Store(tmp_path / "b").read("sleep_sessions")
    assert a.height == 1 and a.equals(b)
    assert a["asleep_min"].to_list() == [360.0]
