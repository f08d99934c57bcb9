"""Keys do what the footer says, from wherever the footer says it: a burst typed after a key
that opens a field goes into that field; ctrl+s saves the form the cursor is in; after a save
the screen's keys (and q) work without an esc first; a field's text keys are not offered as
commands while it has the cursor."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from dashboard.app import TaperdashApp
from dashboard.core.store.disk import Store
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.keys import burst
from tests.ui.settling import settle


def _footer_actions(app: TaperdashApp) -> set[str]:
    return {
        active.binding.action
        for active in app.screen.active_bindings.values()
        if active.binding.show
    }


async def test_a_burst_after_l_logs_the_dose_and_stays_on_today(demo_copy: Path) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        before = Store(demo_copy).read("doses").height
        burst(app, "l", "1", ".", "5", "enter")
        await settle(app, pilot)
        assert app.screen.TITLE == "Today"
        doses = Store(demo_copy).read("doses").sort("id")
        assert doses.height == before + 1
        assert doses.row(-1, named=True)["grams"] == 1.5
        # logged: out of the field, so q (shown again in the footer) quits at once
        assert app.focused is None
        assert "quit_key" in _footer_actions(app)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


async def test_a_burst_before_the_forms_are_mounted_waits_for_the_field(tmp_path: Path) -> None:
    app = TaperdashApp(home=tmp_path / "home", pinned_today="2026-11-25")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert not screen._forms_ready  # type: ignore[attr-defined]
        burst(app, "l", "2", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        doses = Store(tmp_path / "home").read("doses")
        assert doses["grams"].to_list() == [2.0]


async def test_ctrl_s_in_the_diary_saves_the_diary(tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = TaperdashApp(home=home, pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("d")
        assert "save_diary" in _footer_actions(app)
        assert "save_checkin" not in _footer_actions(app)
        for key, value in {"bedtime": "23:10", "wake": "6:40", "out": "7:00"}.items():
            screen.query_one(f"#diary-{key}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Store(home).read("sleep_sessions").height == 1
        assert Store(home).read("checkins").height == 0
        assert app.focused is None


async def test_a_text_field_does_not_offer_the_keys_it_types(tmp_path: Path) -> None:
    app = TaperdashApp(home=tmp_path / "home", pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert {"quit_key", "toggle_help", "focus_dose"} <= _footer_actions(app)
        assert "leave_field" not in _footer_actions(app)
        await pilot.press("l")
        shown = _footer_actions(app)
        assert not {"quit_key", "toggle_help", "focus_dose", "focus_checkin", "delete_dose"} & shown
        assert {"leave_field", "log_dose"} <= shown
        await pilot.press("ctrl+q")  # Textual's own quit still works from the field
        await pilot.pause()
        assert app._exit


async def test_i_after_an_import_opens_the_field_and_types_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    f = tmp_path / "doses.csv"
    f.write_text("taken_at,grams,strain\n2026-11-24T08:00:00+01:00,3,Red Bali\n")
    app = TaperdashApp(home=home, pinned_today="2026-11-25")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        burst(app, "i", *str(f), "enter")
        await settle(app, pilot)
        burst(app, "enter")  # a single small file is previewed first: Enter imports it
        await settle(app, pilot)
        assert Store(home).read("doses").height == 1
        burst(app, "i")
        await settle(app, pilot)
        path = app.screen.query_one("#path", Input)
        assert app.focused is path
        assert path.value == str(f)
        assert Store(home).read("imports")["status"].to_list() == ["imported"]
