"""The preview of a dose or check-in sheet before it lands: its first rows as taperdash read
them, the count, the date range and how many were already there. Enter imports, Escape
leaves it (nothing written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from dashboard.core.store.preview import SheetPreview


class ImportPreview(ModalScreen[bool]):
    """Dismissed with True on Enter (import), False on Escape (leave it)."""

    BINDINGS = [
        # priority: nothing in the dialog may take Enter for itself
        Binding("enter", "confirm", "Import", tooltip="Import these rows", priority=True),
        Binding("escape", "leave", "Leave it", tooltip="Close; nothing is imported"),
    ]
    CSS_PATH = "import_preview.tcss"

    def __init__(self, sheets: list[SheetPreview]) -> None:
        super().__init__()
        self.sheets = sheets

    def compose(self) -> ComposeResult:
        from dashboard.core.store.preview import summary, table_lines

        with Vertical(id="preview-dialog"):
            first = self.sheets[0]
            yield Static(Text(f"Import {first.path}?"), id="preview-head")
            yield Static(
                Text("\n".join(f"{p.format}: {summary(p)}" for p in self.sheets)),
                id="preview-summary",
            )
            for p in self.sheets:
                head, *rows = table_lines(p)
                shown = Text(head, style="bold")
                for line in rows:
                    shown.append("\n" + line)  # Text: cells from the file are not markup
                yield Static(shown, classes="preview-rows")
            yield Static("enter: import · esc: leave it, nothing is written", id="preview-hint")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_leave(self) -> None:
        self.dismiss(False)
