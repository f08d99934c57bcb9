"""The first frame: Today's numbers from the saved glance before the store is read (and only
when nothing changed since), the forms right after, and the screen keys on the top line."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from textual.widgets import DataTable, Input, Static

from dashboard.app import TaperdashApp
from dashboard.core.store import doses
from dashboard.core.store.disk import Store
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.settling import settle


def summary(app: TaperdashApp) -> str:
    return str(app.screen.query_one("#summary", Static).render())


async def _first_run(home: Path) -> str:
    """Opens the app once so it saves the glance; returns the summary it showed."""
    app = TaperdashApp(home=home, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        return summary(app)


class Held:
    """load_core, held once armed until the test releases it (a run before arming, to save
    the glance, goes straight through instead of waiting out the timeout)."""

    def __init__(self) -> None:
        self.armed = threading.Event()
        self.released = threading.Event()

    def arm(self) -> None:
        self.armed.set()

    def set(self) -> None:
        self.released.set()


@pytest.fixture
def held_loader(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    """What the first frame shows is then only what the app had before reading the store."""
    from dashboard.core.views import bundle

    held = Held()
    real = bundle.load_core

    def load(*args: Any, **kwargs: Any) -> Any:
        if held.armed.is_set():
            held.released.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle, "load_core", load)
    yield held
    held.set()


async def test_the_saved_glance_shows_before_the_store_is_read(
    demo_copy: Path, held_loader: Held
) -> None:
    shown = await _first_run(demo_copy)
    held_loader.arm()
    assert "taken 1.8 g in 2 doses" in shown
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.bundle is None  # still held
        assert summary(app) == shown
        assert app.screen.query_one("#doses-today", DataTable).row_count == 2
        # the forms follow the first frame, without waiting for the store either
        for _ in range(20):
            await pilot.pause()
            if app.screen.query("#grams"):
                break
        assert app.screen.query_one("#grams", Input)
        held_loader.set()
        await settle(app, pilot)
        assert app.bundle is not None and summary(app) == shown


async def test_a_dose_logged_from_a_shell_hides_the_glance(
    demo_copy: Path, held_loader: Held
) -> None:
    import datetime as dt

    shown = await _first_run(demo_copy)
    held_loader.arm()
    now = dt.datetime.fromisoformat(f"{DEMO_TODAY}T20:00:00+00:00")
    doses.add(Store(demo_copy), doses.DoseInput(grams=0.5, taken_at=now, utc_offset_min=0), now)
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.bundle is None
        assert app.glance is None
        assert "taken" not in summary(app)
        assert app.screen.query_one("#loading", Static).display
        held_loader.set()
        await settle(app, pilot)
        assert "taken 2.3 g in 3 doses" in summary(app) and summary(app) != shown


async def test_the_footer_keeps_the_screen_keys_on_the_top_line(demo_copy: Path) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        nav = str(app.screen.query_one("#nav", Static).render())
        assert nav.split() == [
            "1",
            "Today",
            "2",
            "Taper",
            "3",
            "Sleep",
            "4",
            "Activity",
            "5",
            "Links",
            "6",
            "Review",
            "7",
            "Imports",
            "8",
            "About",
            "9",
            "Plan",
            "B",
        ]
        shown = {key for key, b in app.active_bindings.items() if b.binding.show}
        assert not shown & set("123456789")
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen.TITLE == "Sleep"


def test_the_top_line_marks_the_screen_shown() -> None:
    from dashboard.screens.chrome import nav_line

    line = nav_line("dashboard.screens.sleep:SleepScreen")
    marked = [line.plain[s.start : s.end].strip() for s in line.spans if "reverse" in str(s.style)]
    assert marked == ["3 Sleep"]


async def test_keys_for_the_forms_before_they_are_there_wait_for_them(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.screens.today import TodayScreen

    waiting: list[TodayScreen] = []
    real = TodayScreen._mount_forms

    async def held(self: TodayScreen) -> None:
        waiting.append(self)  # mounted later, by the test

    monkeypatch.setattr(TodayScreen, "_mount_forms", held)
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#grams")
        # no form yet: the keys after c wait for its first field, then go into it
        await pilot.press("c", "4", "ctrl+s")
        await pilot.pause()
        assert app.is_running and not app.screen.query("#grams")
        assert isinstance(app.screen, TodayScreen) and waiting == [app.screen]
        await real(waiting[0])
        await settle(app, pilot)
        day = dt.date.fromisoformat(DEMO_TODAY)
        row = Store(demo_copy).read("checkins").filter(pl.col("date") == day).row(0, named=True)
        assert row["cravings"] == 4
        await pilot.press("l")
        assert app.focused is app.screen.query_one("#grams", Input)


async def test_what_is_typed_before_the_store_is_read_is_not_overwritten(
    demo_copy: Path, held_loader: Held
) -> None:
    await _first_run(demo_copy)
    held_loader.arm()
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        for _ in range(20):
            await pilot.pause()
            if app.screen.query("#cravings"):
                break
        assert app.bundle is None  # still held: the glance is up, the forms are empty
        await pilot.press("c", "7", "escape")
        held_loader.set()
        await settle(app, pilot)
        assert app.bundle is not None
        assert app.screen.query_one("#cravings", Input).value == "7"  # typed: kept
        assert app.screen.query_one("#mood", Input).value == "8"  # stored check-in: filled in


async def test_a_store_that_cannot_be_read_takes_the_glance_down(demo_copy: Path) -> None:
    await _first_run(demo_copy)
    store = Store(demo_copy)
    doses_file = store.data / store.manifest()["tables"]["doses"]
    doses_file.write_bytes(b"not parquet")  # the manifest is unchanged: the glance still matches
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert app.load_error and "unreadable" in app.load_error
        assert app.glance is None and app.bundle is None
        assert app.screen.query_one("#loading", Static).display
        assert not app.screen.query_one("#body").display
