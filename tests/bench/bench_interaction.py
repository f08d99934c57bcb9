"""Benchmark (issue 8): keypress to a settled screen, with 5 years of data open.

    .venv/bin/python -m pytest tests/bench/bench_interaction.py -s -p no:cacheprovider -o addopts=""

With the pilot (`TaperdashApp(home, pinned_today=...)`, `run_test(size=(100, 32))`), each press
is timed with perf_counter from before `pilot.press(key)` to after
`app.workers.wait_for_complete()` and `pilot.pause()` (the press, the work it started, and the
refresh that follows). Measured:
- switching screens: keys 1..8 in turn, CYCLES times round (the first round mounts each screen;
  its times are printed apart as "first visit");
- moving a week back in the Review screen: "6", then "[" WEEK_STEPS times.
The same presses on a near-empty home (the corpus's config and one dose) are the baseline.
A floor is printed beside them: a bare Textual app with 8 modes whose screens hold a Header, one
line and a Footer, switched with the same keys and timed the same way (what a mode switch and
the pilot's own idle waits cost before taperdash draws anything).
Budget: the median of every key <= 50 ms on the 5-year home.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.bench.conftest import Corpus, median, report

BUDGET_S = 0.050
CYCLES = int(os.environ.get("TAPERDASH_BENCH_CYCLES", "5"))
WEEK_STEPS = int(os.environ.get("TAPERDASH_BENCH_WEEK_STEPS", "12"))
SIZE = (100, 32)
KEYS = [str(i) for i in range(1, 9)]


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _timed_press(app, pilot, key: str) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return time.perf_counter() - t0


async def measure(home: Path, today: str) -> dict[str, list[float]]:
    """{label: seconds of each press}; labels: "first 1".."first 8", "1".."8", "["."""
    from dashboard.app import TaperdashApp

    out: dict[str, list[float]] = {}
    app = TaperdashApp(home=home, pinned_today=today)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _settle(app, pilot)
        assert app.bundle is not None, app.load_error
        for cycle in range(CYCLES):
            for key in KEYS:
                label = f"first {key}" if cycle == 0 else key
                out.setdefault(label, []).append(await _timed_press(app, pilot, key))
        await _timed_press(app, pilot, "6")
        await _settle(app, pilot)
        for _ in range(WEEK_STEPS):
            out.setdefault("[", []).append(await _timed_press(app, pilot, "left_square_bracket"))
    return out


def _bare_app() -> object:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    def screen(i: int) -> type[Screen[None]]:
        class Bare(Screen[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static(f"screen {i}")
                yield Footer()

        return Bare

    class BareModes(App[None]):
        MODES = {f"m{i}": screen(i) for i in range(1, 9)}
        BINDINGS = [Binding(str(i), f"switch_mode('m{i}')", f"Screen {i}") for i in range(1, 9)]

        def on_mount(self) -> None:
            self.switch_mode("m1")

    return BareModes()


async def measure_bare() -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    app = _bare_app()
    async with app.run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        await _settle(app, pilot)
        for cycle in range(CYCLES):
            for key in KEYS:
                label = f"first {key}" if cycle == 0 else key
                out.setdefault(label, []).append(await _timed_press(app, pilot, key))
    return out


def _mode_titles() -> dict[str, str]:
    from dashboard.screens import SCREENS

    return {str(i + 1): title for i, (_, title, _) in enumerate(SCREENS)}


async def test_keypress_to_settled_screen_within_50ms(
    corpus: Corpus, home_5y: Path, empty_home: Path
) -> None:
    bare = await measure_bare()
    base = await measure(empty_home, corpus.today)
    big = await measure(home_5y, corpus.today)
    titles = _mode_titles()
    lines = [
        f"{'press':28} {'5-year home':>12} {'near-empty':>12} {'ratio':>7} {'bare app':>10}   budget {BUDGET_S * 1000:.0f} ms",
    ]
    missed: list[str] = []
    labels = [*KEYS, "["] + [f"first {k}" for k in KEYS]
    for label in labels:
        if label not in big:
            continue
        b, e = median(big[label]), median(base[label])
        key = label.removeprefix("first ")
        name = "Review: [ (a week back)" if label == "[" else f"{key} {titles.get(key, '')}"
        if label.startswith("first"):
            name = f"{name} (first visit)"
        budgeted = not label.startswith("first")
        verdict = ("ok" if b <= BUDGET_S else "MISSED") if budgeted else "(not budgeted)"
        if budgeted and b > BUDGET_S:
            missed.append(f"{name}: {b * 1000:.1f} ms")
        floor = f"{median(bare[label]) * 1000:7.1f} ms" if label in bare else f"{'-':>10}"
        lines.append(
            f"{name:28} {b * 1000:9.1f} ms {e * 1000:9.1f} ms {b / e:6.2f}x {floor}   {verdict}"
        )
    all_big = [x for k, v in big.items() if not k.startswith("first") for x in v]
    lines.append(
        f"median over all budgeted presses: {median(all_big) * 1000:.1f} ms; slowest budgeted median: "
        f"{max(median(v) for k, v in big.items() if not k.startswith('first')) * 1000:.1f} ms; "
        f"{CYCLES - 1} revisits per screen, {WEEK_STEPS} week steps"
    )
    report(f"Interaction: pilot, {SIZE[0]}x{SIZE[1]}, keypress -> settled (medians)", lines)
    assert not missed, f"over {BUDGET_S * 1000:.0f} ms: " + "; ".join(missed)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-s", "-p", "no:cacheprovider", "-o", "addopts="]))
