"""A yes/no question in a small dialog: y or Enter says yes, n or Escape says no; a `Doubt`
takes only y for yes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class Confirm(ModalScreen[bool]):
    """Dismissed with True (y, Enter) or False (n, Escape). `question` and `detail` are plain
    text: a strain or a note is the person's words, never markup."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", priority=True),
        Binding("n,escape", "answer(False)", "No", priority=True),
    ]

    CSS_PATH = "confirm.tcss"

    def __init__(self, question: str, detail: str, keys: str) -> None:
        super().__init__()
        self._question, self._detail, self._keys = question, detail, keys

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Text(self._question), id="confirm-question")
            yield Static(Text(self._detail), id="confirm-detail")
            yield Static(Text(self._keys), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Doubt(Confirm):
    """A question about something that looks wrong: only y says yes. Enter says no, because
    the Enter that submitted the form is often typed twice."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", priority=True),
        Binding("n,escape,enter", "answer(False)", "No", priority=True),
    ]
