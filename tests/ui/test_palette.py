"""The command palette: Textual's system commands plus every screen and the reload."""

from __future__ import annotations

from pathlib import Path

from dashboard.app import TaperdashApp
from tests.ui.settling import settle


async def test_the_palette_goes_to_a_screen(tmp_path: Path) -> None:
    app = TaperdashApp(home=tmp_path / "home", pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to Sleep" in titles and "Reload data" in titles and "Quit" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to sleep")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.TITLE == "Sleep"
