"""Today's grams field and dose delete (issue 20, points 1 and 2): `2,5` once logged 25 g, and
del deleted the first row while the person aimed at another (↓ did not move the cursor)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from textual.widgets import DataTable, Input, Static

from dashboard.app import TaperdashApp
from dashboard.core.store import doses
from dashboard.core.store.disk import Store
from tests.ui.settling import settle

TODAY = "2026-12-05"  # the pinned TAPERDASH_NOW's day (14:00 in Berlin)
NOW = dt.datetime(2026, 12, 5, 13, 0, tzinfo=dt.UTC)


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    store = Store(home)
    store.ensure()
    for hour, grams, strain in ((7, 3.0, "Red Bali"), (10, 2.5, "Green Malay"), (12, 2.0, None)):
        at = dt.datetime(2026, 12, 5, hour, 0, tzinfo=dt.UTC)  # 08:00, 11:00, 13:00 in Berlin
        doses.add(store, doses.DoseInput(grams, at, 60, strain=strain), NOW)
    return home


def _live(home: Path) -> list[int]:
    return sorted(doses.live(Store(home).read("doses"))["id"].to_list())


def _asking(app: TaperdashApp) -> bool:
    # by name: the dialog's module is new, and the tests must run (and fail) without it
    return type(app.screen).__name__ == "Confirm"


def _dialog_text(app: TaperdashApp) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static))


def _cursor_id(app: TaperdashApp) -> int:
    table = app.screen.query_one("#doses-today", DataTable)
    return int(str(table.get_row_at(table.cursor_row)[-1]))


async def test_grams_typed_with_a_decimal_comma_log_as_the_cli_reads_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "2", "comma", "5", "enter")
        await settle(app, pilot)
    assert Store(home).read("doses")["grams"].to_list() == [2.5]  # was 25.0


async def test_delete_asks_first_naming_the_dose_and_cancel_deletes_nothing(
    tmp_path: Path,
) -> None:
    home = _home(tmp_path)
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        aimed = _cursor_id(app)
        row = Store(home).read("doses").filter(pl.col("id") == aimed).row(0, named=True)
        for cancel in ("escape", "n"):
            await pilot.press("delete")
            await pilot.pause()
            assert _asking(app)
            text = _dialog_text(app)
            local = row["taken_at"] + dt.timedelta(minutes=row["utc_offset_min"])
            assert f"Delete dose #{aimed}?" in text
            assert f"{local:%H:%M}" in text and f"{row['grams']:g} g" in text
            assert (row["strain"] or "") in text
            await pilot.press(cancel)
            await settle(app, pilot)
            assert not _asking(app)
            assert _live(home) == [1, 2, 3]


async def test_down_then_delete_deletes_the_row_the_cursor_shows_and_u_undoes(
    tmp_path: Path,
) -> None:
    home = _home(tmp_path)
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        first = _cursor_id(app)
        await pilot.press("down")
        await pilot.pause()
        aimed = _cursor_id(app)
        assert aimed != first  # ↓ moved the cursor without clicking the table first
        await pilot.press("delete")
        await pilot.pause()
        assert f"#{aimed}?" in _dialog_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert _live(home) == sorted({1, 2, 3} - {aimed})
        table = app.screen.query_one("#doses-today", DataTable)
        shown = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert str(aimed) not in shown
        await pilot.press("u")
        await settle(app, pilot)
        assert _live(home) == [1, 2, 3]
        row = Store(home).read("doses").filter(pl.col("id") == aimed).row(0, named=True)
        assert row["deleted"] is False


async def test_enter_confirms_once(tmp_path: Path) -> None:
    home = _home(tmp_path)
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        aimed = _cursor_id(app)
        await pilot.press("delete")
        await settle(app, pilot)
        assert _asking(app) and _live(home) == [1, 2, 3]  # nothing goes before the answer
        await pilot.press("enter")
        await settle(app, pilot)
        assert _live(home) == sorted({1, 2, 3} - {aimed})


async def test_a_dose_far_above_todays_asks_and_a_second_enter_logs_nothing(
    tmp_path: Path,
) -> None:
    home = _home(tmp_path)  # 3, 2.5 and 2 g today
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "2", "5", "enter")  # 2.5 without its point
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Doubt"
        assert "a typo for 2.5 g?" in _dialog_text(app)
        await pilot.press("enter")  # the submit's Enter typed twice: no
        await settle(app, pilot)
        assert Store(home).read("doses").height == 3
        error = str(app.screen.query_one("#dose-error", Static).render())
        assert error.startswith("Not logged: 25 g is 8x the largest powder dose")
        assert app.screen.focused is not None and app.screen.focused.id == "grams"
        await pilot.press("2", "full_stop", "5", "enter")  # the 25 is selected: typed over
        await settle(app, pilot)
        assert Store(home).read("doses")["grams"].to_list() == [3.0, 2.5, 2.0, 2.5]
        # meant: y logs it
        await pilot.press("l", "2", "5", "enter")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
    assert Store(home).read("doses")["grams"].to_list() == [3.0, 2.5, 2.0, 2.5, 25.0]


async def test_a_full_disk_leaves_the_form_as_typed_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _home(tmp_path)
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)

        def disk_full(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(pl.DataFrame, "write_parquet", disk_full)
        await pilot.press("l", "2", "enter")
        await settle(app, pilot)
        assert app.is_running and app.screen.TITLE == "Today"  # once: a traceback and gone
        error = str(app.screen.query_one("#dose-error", Static).render())
        assert error.endswith("could not write (No space left on device); nothing was changed")
        assert app.screen.query_one("#grams", Input).value == "2"  # to try again
        monkeypatch.undo()
    assert Store(home).read("doses").height == 3


async def test_a_burst_with_enter_twice_asks_once(tmp_path: Path) -> None:
    from tests.ui.keys import burst

    home = _home(tmp_path)
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, "l", "2", "5", "enter", "enter")  # all in one read, as a fast typist's
        await settle(app, pilot)
        # the second Enter reached the grams field before the dialog had the keys: it asked
        # twice, and y, y logged 25 g twice
        assert [type(s).__name__ for s in app.screen_stack] == ["TodayScreen", "Doubt"]
        assert Store(home).read("doses").height == 3
        await pilot.press("y")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    assert Store(home).read("doses")["grams"].to_list() == [3.0, 2.5, 2.0, 25.0]
