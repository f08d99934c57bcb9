"""Night corrections from the Sleep screen (3): n marks the chosen night a nap, x not sleep,
u undoes the last correction of that night; the night leaves (and comes back to) the series and
the insomnia count, and the detail says it was corrected by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.binding import Binding

from dashboard.app import TaperdashApp
from dashboard.core.clinical.overrides import active
from dashboard.core.store.disk import Store
from dashboard.screens.sleep import SleepScreen
from tests.ui.night_helpers import detail, open_night
from tests.ui.settling import settle
from tests.ui.small_home import TODAY, build_home, insomnia_index, make_app
from widgets.daily_chart import DailyChart
from widgets.stat_tile import StatTile

DAYS = 21
FIRST = TODAY - dt.timedelta(days=DAYS)
# In the home of test_sleep_activity_links: the insomnia night is recorded by garmin and oura
# (18 % 4 == 2); night 16 by garmin alone.
INSOMNIA_NIGHT = FIRST + dt.timedelta(days=insomnia_index(DAYS))
GARMIN_ONLY = FIRST + dt.timedelta(days=16)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return build_home(tmp_path / "home", days=DAYS)


async def press(app: TaperdashApp, pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await settle(app, pilot)


def insomnia_tile(screen: SleepScreen) -> str:
    return str(screen.query_one("#tile-insomnia", StatTile).value)


def nights_shown(screen: SleepScreen) -> int:
    values = screen.query_one("#sleep-chart", DailyChart).series.values
    return sum(v is not None for v in values.values())


async def test_a_nap_leaves_the_series_and_the_insomnia_count_and_undo_brings_it_back(
    home: Path,
) -> None:
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_night(app, pilot, INSOMNIA_NIGHT)
        chart = screen.query_one("#sleep-chart", DailyChart)
        nights = nights_shown(screen)
        assert insomnia_tile(screen) == f"1 of {nights}"
        assert "Source: garmin (chosen over oura)" in detail(screen)
        assert "Corrected by hand" not in detail(screen)

        # garmin's session was a nap: oura's record of the night takes its place
        await press(app, pilot, "n")
        assert chart.selected_date == INSOMNIA_NIGHT
        assert "Source: oura" in detail(screen)
        assert "Corrected by hand: nap — u to undo" in detail(screen)
        # and oura's too: the night leaves the series and the count
        await press(app, pilot, "n")
        assert chart.series.values[INSOMNIA_NIGHT] is None
        assert INSOMNIA_NIGHT not in chart.series.marked
        assert nights_shown(screen) == nights - 1
        assert insomnia_tile(screen) == f"0 of {nights - 1}"
        assert "no sleep recorded" in detail(screen)
        assert "Corrected by hand: nap (and 1 earlier) — u to undo" in detail(screen)
        fixes = active(Store(home).read("night_overrides"))
        assert sorted(fixes.select("source", "source_id", "kind").iter_rows()) == [
            ("garmin", "g18", "nap"),
            ("oura", "o18", "nap"),
        ]

        # undo takes back the last correction first, then the one before
        await press(app, pilot, "u")
        assert "Source: oura" in detail(screen)
        assert insomnia_tile(screen) == f"1 of {nights}"
        await press(app, pilot, "u")
        assert "Source: garmin (chosen over oura)" in detail(screen)
        assert "Corrected by hand" not in detail(screen)
        assert INSOMNIA_NIGHT in chart.series.marked
        # the rows stay, marked undone: what was changed when remains visible
        overrides = Store(home).read("night_overrides")
        assert overrides.height == 2 and overrides["undone"].all()

        await press(app, pilot, "u")  # nothing left to undo on this night: says so, no change
        assert Store(home).read("night_overrides")["undone"].all()


async def test_not_sleep_drops_the_night_and_undo_restores_it(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_night(app, pilot, GARMIN_ONLY)
        chart = screen.query_one("#sleep-chart", DailyChart)
        asleep = chart.series.values[GARMIN_ONLY]
        assert asleep is not None
        # new times are set from the shell, and the help says so
        tips = [b.tooltip for b in SleepScreen.BINDINGS if isinstance(b, Binding)]
        assert any("taperdash night --fix SOURCE:ID --start" in t for t in tips)

        await press(app, pilot, "x")
        assert chart.series.values[GARMIN_ONLY] is None
        assert "Corrected by hand: not sleep — u to undo" in detail(screen)
        assert Store(home).read("night_overrides")["kind"].to_list() == ["not_sleep"]

        await press(app, pilot, "u")
        assert chart.series.values[GARMIN_ONLY] == asleep
        assert "Corrected by hand" not in detail(screen)


async def test_a_diary_night_is_not_corrected_here(tmp_path: Path) -> None:
    from dashboard.core.store import config as config_mod

    home = build_home(tmp_path / "home", days=DAYS)
    store = Store(home)
    cfg = config_mod.load(home)
    store.save_config_text(
        config_mod.dumps(config_mod.Config(timezone=cfg.timezone, sleep_series="diary"))
    )
    app = make_app(home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_night(app, pilot, TODAY - dt.timedelta(days=1))
        assert "Source: diary" in detail(screen)
        await press(app, pilot, "n")
        assert Store(home).read("night_overrides").is_empty()
