"""Shared steps of the Sleep screen's night tests: open the screen on a night, read its detail."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from dashboard.app import TaperdashApp
from dashboard.screens.sleep import SleepScreen
from tests.ui.settling import settle
from widgets.daily_chart import DailyChart


async def open_night(app: TaperdashApp, pilot, day: dt.date) -> SleepScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, SleepScreen)
    screen.query_one("#sleep-chart", DailyChart).select_date(day)
    await pilot.pause()
    return screen


def detail(screen: SleepScreen) -> str:
    return str(screen.query_one("#night-detail", Static).render())
