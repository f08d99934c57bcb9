"""Midnight with the dashboard open: Today and the Review move to the new day by themselves."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Static

from dashboard.app import TaperdashApp
from dashboard.core.store import config as config_mod
from dashboard.core.store.disk import Store
from tests.ui.settling import settle


@pytest.fixture
def berlin_home(cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config_mod.save(home, dataclasses.replace(config_mod.load(home), timezone="Europe/Berlin"))
    monkeypatch.setenv("TAPERDASH_NOW", "2026-12-06T23:58:00+01:00")  # a Sunday
    assert cli("log", "1.5", "--at", "2026-12-06T20:00")[0] == 0
    assert cli("log", "0.5")[0] == 0  # 23:58
    return home


async def test_today_rolls_over_at_midnight_without_a_restart(
    berlin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TaperdashApp(home=berlin_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert app.bundle is not None and app.bundle.today == dt.date(2026, 12, 6)
        summary = app.screen.query_one("#summary", Static)
        assert "Sunday 06 December 2026" in str(summary.render())
        assert "2 g in 2 doses" in str(summary.render())

        monkeypatch.setenv("TAPERDASH_NOW", "2026-12-07T00:00:30+01:00")
        app._poll_store()  # what the 2-second poll runs
        await settle(app, pilot)
        assert app.bundle.today == dt.date(2026, 12, 7)
        text = str(summary.render())
        assert "Monday 07 December 2026" in text and "2 g in 2 doses" not in text

        # a dose logged from the form at 00:02 is the new day's
        monkeypatch.setenv("TAPERDASH_NOW", "2026-12-07T00:02:00+01:00")
        await pilot.press("l", "1", "enter")
        await settle(app, pilot)
        doses = Store(berlin_home).read("doses").sort("id")
        assert doses["taken_at"][-1] == dt.datetime(2026, 12, 6, 23, 2, tzinfo=dt.UTC)
        assert app.bundle.daily.filter(app.bundle.daily["date"] == dt.date(2026, 12, 7))[
            "dose_g"
        ].to_list() == [1.0]
        assert app.bundle.daily.filter(app.bundle.daily["date"] == dt.date(2026, 12, 6))[
            "dose_g"
        ].to_list() == [2.0]


async def test_the_reviews_this_week_moves_on_monday_midnight(
    berlin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TaperdashApp(home=berlin_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        review = app.screen
        assert review._rv_current_week() == "2026-W49"  # type: ignore[attr-defined]
        monkeypatch.setenv("TAPERDASH_NOW", "2026-12-07T00:00:30+01:00")
        app._poll_store()
        await settle(app, pilot)
        assert review._rv_current_week() == "2026-W50"  # type: ignore[attr-defined]
        # the finished week is no longer reviewed as running
        await settle(app, pilot)
        cached = review._rv_cache.reviews.get("2026-W49")  # type: ignore[attr-defined]
        if cached is not None:
            assert cached.complete


async def test_a_pinned_today_never_rolls_over(
    berlin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TaperdashApp(home=berlin_home, pinned_today="2026-12-06")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        monkeypatch.setenv("TAPERDASH_NOW", "2026-12-07T00:00:30+01:00")
        assert not app._day_turned()
