from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Markdown

from dashboard.screens.base import DataScreen

ABOUT = """\
# About taperdash

**taperdash is a personal record-keeping tool, not medical advice.** It does not diagnose,
treat or prescribe. The advisor repeats general tapering guidance (small steps of 10–20 % a
week, holds when withdrawal or sleep get bad, no sudden drops); it cannot know your health.
Talk to a doctor or pharmacist before changing how you take any substance, and get help at
once if withdrawal is severe: seizures, chest pain, fainting, thoughts of harming yourself.

The links it shows are associations in your own data, with their uncertainty and how many
days they rest on. They are not proof of cause.

Your data stays on this machine: taperdash makes no network connections, and its folder is
readable by you alone.

Keys: `1`–`9` switch screens, `?` shows the keys of this screen, `ctrl+p` opens the command
palette, `q` quits. The mouse works too.
"""


class AboutScreen(DataScreen):
    TITLE = "About"
    NEEDS_DATA = False

    def compose_body(self) -> ComposeResult:
        yield Markdown(ABOUT, id="about")

    def show(self, bundle: object) -> None:
        home = getattr(bundle, "home", None)
        if home is not None:
            self.query_one("#about", Markdown).update(ABOUT + f"\nData folder: `{home}`\n")
