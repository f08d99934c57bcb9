"""Pilot tests of the Relapse plan screen (9): the plan typed in place survives leaving the
screen and a restart; check-in triggers are counted against it; after the taper reaches zero,
the days since the last dose and a slip logged as a plain dose; a snapshot on the demo."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from textual.widgets import DataTable, Digits, Input, Static, TextArea

from dashboard.app import TaperdashApp
from dashboard.core.clinical.relapse import RelapsePlan, load_plan, plan_path, save_plan
from dashboard.core.store import checkins
from dashboard.core.store import config as config_mod
from dashboard.core.store import doses as doses_mod
from dashboard.core.store.disk import Store
from dashboard.screens.relapse import RelapseScreen
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.settling import settle

ZONE = "Europe/Berlin"
TODAY = dt.date(2026, 3, 1)
# A linear plan, 4 g down by 1 g a week from 5 January: 0 g from 2 February.
ZERO_PLAN = f"""timezone = "{ZONE}"

[plan]
mode = "linear"
start_dose_g = 4.0
rate_pct = 25.0
start = 2026-01-05
target_g = 0.0
"""
LAST_DOSE_DAY = dt.date(2026, 2, 1)


def berlin(day: dt.date, hour: int) -> dt.datetime:
    """An aware UTC instant for a Berlin wall time in winter (UTC + 1 h)."""
    return dt.datetime.combine(day, dt.time(hour - 1), tzinfo=dt.UTC)


def zero_home(home: Path) -> Path:
    """Doses that follow the plan down to its last day on 1 February, then stop."""
    store = Store(home).ensure()
    store.save_config_text(ZERO_PLAN)
    now = berlin(TODAY, 9)
    day = dt.date(2026, 1, 5)
    while day <= LAST_DOSE_DAY:
        week = (day - dt.date(2026, 1, 5)).days // 7
        d = doses_mod.DoseInput(grams=4.0 - week, taken_at=berlin(day, 9), utc_offset_min=60)
        doses_mod.add(store, d, now)
        day += dt.timedelta(days=1)
    return home


def empty_home(home: Path) -> Path:
    store = Store(home).ensure()
    store.save_config_text(config_mod.dumps(config_mod.Config(timezone=ZONE)))
    return home


def make_app(home: Path, today: dt.date | str = TODAY) -> TaperdashApp:
    return TaperdashApp(home=home, pinned_today=str(today))


async def open_plan(app: TaperdashApp, pilot) -> RelapseScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("9")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, RelapseScreen)
    assert screen.query_one("#body").display
    return screen


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    names = {" ": "space", "\n": "enter", "'": "apostrophe", ".": "full_stop", ",": "comma"}
    await pilot.press(*(names.get(ch, ch) for ch in text))


def text_of(widget: Static) -> str:
    return str(widget.render())


def table_rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


# -- the plan ---------------------------------------------------------------------------------


async def test_the_plan_typed_in_place_is_saved_and_found_again(tmp_path: Path) -> None:
    home = empty_home(tmp_path / "home")
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        await pilot.press("p")
        assert app.focused is screen.query_one("#plan-triggers", TextArea)
        await type_text(pilot, "payday\nfriends using")
        await pilot.press("tab")  # to the next section
        assert app.focused is screen.query_one("#plan-warning_signs", TextArea)
        await type_text(pilot, "skipping check-ins")
        await pilot.pause(0.8)  # the save waits for a pause in the typing
        plan = load_plan(home)
        assert plan.triggers == ("payday", "friends using")
        assert plan.warning_signs == ("skipping check-ins",)
        assert stat.S_IMODE(plan_path(home).stat().st_mode) == 0o600
        assert "Saved" in text_of(screen.query_one("#plan-status", Static))

        # leaving straight after typing saves too: the pause is not needed
        await pilot.press("tab")
        await type_text(pilot, "walk round the block")
        await pilot.press("escape", "1")
        await pilot.pause()
        assert load_plan(home).instead == ("walk round the block",)
        await pilot.press("9")
        await pilot.pause()
        area = app.screen.query_one("#plan-instead", TextArea)
        assert area.text == "walk round the block"

    # a restart reads it back from the file
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        assert screen.query_one("#plan-triggers", TextArea).text == "payday\nfriends using"
        assert screen.query_one("#plan-warning_signs", TextArea).text == "skipping check-ins"
        assert screen.query_one("#plan-reasons", TextArea).text == ""


async def test_an_edit_from_the_shell_shows_when_the_screen_comes_back(tmp_path: Path) -> None:
    home = empty_home(tmp_path / "home")
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_plan(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        save_plan(home, RelapsePlan(reasons=("my kids",)), dt.datetime.now(dt.UTC))
        await pilot.press("9")
        await pilot.pause()
        assert app.screen.query_one("#plan-reasons", TextArea).text == "my kids"


async def test_a_plan_file_that_does_not_parse_is_never_overwritten(tmp_path: Path) -> None:
    home = empty_home(tmp_path / "home")
    plan_path(home).write_text("triggers = [unclosed\n")
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        assert "Not saving" in text_of(screen.query_one("#plan-status", Static))
        await pilot.press("p")
        await type_text(pilot, "boredom")
        await pilot.pause(0.8)
    assert plan_path(home).read_text() == "triggers = [unclosed\n"


async def test_check_in_triggers_are_counted_against_the_plan(tmp_path: Path) -> None:
    home = empty_home(tmp_path / "home")
    store = Store(home)
    now = berlin(TODAY, 9)
    logged = {
        dt.date(2026, 2, 20): ("stress at work",),
        dt.date(2026, 2, 22): ("payday", "Stress  at work"),
        dt.date(2026, 2, 25): ("[b]boredom[/b]",),  # the person's words: never markup
        dt.date(2026, 2, 26): ("payday",),
    }
    for day, triggers in logged.items():
        checkins.upsert(store, checkins.CheckinInput(date=day, cravings=3, triggers=triggers), now)
    save_plan(home, RelapsePlan(triggers=("stress", "argument at home")), now)
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        table = screen.query_one("#trigger-table", DataTable)
        assert table_rows(table) == [
            ["stress", "2", "22 Feb", "yes"],
            ["argument at home", "0", "–", "yes"],
            ["payday", "2", "26 Feb", "no"],
            ["[b]boredom[/b]", "1", "25 Feb", "no"],
        ]
        # add the unplanned "payday" to the plan from the table
        await pilot.press("t")
        assert app.focused is table
        table.move_cursor(row=2)
        await pilot.press("a")
        await pilot.pause()
        assert load_plan(home).triggers == ("stress", "argument at home", "payday")
        assert screen.query_one("#plan-triggers", TextArea).text.splitlines()[-1] == "payday"
        assert ["payday", "2", "26 Feb", "yes"] in table_rows(table)


# -- before and after zero --------------------------------------------------------------------


async def test_before_zero_the_screen_says_how_far_the_taper_is(tmp_path: Path) -> None:
    home = zero_home(tmp_path / "home")
    app = make_app(home, dt.date(2026, 1, 20))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        status = text_of(screen.query_one("#rp-status", Static))
        assert "today's plan is 2 g, down from 4 g (50 % of the way to 0 g)" in status
        assert "in 13 days, 2 February" in status
        assert not screen.query_one("#rp-zero").display


async def test_after_zero_days_since_the_last_dose_and_a_slip_logged_plainly(
    tmp_path: Path,
) -> None:
    home = zero_home(tmp_path / "home")
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        assert screen.query_one("#rp-zero").display
        assert screen.query_one("#days-since", Digits).value == str((TODAY - LAST_DOSE_DAY).days)
        assert "reached 0 g on 2 February 2026" in text_of(screen.query_one("#rp-status", Static))
        caption = text_of(screen.query_one("#zero-caption", Static))
        assert "No doses logged since zero" in caption
        # the plan stands beside it
        assert screen.query_one("#plan-triggers", TextArea).region.right <= (
            screen.query_one("#rp-zero").region.x
        )

        before = Store(home).read("doses").height
        # nonsense is refused with a message, and nothing is written
        await pilot.press("s")
        assert app.focused is screen.query_one("#slip-grams", Input)
        await type_text(pilot, "-2\n")
        await pilot.pause()
        assert "more than 0" in text_of(screen.query_one("#slip-error", Static))
        assert Store(home).read("doses").height == before

        screen.query_one("#slip-grams", Input).value = "1.5"
        screen.query_one("#slip-at", Input).value = "8:30"
        screen.query_one("#slip-note", Input).value = "after the [b]funeral[/b]"
        screen.query_one("#slip-grams", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        doses = Store(home).read("doses").sort("id")
        assert doses.height == before + 1
        slip = doses.row(-1, named=True)
        assert slip["grams"] == 1.5
        assert slip["note"] == "slip: after the [b]funeral[/b]"
        assert slip["taken_at"] == berlin(TODAY, 8).replace(minute=30)
        assert screen.query_one("#slip-error", Static).render().plain == ""  # type: ignore[attr-defined]
        assert screen.query_one("#days-since", Digits).value == "0"
        assert "1 dose logged since zero" in text_of(screen.query_one("#zero-caption", Static))


async def test_the_slip_key_does_nothing_before_zero(tmp_path: Path) -> None:
    home = zero_home(tmp_path / "home")
    app = make_app(home, dt.date(2026, 1, 20))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_plan(app, pilot)
        await pilot.press("s")
        assert app.focused is not screen.query_one("#slip-grams", Input)


# -- snapshot -----------------------------------------------------------------------------------


def test_snapshot_of_the_plan_on_the_demo(snap_compare, demo_copy: Path) -> None:  # type: ignore[no-untyped-def]
    home = demo_copy
    plan = RelapsePlan(
        triggers=("stress at work", "payday", "friends using"),
        warning_signs=("skipping check-ins", "thinking 'just one won't hurt'"),
        instead=("walk round the block", "call Sam"),
        contacts=("Sam 0151 496 0000",),
        reasons=("to sleep through the night again",),
    )
    save_plan(home, plan, dt.datetime(2026, 6, 20, 19, 0, tzinfo=dt.UTC))
    app = make_app(home, DEMO_TODAY)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_plan(app, pilot)

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)
