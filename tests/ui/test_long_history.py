"""The Sleep and Activity screens on years of data from several sources (tests/core/history.py):
spans start where the data is and say so, ranges carry years, the noun fits the screen, the
whole span is drawn, and the insomnia count agrees with the night count."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from dashboard.app import TaperdashApp
from dashboard.core.store import config as config_mod
from dashboard.core.store.disk import Store
from tests.core import history as H
from tests.ui.settling import settle
from widgets.daily_chart import DailyChart
from widgets.heatmap import CalendarHeatmap
from widgets.stat_tile import StatTile


@pytest.fixture(scope="module")
def long_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("long") / "home"
    store = Store(home).ensure()
    store.save_config_text(config_mod.dumps(config_mod.Config(timezone="Europe/Berlin")))
    with store.transaction() as tx:
        for table, frame in H.history_frames().items():
            tx.put(table, frame)
    return home


def text(app: TaperdashApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_sleep_all_nights_span_the_years(long_home: Path) -> None:
    app = TaperdashApp(home=long_home, pinned_today=H.TODAY.isoformat())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        for _ in range(9):  # to "all"
            await pilot.press("w")
        await settle(app, pilot)
        label = text(app, "#sleep-span")
        nights = H.history_frames()["sleep_sessions"]["night"].n_unique()
        assert label.startswith(f"All nights: 24 Jan 2019 – 4 Dec 2026 · {nights} nights")
        tile = app.screen.query_one("#tile-insomnia", StatTile)
        assert str(tile.value).endswith(f" of {nights}")
        chart = app.screen.query_one("#sleep-chart", DailyChart)
        g = chart.geometry
        assert g.period in ("month", "quarter") and g.visible == len(g.buckets)


async def test_activity_moves_each_series_to_its_data(long_home: Path) -> None:
    app = TaperdashApp(home=long_home, pinned_today=H.TODAY.isoformat())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        label = text(app, "#activity-span")
        assert label.startswith("Last 8 weeks · steps: 11 Apr – 5 Jun 2017")
        assert "(the latest with steps; none since) · workouts: 11 Oct – 5 Dec 2026" in label
        assert app.screen.query_one("#tile-steps", StatTile).value is not None
        chart = app.screen.query_one("#steps-chart", DailyChart)
        assert not chart.series.is_empty
        heat = app.screen.query_one("#heatmap", CalendarHeatmap)
        assert heat.data.known  # workout minutes of the last year, not "no data yet"
        for _ in range(9):
            await pilot.press("w")
        await settle(app, pilot)
        label = text(app, "#activity-span")
        assert label.startswith("All days · steps: 1 Mar 2013 – 5 Jun 2017 · workouts: 4 Jan 2023")
