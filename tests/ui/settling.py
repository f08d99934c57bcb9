"""Waiting for the app in pilot tests: its workers done (an exclusive reload may cancel an
older one on the way) and the refreshes after them."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from dashboard.app import TaperdashApp


async def settle(app: TaperdashApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive reload replaced an older one
            continue
        await pilot.pause()


async def settle_complete(app: TaperdashApp, pilot: Pilot, tries: int = 50) -> None:  # type: ignore[type-arg]
    """Settled, and the bundle holds the statistics too (it arrives in two steps)."""
    for _ in range(tries):
        await settle(app, pilot)
        if app.bundle is not None and app.bundle.complete:
            return
        await pilot.pause(0.05)
