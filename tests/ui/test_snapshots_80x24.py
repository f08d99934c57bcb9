"""Every screen at 80×24 on the demo history: the top line keeps "9 Plan B", the footer keeps
"? Help  q Quit", labels and tables keep what they say.

Regenerate one with `pytest tests/ui/test_snapshots_80x24.py -k KEY --snapshot-update` after a
deliberate change of that screen, and look at the SVG before committing it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from dashboard.app import TaperdashApp
from dashboard.demo import relocate_ledger
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.settling import settle

SIZE = (80, 24)


@pytest.mark.parametrize("key", list("123456789"))
def test_screen_at_80x24(
    snap_compare: Callable[..., bool], demo_built_home: Path, tmp_path: Path, key: str
) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_built_home, home)
    # the ledger names the demo's files where this checkout is: one place for every checkout
    relocate_ledger(home, Path("/home/you/taperdash/sample_data/demo"))
    app = TaperdashApp(home=home, pinned_today=DEMO_TODAY)

    async def show(pilot: Pilot) -> None:  # type: ignore[type-arg]
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        if key == "6":
            # the Review computes its week in a worker started on the first show: the picture
            # is taken on a second visit, never half-way
            await pilot.press("1")
            await settle(app, pilot)
            await pilot.press("6")
            await settle(app, pilot)
        if key == "8":
            # the About screen names the data folder, which differs per run
            from textual.widgets import Markdown

            from dashboard.screens.about import ABOUT

            await app.screen.query_one("#about", Markdown).update(ABOUT)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=show)
