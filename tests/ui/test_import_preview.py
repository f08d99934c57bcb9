"""Pilot test: a spreadsheet dose log is previewed on the Imports screen (first rows in local
time, count, date range) and lands only on Enter; Escape leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from dashboard.app import TaperdashApp
from dashboard.core.store.disk import Store
from dashboard.screens.import_preview import ImportPreview
from tests.ui.settling import settle

SHEET = "date,time,grams,strain\n2026-03-05,8:20 PM,4.8,Red Bali\n2026-03-07,07:05,3.5,Green\n"


def _files(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in home.rglob("*") if p.is_file()}


def _text(screen: ImportPreview) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_preview_then_escape_writes_nothing_and_enter_imports(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sheet = tmp_path / "my log.csv"
    sheet.write_text(SHEET)
    app = TaperdashApp(home=home, pinned_today="2026-11-25")
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        before = _files(home)
        await pilot.press("i")
        app.screen.query_one("#path", Input).value = str(sheet)
        await pilot.press("enter")
        await settle(app, pilot)

        assert isinstance(app.screen, ImportPreview)
        shown = _text(app.screen)
        assert "2 doses 2026-03-05 to 2026-03-07" in shown
        assert "2026-03-05 20:20" in shown and "4.8 g" in shown and "Red Bali" in shown
        assert "2026-03-07 07:05" in shown and "3.5 g" in shown

        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportPreview)
        assert _files(home) == before
        assert "Not imported" in str(app.screen.query_one("#status", Static).render())

        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreview)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportPreview)
        doses = Store(home).read("doses").sort("taken_at")
        assert doses["grams"].to_list() == [4.8, 3.5]
        assert doses["utc_offset_min"].to_list() == [60, 60]
        assert "1 imported" in str(app.screen.query_one("#status", Static).render())
