"""The ? panel closes with esc as well as with ? again."""

from __future__ import annotations

from pathlib import Path

from dashboard.app import TaperdashApp
from tests.ui.settling import settle


async def test_escape_closes_the_help_panel(tmp_path: Path) -> None:
    app = TaperdashApp(home=tmp_path / "home", pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # a screen without a focused text field
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")
