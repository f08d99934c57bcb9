"""The Insomnia Severity Index questions as a modal: seven radio sets, saved or cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Static

if TYPE_CHECKING:
    pass


class IsiModal(ModalScreen[tuple[int, ...] | None]):
    """The seven ISI questions about the last two weeks; dismissed with the answers (0-4 each)
    on Save, with None on Escape."""

    BINDINGS = [
        Binding("escape", "isi_cancel", "Cancel", tooltip="Close; nothing is saved"),
        Binding("ctrl+s", "isi_save", "Save", tooltip="Save the answers"),
        *(Binding(str(v), f"isi_answer({v})", f"Answer {v}", show=False) for v in range(5)),
    ]

    CSS_PATH = "isi_modal.tcss"

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, week: str, answers: Sequence[int] | None = None) -> None:
        super().__init__()
        self._isi_week = week
        self._isi_given = tuple(answers) if answers is not None else None
        # The answers as chosen, kept here rather than read back from the RadioSets: a set's
        # pressed_index follows a chain of messages, so a ctrl+s typed right after the
        # digits would find the last answers not yet there.
        self._isi_chosen: dict[str, int] = (
            {f"isi-q{n}": v for n, v in enumerate(self._isi_given, 1)} if self._isi_given else {}
        )

    def compose(self) -> ComposeResult:
        from rich.text import Text

        from dashboard.core.clinical.isi import ISI_ITEMS

        with Vertical(id="isi-dialog"):
            yield Static(f"Insomnia Severity Index · review of {self._isi_week}", id="isi-head")
            yield Static(
                "About the last two weeks. tab: next question · ←→: move · enter: choose ·"
                " 0–4: answer and go on · ctrl+s: save · esc: cancel, nothing saved",
                id="isi-hint",
            )
            with VerticalScroll(id="isi-questions"):
                for n, (question, labels) in enumerate(ISI_ITEMS, 1):
                    yield Static(Text(f"{n}. {question}"), classes="isi-question")
                    given = self._isi_given[n - 1] if self._isi_given else None
                    yield RadioSet(
                        *(
                            RadioButton(Text(f"{v} {label}"), value=v == given)
                            for v, label in enumerate(labels)
                        ),
                        id=f"isi-q{n}",
                        # about 90 columns of answers do not fit on one line of the dialog
                        classes="-long" if sum(len(x) + 8 for x in labels) > 90 else "",
                    )
            with Horizontal(id="isi-foot"):
                yield Static("", id="isi-total")
                yield Button("Save", variant="primary", id="isi-save")
                yield Button("Cancel", id="isi-cancel")

    def on_mount(self) -> None:
        self.query_one("#isi-q1", RadioSet).focus()
        self._isi_show_total()

    def _isi_sets(self) -> list[RadioSet]:
        return list(self.query(RadioSet))

    def _isi_values(self) -> list[int | None]:
        return [self._isi_chosen.get(rs.id or "") for rs in self._isi_sets()]

    def _isi_show_total(self) -> None:
        from dashboard.core.clinical.isi import band_text, isi_band

        values = self._isi_values()
        left = [n for n, v in enumerate(values, 1) if v is None]
        if left:
            text = f"{len(values) - len(left)} of {len(values)} answered"
        else:
            total = sum(v for v in values if v is not None)
            text = f"Total [b]{total}/28[/b] · {band_text(isi_band(total))}"
        self.query_one("#isi-total", Static).update(text)

    @on(RadioSet.Changed)
    def _isi_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id is not None:
            self._isi_chosen[event.radio_set.id] = event.index
        self._isi_show_total()

    def action_isi_answer(self, value: int) -> None:
        focused = self.focused
        if not isinstance(focused, RadioSet):
            return
        buttons = list(focused.query(RadioButton))
        if 0 <= value < len(buttons) and focused.id is not None:
            self._isi_chosen[focused.id] = value
            buttons[value].value = True
            self._isi_show_total()
            self.focus_next()

    def action_isi_save(self) -> None:
        values = self._isi_values()
        missing = [n for n, v in enumerate(values, 1) if v is None]
        if missing:
            self.notify(
                "Answer question " + ", ".join(map(str, missing)) + " first.",
                severity="warning",
                timeout=4,
            )
            self.query_one(f"#isi-q{missing[0]}", RadioSet).focus()
            return
        self.dismiss(tuple(v for v in values if v is not None))

    def action_isi_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#isi-save")
    def _isi_save_pressed(self) -> None:
        self.action_isi_save()

    @on(Button.Pressed, "#isi-cancel")
    def _isi_cancel_pressed(self) -> None:
        self.action_isi_cancel()
