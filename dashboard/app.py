"""The Textual app: one screen per mode, a bundle of frames loaded in a worker after the first
paint, and a watch on the store so a dose logged from a shell shows up here."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.worker import get_current_worker

from dashboard.screens import SCREENS, screen_factory

if TYPE_CHECKING:
    from dashboard.core.analysis.bundle import Bundle
    from dashboard.core.store.glance import Glance

REFRESH_SECONDS = 2.0
HOLD_KEYS_SECONDS = 2.0  # keys held for a field that is not there yet go out after this anyway


def typing_in(widget: Widget | None) -> bool:
    """A text field has the keys: letters and digits are text there, not commands."""
    from textual.widgets import Input, TextArea

    return isinstance(widget, Input | TextArea)


class ScreenCommands(Provider):
    """Every screen and app-wide action in the command palette."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, TaperdashApp)
        matcher = self.matcher(query)
        items = [
            (f"Go to {title}", f"switch_mode('{mode}')", f"Show the {title} screen")
            for mode, title, _ in SCREENS
        ]
        items += [
            ("Reload data", "reload", "Read the store again"),
            ("Help: keys of this screen", "show_help_panel", "Show the keys"),
        ]
        for label, action, help_text in items:
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    lambda a=action: app.run_action(a),
                    help=help_text,
                )


class TaperdashApp(App[None]):
    TITLE = "taperdash"
    SUB_TITLE = "not medical advice"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    MODES = {mode: screen_factory(target) for mode, _, target in SCREENS}
    DEFAULT_MODE = "today"
    # the screen keys are on each screen's top line (base.nav_line), not in the footer
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Help", key_display="?", id="help"),
        # its own action name: hidden while typing (q is text there) without touching ctrl+q
        Binding("q", "quit_key", "Quit", id="quit"),
        *(
            Binding(str(i + 1), f"switch_mode('{mode}')", title, id=f"go-{mode}", show=False)
            for i, (mode, title, _) in enumerate(SCREENS)
        ),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]

    bundle: reactive[Bundle | None] = reactive(None, always_update=True)
    load_error: reactive[str | None] = reactive(None)

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
        # keys that arrived after a key asked for a field that is not mounted yet (hold_keys)
        self._held_keys: list[events.Key] | None = None
        # Today's summary saved by the last read of this store; read before the first screen
        self.glance: Glance | None = self._saved_glance()
        if demo:
            self.sub_title = "demo history · not medical advice"

    def on_mount(self) -> None:
        # the first frame paints before any data is read
        self.after_first_frame(self.reload)
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
        from dashboard.core.store import glance
        from dashboard.core.store.config import ConfigError, load

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

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        from dashboard.core.store import glance

        worker = get_current_worker()
        # read before the tables: a write in between makes the saved key stale, never wrong
        sources = glance.read_sources(self.home)
        try:
            from dashboard.core.analysis.bundle import load_core, with_statistics

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

    def _poll_store(self) -> None:
        if self.bundle is None:
            from dashboard.core.store import glance

            # after a failed read, try again once the store or the config has changed
            if self.load_error and glance.read_sources(self.home) != self._failed_sources:
                self.reload()
            return
        from dashboard.core.analysis.bundle import QUIET_TABLES
        from dashboard.core.store.disk import Store

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
