"""The ledger cuts long messages at the screen's width: Enter on a row shows it whole."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from dashboard.app import TaperdashApp
from dashboard.cli import main
from dashboard.screens.imports import LedgerDetail
from tests.ui.settling import settle


async def test_enter_on_a_ledger_row_shows_the_whole_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = tmp_path / ("a-long-folder-name-" * 3) / "broken.fit"
    bad.parent.mkdir()
    bad.write_bytes(b"\x0e\x10" + b"\x00" * 40)
    assert main(["--home", str(home), "import", str(bad)]) == 1
    app = TaperdashApp(home=home, pinned_today="2026-11-25")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        ledger = app.screen.query_one("#ledger", DataTable)
        assert app.focused is ledger
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LedgerDetail)
        shown = str(app.screen.query_one("#detail", Static).render())
        from dashboard.core.store.disk import Store

        row = Store(home).read("imports").row(0, named=True)
        assert row["status"] == "failed" and len(row["message"]) > 10
        assert row["message"] in shown
        assert str(bad) in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.TITLE == "Imports"


async def test_failed_rows_take_the_themes_error_colour(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"\x0e\x10" + b"\x00" * 40)
    assert main(["--home", str(home), "import", str(bad)]) == 1
    app = TaperdashApp(home=home, pinned_today="2026-11-25")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        status = app.screen.query_one("#ledger", DataTable).get_row_at(0)[1]
        assert str(status.style) == app.get_css_variables()["text-error"] != "red"


async def test_the_ledger_is_newest_first_and_f_shows_the_failed_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = tmp_path / "doses.csv"
    good.write_text("taken_at,grams\n2026-11-24T08:00:00+01:00,2\n")
    # one import, one time: the last file read comes first
    assert main(["--home", str(home), "import", str(good), str(good.with_name("x.csv"))]) == 1
    app = TaperdashApp(home=home, pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        ledger = app.screen.query_one("#ledger", DataTable)
        assert [str(ledger.get_row_at(i)[1]) for i in range(ledger.row_count)] == [
            "failed",
            "imported",
        ]
        await pilot.press("f")
        await settle(app, pilot)
        assert ledger.row_count == 1
        assert "failed only (f shows all)" in str(app.screen.query_one("#status", Static).render())
