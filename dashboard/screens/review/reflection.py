"""The week's reflection: three text areas, written to the store as they are typed."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.markup import escape
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

if TYPE_CHECKING:
    from dashboard.core.clinical.review.model import Reflection

SAVE_DELAY_S = 0.5  # typing pauses shorter than this are one save, not one per key
FIELDS = (
    ("triggers", "Triggers this week", "what set off cravings or a harder day…"),
    ("helped", "What helped", "walks, magnesium, calling someone…"),
    ("next_plan", "Plan for next week", "the step, the hold, what to try…"),
)

# Writes one week's reflection; returns the local time it was saved at, for the status line.
# Raises StoreError or OSError when it could not.
Write = Callable[[str, "Reflection"], str]


class ReflectionEditor(Vertical):
    """One week's reflection at a time. The text is written after a pause in typing, when the
    week is left (`load`), when the owner asks (`flush`) and when the editor is unmounted, so
    quitting mid-sentence keeps the sentence. Each write posts `Saved`."""

    class Saved(Message):
        def __init__(self, week: str, reflection: Reflection) -> None:
            super().__init__()
            self.week = week
            self.reflection = reflection

    def __init__(self, write: Write, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._write = write
        self._week: str | None = None  # the week the areas hold
        self._stored: dict[str, Reflection] = {}  # what the store holds, per week written here
        self._draft: Reflection | None = None  # the areas' text, for when they are gone
        self._timer: Timer | None = None
        self._status_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="reflection"):
            for key, label, placeholder in FIELDS:
                with Vertical():
                    yield Label(label)
                    yield TextArea(
                        id=f"refl-{key}",
                        soft_wrap=True,
                        tab_behavior="focus",
                        placeholder=placeholder,
                    )
        yield Static("", id="refl-status", classes="muted")

    @property
    def week(self) -> str | None:
        return self._week

    def load(self, week: str, stored: Reflection) -> None:
        """Show `week`, whose reflection in the store is `stored` (unless written here since);
        the text typed for the week being left is written first."""
        self.flush()
        stored = self._stored.setdefault(week, stored)
        self._week = week
        self._draft = stored
        for area, text in zip(
            self._areas(), (stored.triggers, stored.helped, stored.next_plan), strict=True
        ):
            if area.text != text:
                area.load_text(text)
        self._status(
            f"Reflection for {week}."
            if any(dataclasses.astuple(stored))
            else f"No reflection for {week} yet."
        )

    def typed(self) -> Reflection | None:
        """The text in the areas now; while the editor is torn down, the last text seen."""
        from dashboard.core.clinical.review.model import Reflection

        try:
            triggers, helped, next_plan = (area.text for area in self._areas())
        except NoMatches:
            return self._draft
        self._draft = Reflection(triggers=triggers, helped=helped, next_plan=next_plan)
        return self._draft

    def start_writing(self) -> TextArea:
        """The first area, its cursor at the end: carry on writing, not in front of last time."""
        area = self.query_one("#refl-triggers", TextArea)
        area.move_cursor(area.document.end)
        return area

    def flush(self) -> None:
        """Write the areas to their week now, if they differ from what is stored."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        week = self._week
        typed = self.typed()
        if week is None or typed is None or typed == self._stored.get(week):
            return
        from dashboard.core.errors import StoreError

        try:
            at = self._write(week, typed)
        except (StoreError, OSError) as exc:
            self._status(f"[$text-error]Could not save the reflection: {escape(str(exc))}[/]")
            self.notify(
                str(exc), title="Reflection not saved", severity="error", timeout=10, markup=False
            )
            return
        self._stored[week] = typed
        self._status(f"Reflection for {week} saved at {at}.")
        self.post_message(self.Saved(week, typed))

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        week = self._week
        # load_text posts Changed too: only text that differs from the store is an edit
        if week is None or self.typed() == self._stored.get(week):
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY_S, self.flush)
        self._status(f"Reflection for {week}: typing…")

    def on_unmount(self) -> None:
        self.flush()

    def _areas(self) -> list[TextArea]:
        return [self.query_one(f"#refl-{key}", TextArea) for key, _, _ in FIELDS]

    def _status(self, text: str) -> None:
        # Every keystroke reports "typing…": an update of the same text would still lay out
        # the whole screen again.
        if text == self._status_text:
            return
        self._status_text = text
        # while the editor is going away the line may be gone; the save is what matters
        with contextlib.suppress(NoMatches):
            self.query_one("#refl-status", Static).update(text)
