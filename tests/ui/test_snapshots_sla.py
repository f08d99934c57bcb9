"""Snapshots of the Sleep, Activity and Links screens on the demo history (sample_data/demo),
or on the small built home of the pilot tests when the demo is not there.

Regenerate with `pytest tests/ui/test_snapshots_sla.py --snapshot-update` after a deliberate
change to these screens, their widgets or the demo data, and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from dashboard.app import TaperdashApp
from tests.ui.demo_home import DEMO_TODAY

SIZE = (100, 32)


@pytest.fixture
def demo_home(demo_copy: Path) -> tuple[Path, str]:
    return demo_copy, DEMO_TODAY


async def _loaded(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _app(demo_home: tuple[Path, str]) -> TaperdashApp:
    home, today = demo_home
    return TaperdashApp(home=home, pinned_today=today)


Compare = Callable[..., bool]


def test_sleep_screen(snap_compare: Compare, demo_home: tuple[Path, str]) -> None:
    assert snap_compare(_app(demo_home), press=["3"], terminal_size=SIZE, run_before=_loaded)


def test_sleep_screen_night_with_stages(snap_compare: Compare, demo_home: tuple[Path, str]) -> None:
    # the longest spans, then the first night: the demo's first weeks come from a watch
    # that records stages, its last weeks from a ring that gives totals only
    press = ["3", "w", "w", "w", "home"]
    assert snap_compare(_app(demo_home), press=press, terminal_size=SIZE, run_before=_loaded)


def test_activity_screen(snap_compare: Compare, demo_home: tuple[Path, str]) -> None:
    assert snap_compare(_app(demo_home), press=["4"], terminal_size=SIZE, run_before=_loaded)


def test_links_screen(snap_compare: Compare, demo_home: tuple[Path, str]) -> None:
    assert snap_compare(_app(demo_home), press=["5"], terminal_size=SIZE, run_before=_loaded)


def test_links_screen_dose_scatter(snap_compare: Compare, demo_home: tuple[Path, str]) -> None:
    # exercise and taper step have five effects each: the eleventh card is the dose's first
    press = ["5", *["j"] * 10]
    assert snap_compare(_app(demo_home), press=press, terminal_size=SIZE, run_before=_loaded)


def test_links_screen_narrow(snap_compare: Compare, demo_home: tuple[Path, str]) -> None:
    assert snap_compare(_app(demo_home), press=["5"], terminal_size=(80, 24), run_before=_loaded)
