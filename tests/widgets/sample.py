"""Fixed data and a one-widget host app shared by the widget tests.

The data is deterministic (no random) so snapshots and cell assertions are stable.
"""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult
from textual.widget import Widget

D0 = dt.date(2026, 10, 5)  # a Monday


def asleep_series(days: int = 21) -> list[tuple[dt.date, float | None]]:
    """Minutes asleep per night: a repeating pattern with two missing nights."""
    pattern = [420, 380, 300, 445, 260, 400, 410]
    out: list[tuple[dt.date, float | None]] = []
    for i in range(days):
        value: float | None = float(pattern[i % 7] - (i // 7) * 10)
        if i in (3, 10):
            value = None
        out.append((D0 + dt.timedelta(days=i), value))
    return out


def night_stages() -> list[tuple[dt.datetime, dt.datetime, str]]:
    """A 7-hour night starting 22:30 UTC, in 30-minute blocks."""
    order = [
        "light",
        "deep",
        "light",
        "rem",
        "awake",
        "light",
        "deep",
        "light",
        "rem",
        "light",
        "rem",
        "awake",
        "light",
        "rem",
    ]
    t = dt.datetime(2026, 10, 5, 22, 30)
    out = []
    for stage in order:
        out.append((t, t + dt.timedelta(minutes=30), stage))
        t += dt.timedelta(minutes=30)
    return out


class Host(App[None]):
    """Mounts the widgets a test hands it, nothing else."""

    def __init__(self, *widgets: Widget) -> None:
        self._widgets = widgets
        super().__init__()

    def compose(self) -> ComposeResult:
        yield from self._widgets
