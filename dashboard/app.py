"""The Textual app: one screen per mode, a bundle of frames loaded in a worker after the first
paint, and a watch on the store so a dose logged from a shell shows up here."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from dashboard.screens import SCREENS, screen_factory

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle
    from dashboard.core.views.glance import Glance

REFRESH_SECONDS = 2.0
HOLD_KEYS_SECONDS = 2.0  # keys held for a field that is not there yet go out after this anyway


def typing_in(widget: Widget | None) -> bool:
    """A text field has the keys: letters and digits are text there, not commands."""
    from textual.widgets import Input, TextArea

    return isinstance(widget, Input | TextArea)


@dataclass(frozen=True)
class SyncStatus:
    """Where the background sync of the source folders is, for the Imports screen."""

    running: bool
    done: int  # files settled so far
    total: int | None  # files in the folders (None: not counted yet)
    line: str  # the latest file's outcome, or the finished sync's summary


class TaperdashApp(App[None]):
    TITLE = "taperdash"
    SUB_TITLE = "not medical advice"
    CSS_PATH = "app.tcss"
    MODES = {mode: screen_factory(target) for mode, _, target in SCREENS}
    DEFAULT_MODE = "today"
    # the screen keys are on each screen's top line (base.nav_line), not in the footer
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Help", key_display="?"),
        # its own action name: hidden while typing (q is text there) without touching ctrl+q
        Binding("q", "quit_key", "Quit"),
        *(
            Binding(str(i + 1), f"switch_mode('{mode}')", title, show=False)
            for i, (mode, title, _) in enumerate(SCREENS)
        ),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    bundle: reactive[Bundle | None] = reactive(None, always_update=True)
    load_error: reactive[str | None] = reactive(None)
    sync_status: reactive[SyncStatus | None] = reactive(None)

    class SyncProgressed(Message):
        def __init__(self, status: SyncStatus) -> None:
            super().__init__()
            self.status = status

    class SyncFinished(Message):
        def __init__(self, summary: str, changed: bool, missing: list[str], failed: int) -> None:
            super().__init__()
            self.summary = summary
            self.changed = changed  # something was imported (or failed): read the store again
            self.missing = missing
            self.failed = failed

    class Loaded(Message):
        def __init__(self, bundle: Bundle) -> None:
            super().__init__()
            self.bundle = bundle

    class LoadFailed(Message):
        def __init__(self, error: str, sources: tuple[bytes, bytes]) -> None:
            super().__init__()
            self.error = error
            self.sources = sources  # the manifest and config bytes the failed read began with

    def __init__(self, home: Path, demo: bool = False, pinned_today: str | None = None) -> None:
        super().__init__()
        self.home = Path(home)
        self.demo = demo
        self.pinned_today = pinned_today or os.environ.get("TAPERDASH_TODAY")
        self._first_frame_pending: list[Callable[[], object]] | None = []
        self._failed_sources: tuple[bytes, bytes] | None = None  # as they were at a failed read
        self._syncing = False  # one sync at a time: a second would import the same new files
        # keys that arrived after a key asked for a field that is not mounted yet (hold_keys)
        self._held_keys: list[events.Key] | None = None
        # Today's summary saved by the last read of this store; read before the first screen
        self.glance: Glance | None = self._saved_glance()
        if demo:
            self.sub_title = "demo history · not medical advice"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands, and each screen and the reload, in the command palette."""
        yield from super().get_system_commands(screen)
        for mode, title, _ in SCREENS:
            yield SystemCommand(
                f"Go to {title}", f"Show the {title} screen", partial(self.switch_mode, mode)
            )
        yield SystemCommand(
            "Reload data", "Read the store again and sync the source folders", self.action_reload
        )

    def on_mount(self) -> None:
        # the first frame paints before any data is read
        self.after_first_frame(self.reload)
        self.after_first_frame(self.sync_sources)
        self.set_interval(REFRESH_SECONDS, self._poll_store)

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the first frame is on the terminal.

        Textual holds repaints while the app mounts, and runs call_after_refresh callbacks
        queued then without painting; work started there (the loading thread importing Polars,
        mounting forms) would hold the first frame back by ~0.1 s. Textual sends Ready after
        that, so callbacks queued from then on wait for a real paint."""
        if self._first_frame_pending is None:
            self.call_after_refresh(callback)
        else:
            self._first_frame_pending.append(callback)

    def on_ready(self) -> None:
        # frames were drawn while the app mounted but not written: paint the whole screen
        self.screen.refresh()
        pending, self._first_frame_pending = self._first_frame_pending or [], None
        for callback in pending:
            self.call_after_refresh(callback)

    # -- data ----------------------------------------------------------------------------
    def clock(self) -> tuple[dt.datetime, ZoneInfo, dt.date]:
        """(now, zone, today) for a write from a screen, from the config as it is on disk; with
        a pinned today, now is that day's clock (the demo, tests)."""
        from dashboard.core.clock import effective_now, today_for
        from dashboard.core.store.config import load

        tz = load(self.home).zone()
        today = today_for(tz, self.pinned_today)
        return effective_now(tz, today if self.pinned_today else None), tz, today

    def _saved_glance(self) -> Glance | None:
        from dashboard.core.clock import today_for
        from dashboard.core.store.config import ConfigError, load
        from dashboard.core.views import glance

        try:
            today = today_for(load(self.home).zone(), self.pinned_today)
        except (ConfigError, OSError, ValueError):
            return None  # the worker reads the config again and says what is wrong
        return glance.load(self.home, today)

    def export_folder(self) -> Path:
        """Where exports go: the home's exports/; the demo's home is a temporary folder deleted
        on quit, so its exports go to the folder the demo was started from."""
        if self.demo:
            return Path.cwd() / "taperdash-demo-exports"
        return self.home / "exports"

    def action_reload(self) -> None:
        self.reload()
        self.sync_sources()

    # -- source folders ------------------------------------------------------------------
    def sync_sources(self) -> None:
        """Import what is new in the configured source folders, in a worker (`taperdash sync`)."""
        if self._syncing or self.demo:
            return
        self._syncing = True
        self._sync()

    @work(thread=True, group="sync")
    def _sync(self) -> None:
        try:
            self._sync_in_thread()
        finally:
            self._syncing = False

    def _sync_in_thread(self) -> None:
        from dashboard.core.store import config as config_mod
        from dashboard.core.store.config import ConfigError

        try:
            cfg = config_mod.load(self.home)
            cfg.zone()  # an unknown zone is the loading worker's to report
        except (ConfigError, OSError):
            return  # the loading worker says what is wrong with the config
        if not cfg.sources:
            return
        from dashboard.core.errors import StoreError, UserError
        from dashboard.core.store import sources
        from dashboard.core.store.disk import Store
        from dashboard.core.store.ingest import read_context

        folders = [Path(f) for f in cfg.sources if Path(f).is_dir()]
        total = sum(1 for f in folders for p in f.rglob("*") if p.is_file())
        names = ", ".join(Path(f).name for f in cfg.sources)
        self.post_message(self.SyncProgressed(SyncStatus(True, 0, total, f"Syncing {names} …")))

        def progress(outcome: object, done: int) -> None:
            line = getattr(outcome, "line", lambda: "")()
            self.post_message(self.SyncProgressed(SyncStatus(True, done, total, line)))

        try:
            report = sources.sync(
                Store(self.home),
                cfg,
                read_context(cfg),
                progress=progress,
            )
        except (UserError, StoreError, OSError) as exc:
            self.post_message(self.SyncFinished(f"Sync failed: {exc}", False, [], 1))
            return
        counts = report.counts()
        summary = "Sync: " + report.summary()
        changed = bool(counts.get("imported") or counts.get("failed"))
        self.post_message(self.SyncFinished(summary, changed, report.missing, report.failed))

    def on_taperdash_app_sync_progressed(self, message: SyncProgressed) -> None:
        self.sync_status = message.status

    def on_taperdash_app_sync_finished(self, message: SyncFinished) -> None:
        done = self.sync_status.done if self.sync_status else 0
        self.sync_status = SyncStatus(False, done, done, message.summary)
        for folder in message.missing:
            # once per sync, one line per folder (not one per file it held)
            self.notify(f"Source folder not found: {folder}", severity="warning", timeout=8)
        if message.changed:
            self.notify(
                message.summary, severity="error" if message.failed else "information", timeout=6
            )
            self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        from dashboard.core.views import glance

        worker = get_current_worker()
        # read before the tables: a write in between makes the saved key stale, never wrong
        sources = glance.read_sources(self.home)
        try:
            from dashboard.core.views.bundle import load_core, with_statistics

            core = load_core(self.home, self.pinned_today)
            # the numbers first; links and per-step effects take a second more on years of data
            self.post_message(self.Loaded(core))
            if not worker.is_cancelled:
                # optional: a failure here costs the next start its glance, nothing else
                with contextlib.suppress(Exception):
                    glance.refresh(core, sources)
            if worker.is_cancelled:
                return
            bundle = with_statistics(core)
        except Exception as exc:  # shown on screen: the app must stay usable
            from dashboard.core.errors import StoreError
            from dashboard.core.store.config import ConfigError

            if not isinstance(exc, ConfigError | StoreError):
                raise
            self.post_message(self.LoadFailed(str(exc), sources))
            return
        if bundle is not core and not worker.is_cancelled:
            self.post_message(self.Loaded(bundle))

    def on_taperdash_app_loaded(self, message: Loaded) -> None:
        self.load_error = None
        self.bundle = message.bundle

    def on_taperdash_app_load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.error
        self._failed_sources = message.sources
        if self.bundle is None and self.glance is not None:
            # the glance matched a store that cannot be read now: no numbers beat stale ones
            self.glance = None
            self.bundle = None  # always_update: the screens show "Loading…" again
        self.notify(message.error, title="Cannot read the data", severity="error", timeout=15)

    def _day_turned(self) -> bool:
        """Midnight passed in the data's zone since the bundle was read (never for a pinned
        today): Today, its forms and the Review's weeks belong to the new day."""
        if self.bundle is None or self.pinned_today:
            return False
        from dashboard.core.clock import today_for

        return today_for(self.bundle.tz, None) != self.bundle.today

    def _poll_store(self) -> None:
        if self._day_turned():
            self.reload()
            return
        if self.bundle is None:
            from dashboard.core.views import glance

            # after a failed read, try again once the store or the config has changed
            if self.load_error and glance.read_sources(self.home) != self._failed_sources:
                self.reload()
            return
        from dashboard.core.store.disk import Store
        from dashboard.core.views.bundle import QUIET_TABLES

        try:
            sig = Store(self.home).signature(ignore=QUIET_TABLES)
        except Exception:
            return
        if sig != self.bundle.signature:
            self.reload()

    def data_changed(self, message: str | None = None) -> None:
        """Screens call this after they wrote to the store."""
        if message:
            self.notify(message, timeout=4)
        self.reload()

    # -- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # q and ? are text in a field: the footer does not offer them there (esc leaves it)
        return not (action in ("quit_key", "toggle_help") and typing_in(self.focused))

    async def action_quit_key(self) -> None:
        await self.action_quit()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._held_keys is not None:
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Keep the keys that come next (a burst typed after `l`) for the field a screen is
        about to mount; `release_keys` hands them to it. Called from a priority binding's
        action, which runs before the app reads the next key."""
        if self._held_keys is None:
            self._held_keys = []
            self.set_timer(HOLD_KEYS_SECONDS, lambda: self.release_keys(None))

    def release_keys(self, field: Widget | None) -> None:
        """Give the held keys to `field` (focused now), in order; with None, to whatever
        they would have gone to."""
        held, self._held_keys = self._held_keys, None
        if not held:
            return
        if field is not None and field.is_attached:
            field.screen.set_focus(field)
            for event in held:
                field._forward_event(event)
        else:
            for event in held:
                self.post_message(event)

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
