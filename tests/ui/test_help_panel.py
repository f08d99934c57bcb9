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
        assert "escape" not in app.screen.active_bindings  # nothing for esc to do
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        # the footer names what esc will do here: not "Leave field" with no field focused
        assert app.screen.active_bindings["escape"].binding.description == "Close help"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")
        assert "escape" not in app.screen.active_bindings


async def test_in_a_field_esc_leaves_the_field_first_then_closes_the_panel(
    tmp_path: Path,
) -> None:
    app = TaperdashApp(home=tmp_path / "home", pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("7", "i")  # Imports, into the path field
        await settle(app, pilot)
        assert app.focused is not None and app.focused.id == "path"
        app.action_show_help_panel()
        await pilot.pause()
        assert app.screen.active_bindings["escape"].binding.description == "Leave field"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None and app.screen.query("HelpPanel")
        assert app.screen.active_bindings["escape"].binding.description == "Close help"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")
