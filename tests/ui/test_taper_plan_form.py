"""The plan can be set on the Taper screen, with the CLI's own validation, into config.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Static

from dashboard.app import TaperdashApp
from dashboard.core.store import config as config_mod
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.keys import burst
from tests.ui.settling import settle


async def test_the_plan_form_saves_the_plan_and_refuses_what_the_cli_refuses(
    demo_copy: Path,
) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    before = config_mod.load(demo_copy).plan
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        # the same rule as `taperdash plan set --start-dose 150`
        burst(app, "p", "1", "5", "0", "enter")  # the field's text is selected: typing replaces it
        await settle(app, pilot)
        assert app.screen is screen
        assert "start dose must be above 0 and at most 100 g a day" in str(
            screen.query_one("#plan-error", Static).render()
        )
        assert config_mod.load(demo_copy).plan == before
        fields = {"plan-start-dose": "8", "plan-rate": "12,5", "plan-start": "2026-06-22"}
        for field_id, value in fields.items():
            screen.query_one(f"#{field_id}", Input).value = value
        screen.query_one("#plan-target", Input).value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        plan = config_mod.load(demo_copy).plan
        assert (plan.start_dose_g, plan.rate_pct, plan.start, plan.target_g) == (
            8.0,
            12.5,
            dt.date(2026, 6, 22),
            0.0,
        )
        assert (plan.mode, plan.step_g, plan.holds) == (before.mode, before.step_g, before.holds)
        assert app.bundle is not None and app.bundle.config.plan == plan
        assert app.focused is None  # saved: the screen's keys work again


async def test_a_date_that_does_not_exist_is_named(demo_copy: Path) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    before = config_mod.load(demo_copy).plan
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#plan-start-dose", Input).value = "8"
        screen.query_one("#plan-start", Input).value = "2026-02-30"
        await pilot.press("p", "enter")
        await settle(app, pilot)
        assert "2026-02-30 is not a date" in str(screen.query_one("#plan-error", Static).render())
        assert config_mod.load(demo_copy).plan == before


async def test_the_plan_can_be_set_on_an_empty_home(tmp_path: Path) -> None:
    """A new user sets the plan before the first dose: Taper is shown on an empty home."""
    home = tmp_path / "home"
    app = TaperdashApp(home=home, pinned_today="2026-12-05")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#body").display
        burst(app, "p", "8")
        await settle(app, pilot)
        screen.query_one("#plan-rate", Input).value = "10"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Saved: 8 g a day" in str(screen.query_one("#plan-status", Static).render())
        plan = config_mod.load(home).plan
        assert (plan.start_dose_g, plan.rate_pct, plan.start) == (8.0, 10.0, dt.date(2026, 12, 5))


async def test_the_plan_form_reads_grams_as_the_dose_form_does(tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = TaperdashApp(home=home, pinned_today="2026-12-05")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        burst(app, "p")
        await settle(app, pilot)
        screen.query_one("#plan-start-dose", Input).value = "1,500"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "'1,500' is ambiguous" in str(screen.query_one("#plan-error", Static).render())
        assert config_mod.load(home).plan.start_dose_g is None
