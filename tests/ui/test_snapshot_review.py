"""Snapshot of the Review screen on the demo history, today pinned to the demo's own (stable).

Update after an intended change of the screen: pytest tests/ui/test_snapshot_review.py --snapshot-update
and look at the SVG in tests/ui/__snapshots__/test_snapshot_review/ before committing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from dashboard.app import TaperdashApp
from tests.ui.demo_home import DEMO_TODAY

TODAY = DEMO_TODAY


async def warm_review(pilot: Pilot) -> None:
    """Load the data and let the Review compute its week once, then leave it: the snapshot is
    taken on coming back, so it never catches the worker half-way."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("6")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()


def test_review_screen(snap_compare: Callable[..., bool], demo_copy: Path) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=TODAY)
    assert snap_compare(app, press=["6"], terminal_size=(100, 32), run_before=warm_review)
