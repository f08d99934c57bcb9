"""Benchmark (issue 8): start-up of `taperdash --home H` on 5 years of data, in a real terminal.

    .venv/bin/python -m pytest tests/bench/bench_startup.py -s -p no:cacheprovider -o addopts=""

Each launch runs in a new session of a tmux server on its own socket (`tmux -L bench`; the
default server is never touched, and only the sessions made here are killed). The clock starts
just before `tmux new-session` and stops at the first `capture-pane` (polled every POLL_S)
that shows the marker:
- taperdash: "taken" — the Today screen's summary line ("…  ·  taken X g in N doses"), drawn
  only once the bundle is loaded; the time of its first frame (the footer) is printed too;
- baseline: a bare Textual app whose only widget is one line of text.
RUNS launches of each, interleaved; medians. Budget: taperdash <= 2.0x the bare app.

Every start saves Today's glance for today and tomorrow (dashboard/core/views/glance.py), and the
next start shows it in its first frame when the store has not changed since; that is the figure
judged. Printed beside it: the first start of the next day, and a start with no glance at all
(a change the dashboard's commands did not make, e.g. config.toml edited by hand): it waits for
Polars and the store.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.bench.conftest import PYTHON, REPO, Corpus, median, report

BUDGET_RATIO = 2.0
RUNS = int(os.environ.get("TAPERDASH_BENCH_STARTUP_RUNS", "5"))
POLL_S = 0.010
TIMEOUT_S = 60.0
SOCKET = "bench"
SIZE = ("100", "32")
DATA_MARKER = "taken"
FIRST_FRAME_MARKER = "palette"  # the footer's "^p palette"
BARE_MARKER = "bench: one line of text"

BARE_APP = f"""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static({BARE_MARKER!r})


Bare().run()
"""


def tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=check
    )


@pytest.fixture(scope="module")
def tmux_server() -> Iterator[None]:
    # a session that outlives the measured ones, so starting the server is not timed
    keeper = f"bench-keep-{os.getpid()}"
    tmux("new-session", "-d", "-s", keeper, "-x", SIZE[0], "-y", SIZE[1], "sleep 3600")
    try:
        yield
    finally:
        tmux("kill-session", "-t", keeper, check=False)


def launch(
    name: str, command: str, markers: tuple[str, ...], keep_until: Callable[[], bool] | None = None
) -> dict[str, float]:
    """Seconds from launch until each marker first shows in the pane; the session is killed
    then, or once `keep_until()` holds (up to TIMEOUT_S), so the app can finish a write."""
    seen: dict[str, float] = {}
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", SIZE[0], "-y", SIZE[1], command)
    try:
        while len(seen) < len(markers):
            now = time.perf_counter() - t0
            if now > TIMEOUT_S:
                screen = tmux("capture-pane", "-p", "-t", name, check=False).stdout
                raise AssertionError(
                    f"{name}: {set(markers) - set(seen)} not shown after {TIMEOUT_S} s:\n{screen}"
                )
            screen = tmux("capture-pane", "-p", "-t", name, check=False).stdout
            for m in markers:
                if m not in seen and m in screen:
                    seen[m] = time.perf_counter() - t0
            time.sleep(POLL_S)
        while keep_until is not None and not keep_until() and time.perf_counter() - t0 < TIMEOUT_S:
            time.sleep(POLL_S)
    finally:
        tmux("kill-session", "-t", name, check=False)
    return seen


def test_startup_within_2x_of_a_bare_app(
    corpus: Corpus, home_5y: Path, bench_root: Path, tmux_server: None
) -> None:
    bare = bench_root / "bare_app.py"
    bare.write_text(BARE_APP)
    # An installed taperdash has its bytecode compiled (pip does it); an editable checkout run
    # with PYTHONDONTWRITEBYTECODE would compile every module at every launch instead.
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", "dashboard", "importers", "widgets"],
        cwd=REPO,
        check=True,
    )
    env = (
        f"cd {shlex.quote(str(REPO))} && unset PYTHONDONTWRITEBYTECODE && "
        f"TEXTUAL_ANIMATIONS=none TAPERDASH_TODAY={corpus.today} "
    )
    app_cmd = env + f"exec {shlex.quote(PYTHON)} -m dashboard --home {shlex.quote(str(home_5y))}"
    bare_cmd = env + f"exec {shlex.quote(PYTHON)} {shlex.quote(str(bare))}"
    glance = home_5y / "cache" / "glance.json"
    # one unmeasured launch of each: the OS's file cache holds the interpreter and libraries,
    # and the app saves Today's glance as any start does
    launch(f"bench-warm-bare-{os.getpid()}", bare_cmd, (BARE_MARKER,))
    launch(f"bench-warm-app-{os.getpid()}", app_cmd, (DATA_MARKER,), glance.is_file)
    bare_s: list[float] = []
    first_s: list[float] = []
    data_s: list[float] = []
    cold_s: list[float] = []
    for i in range(RUNS):
        b = launch(f"bench-bare-{os.getpid()}-{i}", bare_cmd, (BARE_MARKER,))
        bare_s.append(b[BARE_MARKER])
        assert glance.is_file(), "the last start saved no glance"
        a = launch(f"bench-app-{os.getpid()}-{i}", app_cmd, (FIRST_FRAME_MARKER, DATA_MARKER))
        first_s.append(a[FIRST_FRAME_MARKER])
        data_s.append(a[DATA_MARKER])
        # no glance (config.toml edited by hand, say): the data waits for the store to be read
        glance.unlink()
        c = launch(f"bench-cold-{os.getpid()}-{i}", app_cmd, (DATA_MARKER,), glance.is_file)
        cold_s.append(c[DATA_MARKER])
    # the first start of the next day, nothing written since: the glance saved for tomorrow
    next_day = (dt.date.fromisoformat(corpus.today) + dt.timedelta(days=1)).isoformat()
    next_cmd = app_cmd.replace(f"TAPERDASH_TODAY={corpus.today}", f"TAPERDASH_TODAY={next_day}")
    next_s: list[float] = []
    for i in range(RUNS):
        # a start on today reads the store (the start on the next day below replaced its
        # glances) and saves today's and tomorrow's again
        glance.unlink()
        launch(f"bench-today-{os.getpid()}-{i}", app_cmd, (DATA_MARKER,), glance.is_file)
        n = launch(f"bench-next-{os.getpid()}-{i}", next_cmd, (DATA_MARKER,))
        next_s.append(n[DATA_MARKER])
    ratio = median(data_s) / median(bare_s)
    report(
        f"Start-up in tmux ({SIZE[0]}x{SIZE[1]}, socket -L {SOCKET}), home: 5-year import, "
        f"medians of {RUNS} interleaved launches",
        [
            f"bare Textual app, one line shown:        {median(bare_s):.3f} s  ({_list(bare_s)})",
            f"taperdash, first frame (footer):         {median(first_s):.3f} s  ({_list(first_s)})",
            f"taperdash, data shown ({DATA_MARKER!r} on Today): {median(data_s):.3f} s  ({_list(data_s)})",
            f"  first start of the next day:             {median(next_s):.3f} s  ({_list(next_s)}), "
            f"{median(next_s) / median(bare_s):.2f}x the bare app",
            f"  with no glance saved (first ever start): {median(cold_s):.3f} s  ({_list(cold_s)}), "
            f"{median(cold_s) / median(bare_s):.2f}x the bare app",
            f"ratio data shown / bare app: {ratio:.2f}x (budget <= {BUDGET_RATIO:.1f}x: "
            f"{'met' if ratio <= BUDGET_RATIO else 'MISSED'}); first frame / bare: "
            f"{median(first_s) / median(bare_s):.2f}x",
        ],
    )
    assert ratio <= BUDGET_RATIO, f"start-up {ratio:.2f}x the bare app, budget {BUDGET_RATIO}x"


def _list(xs: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in xs)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-s", "-p", "no:cacheprovider", "-o", "addopts="]))
