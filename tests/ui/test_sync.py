"""The dashboard syncs the source folders in the background: at start, and again on ctrl+r;
the Imports screen shows the sync's progress and result."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import ProgressBar, Static

from dashboard.app import SyncStatus, TaperdashApp
from dashboard.core.store import config as config_mod
from dashboard.core.store.config import Config
from dashboard.core.store.disk import Store
from tests.importers.databases import builders as b
from tests.ui.settling import settle


def _home_with_source(tmp_path: Path) -> tuple[Path, Path]:
    home, drop = tmp_path / "home", tmp_path / "drop"
    drop.mkdir()
    name, data = b.health_connect()
    (drop / name).write_bytes(data)
    config_mod.save(home, Config(timezone="Europe/Berlin", sources=(str(drop.resolve()),)))
    return home, drop


async def test_sync_at_start_and_on_ctrl_r(tmp_path: Path) -> None:
    home, drop = _home_with_source(tmp_path)
    app = TaperdashApp(home=home, pinned_today="2026-10-26")
    seen: list[SyncStatus] = []
    async with app.run_test(size=(100, 32)) as pilot:
        app.watch(app, "sync_status", lambda s: seen.append(s) if s else None)
        await settle(app, pilot)
        assert Store(home).read("sleep_sessions").height == 5
        assert app.sync_status == SyncStatus(False, 1, 1, "Sync: 1 imported")
        await pilot.press("7")  # Imports
        await settle(app, pilot)
        screen = app.screen
        assert str(screen.query_one("#status", Static).render()) == "Sync: 1 imported"
        assert not screen.query_one("#progress", ProgressBar).display

        name, data = b.gadgetbridge()
        (drop / name).write_bytes(data)
        seen.clear()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert Store(home).read("sleep_sessions").height == 12
        # the bar ran from 0 to the two files of the folder, then the summary
        assert seen[0].running and seen[0].total == 2
        assert seen[-1] == SyncStatus(False, 2, 2, "Sync: 1 imported, 1 unchanged")
        assert str(screen.query_one("#status", Static).render()) == (
            "Sync: 1 imported, 1 unchanged"
        )


async def test_no_sources_means_no_sync(tmp_path: Path) -> None:
    app = TaperdashApp(home=tmp_path / "home", pinned_today="2026-10-26")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert app.sync_status is None
