from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from dashboard.screens.base import DataScreen


class ImportsScreen(DataScreen):
    TITLE = "Imports"

    def compose_body(self) -> ComposeResult:
        yield Static("(coming)", id="placeholder")

    def show(self, bundle: object) -> None:
        pass
