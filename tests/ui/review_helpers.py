"""Shared steps of the Review screen's pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot

from dashboard.app import TaperdashApp
from dashboard.screens.review.screen import ReviewScreen
from tests.ui.settling import settle


async def open_review(app: TaperdashApp, pilot: Pilot) -> ReviewScreen:
    await settle(app, pilot)
    await pilot.press("6")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen
