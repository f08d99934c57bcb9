"""The demo's own housekeeping: its ledger is dated on the story's today, and homes left by
demos that ended without cleaning up (a closed terminal) are swept by the next demo."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from dashboard import demo
from dashboard.core.store.disk import Store


def test_the_demo_ledger_is_dated_on_the_storys_today(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert demo.build_demo_home(demo.DEMO_SRC, home) == []
    today = dt.date.fromisoformat((demo.DEMO_SRC / "TODAY").read_text().strip())
    stamps = Store(home).read("imports")["imported_at"]
    assert stamps.dt.date().unique().to_list() == [today]


def test_a_demo_home_whose_process_is_gone_is_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    gone = tmp_path / f"taperdash-demo-{done.stdout.strip()}-abc"
    alive = tmp_path / f"taperdash-demo-{os.getppid()}-def"
    other = tmp_path / "taperdash-demo-exports"
    for folder in (gone, alive, other):
        (folder / "home").mkdir(parents=True)
    demo._sweep_stale_demos()
    assert not gone.exists() and alive.exists() and other.exists()
