"""Snapshots of the Sleep, Activity and Links screens on the demo history (sample_data/demo),
or on the small built home of the pilot tests when the demo is not there.

Regenerate with `pytest tests/ui/test_snapshots_sla.py --snapshot-update` after a deliberate
change to these screens, their widgets or the demo data, and look at the SVGs before committing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from dashboard.app import TaperdashApp
from tests.ui.test_sleep_activity_links import TODAY, build_home

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
SIZE = (100, 32)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if (DEMO / "TODAY").exists():
        from dashboard.demo import build_demo_home

        home = tmp_path_factory.mktemp("demo") / "home"
        failures = build_demo_home(DEMO, home)
        assert not failures, failures
        return home, dt.date.fromisoformat((DEMO / "TODAY").read_text().strip()).isoformat()
    return build_home(tmp_path_factory.mktemp("small") / "home", days=42), TODAY.isoformat()


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
