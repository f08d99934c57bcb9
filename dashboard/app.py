"""The Textual app: one screen per mode, a bundle of frames loaded in a worker after the first
paint, and a watch on the store so a dose logged from a shell shows up here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.message import Message
from textual.reactive import reactive
from textual.worker import get_current_worker

from dashboard.screens import SCREENS

if TYPE_CHECKING:
    from dashboard.core.bundle import Bundle

REFRESH_SECONDS = 2.0


class ScreenCommands(Provider):
    """Every screen and app-wide action in the command palette."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, TaperdashApp)
        matcher = self.matcher(query)
        items = [(f"Go to {title}", f"switch_mode('{mode}')", f"Show the {title} screen") for mode, title, _ in SCREENS]
        items += [
            ("Reload data", "reload", "Read the store again"),
            ("Help: keys of this screen", "show_help_panel", "Show the keys"),
        ]
        for label, action, help_text in items:
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), lambda a=action: app.run_action(a), help=help_text)


class TaperdashApp(App[None]):
    TITLE = "taperdash"
    SUB_TITLE = "not medical advice"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    MODES = {mode: cls for mode, _, cls in SCREENS}
    # help and quit come first: with nine screens the footer is full, and it cuts from the right
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Help", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        *(
            Binding(str(i + 1), f"switch_mode('{mode}')", title, id=f"go-{mode}")
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
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, home: Path, demo: bool = False, pinned_today: str | None = None) -> None:
        super().__init__()
        self.home = Path(home)
        self.demo = demo
        self.pinned_today = pinned_today or os.environ.get("TAPERDASH_TODAY")
        if demo:
            self.sub_title = "demo history · not medical advice"

    def on_mount(self) -> None:
        self.switch_mode("today")
        # the first frame paints before any data is read
        self.call_after_refresh(self.reload)
        self.set_interval(REFRESH_SECONDS, self._poll_store)

    # -- data ----------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            from dashboard.core.bundle import load_core, with_statistics

            core = load_core(self.home, self.pinned_today)
            # the numbers first; links and per-step effects take a second more on years of data
            self.post_message(self.Loaded(core))
            if worker.is_cancelled:
                return
            bundle = with_statistics(core)
        except Exception as exc:  # shown on screen: the app must stay usable
            from dashboard.core.config import ConfigError
            from dashboard.core.errors import StoreError

            if not isinstance(exc, ConfigError | StoreError):
                raise
            self.post_message(self.LoadFailed(str(exc)))
            return
        if bundle is not core and not worker.is_cancelled:
            self.post_message(self.Loaded(bundle))

    def on_taperdash_app_loaded(self, message: Loaded) -> None:
        self.load_error = None
        self.bundle = message.bundle

    def on_taperdash_app_load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.error
        self.notify(message.error, title="Cannot read the data", severity="error", timeout=15)

    def _poll_store(self) -> None:
        if self.bundle is None:
            return
        from dashboard.core.bundle import QUIET_TABLES
        from dashboard.core.store import Store

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

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
