"""The pattern every screen follows: a title line, a body, the footer; data arrives through
the app's `bundle` reactive and is handed down to widgets as plain values."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from dashboard.screens.chrome import KeysFooter, NavLine

if TYPE_CHECKING:
    from dashboard.app import TaperdashApp
    from dashboard.core.views.bundle import Bundle

FIRST_RUN = """\
[b]Nothing here yet.[/b] taperdash fills up as you log and import:

  • log a dose on the Today screen (press 1), or from a shell:  taperdash log 3.5
  • do the daily check-in on the Today screen, or:  taperdash checkin --cravings 3 --mood 6
  • bring in your wearable's export on the Imports screen (press 7), or:
        taperdash import ~/Downloads/garmin-export.zip
  • set a taper plan on the Taper screen (press 2, then p), or:
        taperdash plan set --start-dose 12 --rate 10

Want to look around first?  taperdash --demo
"""


# keys a text field uses for editing
TEXT_KEYS = frozenset({"delete", "backspace", "left", "right", "home", "end", "space"})


class DataScreen(Screen[None]):
    """Subclasses set TITLE and implement `compose_body` and `show(bundle)`."""

    # esc out of a text field (back to the screen's keys) or, outside one, out of the ? panel:
    # one key, two bindings, so the footer names the one it will do
    BINDINGS = [
        Binding("escape", "leave_field", "Leave field", key_display="esc"),
        Binding("escape", "close_help", "Close help", key_display="esc"),
    ]

    TITLE: ClassVar[str] = ""
    NEEDS_DATA: ClassVar[bool] = True  # show the first-run text on an empty home

    def compose(self) -> ComposeResult:
        yield NavLine(f"{type(self).__module__}:{type(self).__name__}", id="nav", classes="nav")
        yield Static(self.TITLE, classes="screen-title", id="screen-title")
        yield Static("Loading…", classes="empty-help muted", id="loading")
        with VerticalScroll(id="body"):
            yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def tapp(self) -> TaperdashApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.query_one("#body").display = False
        self.watch(self.app, "bundle", self._bundle_changed, init=True)

    def _bundle_changed(self, bundle: Bundle | None) -> None:
        loading = self.query_one("#loading", Static)
        body = self.query_one("#body")
        if bundle is None:
            loading.display, body.display = True, False
            return
        if self.NEEDS_DATA and bundle.is_empty:
            loading.update(FIRST_RUN)
            loading.display, body.display = True, False
            return
        loading.display, body.display = False, True
        self.show(bundle)

    def show(self, bundle: Bundle) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key the focused text field takes as text (letters, digits, delete…) does not run
        the screen's action there, so the footer does not offer it; esc is offered instead."""
        from dashboard.app import typing_in

        typing = typing_in(self.focused)
        if action == "leave_field":
            return typing
        if action == "close_help":
            return not typing and bool(self.query("HelpPanel"))
        return not (typing and action in self._text_key_actions())

    def _text_key_actions(self) -> set[str]:
        from textual.keys import key_to_character

        return {
            binding.action
            for key, binding in self._bindings
            if key in TEXT_KEYS or (key != "escape" and key_to_character(key) is not None)
        }

    def focus_field(self, field: Widget) -> None:
        """Focus `field` now rather than on the next idle (Widget.focus): bound with
        priority=True, the action runs before the app reads the next key, so `l1.5⏎` in one
        burst types 1.5 into the field instead of switching to screen 1 and 5."""
        self.set_focus(field)

    def action_leave_field(self) -> None:
        # out of a text field, the digit keys switch screens again
        self.set_focus(None)

    def action_close_help(self) -> None:
        self.app.action_hide_help_panel()
