"""Benchmark (issue 8): peak memory with 5 years of data open.

    .venv/bin/python -m pytest tests/bench/bench_memory.py -s -p no:cacheprovider -o addopts=""

Each measurement runs in its own process, started by a small fresh parent that prints
`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` once it has waited for it (so each figure is
that one process's peak RSS, not the largest of all the children this test has had):
- bundle: `dashboard.core.views.bundle.load_bundle(H)` (and its links read, whether they are computed
  eagerly or on first use);
- app: the app headless (`run_test(size=(100, 32))`), every screen visited (keys 1..8, each
  settled), then Review's "[" a few times.
Each on the 5-year home and, as the baseline, on the demo home. Budget: <= 250 MB (5 years).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.conftest import PYTHON, REPO, Corpus, report

BUDGET_MB = 250.0
SIZE = (100, 32)

PARENT = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
sys.exit(rc)
"""


def _child_bundle(home: str, today: str) -> None:
    from dashboard.core.views.bundle import load_bundle

    bundle = load_bundle(Path(home), today)
    n_links = len(bundle.links)
    rows = {name: frame.height for name, frame in bundle.tables.items()}
    print(json.dumps({"rows": rows, "daily": bundle.daily.height, "links": n_links}))


async def _visit_all(home: str, today: str) -> None:
    from dashboard.app import TaperdashApp

    app = TaperdashApp(home=Path(home), pinned_today=today)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):  # the load starts after the first refresh
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.bundle is not None or app.load_error:
                break
        assert app.bundle is not None, app.load_error
        for key in [
            *"12345678",
            "6",
            "left_square_bracket",
            "left_square_bracket",
            "left_square_bracket",
        ]:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        print(json.dumps({"screens": 8, "links": len(app.bundle.links)}))


def _peak_mb(mode: str, home: Path, today: str) -> tuple[float, str]:
    cmd = [PYTHON, "-m", "tests.bench.bench_memory", "--child", mode, str(home), today]
    proc = subprocess.run(
        [PYTHON, "-c", PARENT, *cmd],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    return float(lines[-1]), lines[-2] if len(lines) > 1 else ""


def test_peak_rss_within_250mb(corpus: Corpus, home_5y: Path, demo_home: tuple[Path, str]) -> None:
    demo, demo_today = demo_home
    figures: dict[tuple[str, str], float] = {}
    notes: dict[tuple[str, str], str] = {}
    for mode in ("bundle", "app"):
        for label, home, today in (("demo", demo, demo_today), ("5 years", home_5y, corpus.today)):
            figures[mode, label], notes[mode, label] = _peak_mb(mode, home, today)
    lines = [f"{'process':44} {'5 years':>9} {'demo':>9} {'ratio':>6}   budget {BUDGET_MB:.0f} MB"]
    missed: list[str] = []
    for mode, what in (
        ("bundle", "load_bundle(H) (+ its links)"),
        ("app", "app headless, every screen visited"),
    ):
        big, small = figures[mode, "5 years"], figures[mode, "demo"]
        ok = big <= BUDGET_MB
        if not ok:
            missed.append(f"{what}: {big:.0f} MB")
        lines.append(
            f"{what:44} {big:6.0f} MB {small:6.0f} MB {big / small:5.2f}x   {'met' if ok else 'MISSED'}"
        )
    lines.append(f"5-year bundle: {notes['bundle', '5 years']}")
    lines.append(f"demo bundle:   {notes['bundle', 'demo']}")
    report("Memory: peak RSS (ru_maxrss of a fresh child process)", lines)
    assert not missed, f"over {BUDGET_MB:.0f} MB: " + "; ".join(missed)


def _child_main(argv: list[str]) -> int:
    mode, home, today = argv
    if mode == "bundle":
        _child_bundle(home, today)
    elif mode == "app":
        asyncio.run(_visit_all(home, today))
    else:
        raise SystemExit(f"unknown child mode {mode!r}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(_child_main(sys.argv[2:]))
    sys.exit(pytest.main([__file__, "-s", "-p", "no:cacheprovider", "-o", "addopts="]))
