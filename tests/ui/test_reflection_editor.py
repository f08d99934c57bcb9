"""The reflection editor on its own, in a bare app, with a write that records instead of a store:
when it writes, to which week, and what it says when the write fails."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea

from dashboard.core.clinical.review.model import Reflection
from dashboard.core.errors import StoreError
from dashboard.screens.review.reflection import SAVE_DELAY_S, ReflectionEditor

EMPTY = Reflection("", "", "")


class Host(App[None]):
    def __init__(self, fail: Exception | None = None) -> None:
        super().__init__()
        self.writes: list[tuple[str, Reflection]] = []
        self.saved: list[str] = []
        self.fail = fail

    def write(self, week: str, reflection: Reflection) -> str:
        if self.fail is not None:
            raise self.fail
        self.writes.append((week, reflection))
        return "21:05:09"

    def compose(self) -> ComposeResult:
        yield ReflectionEditor(self.write)

    def on_reflection_editor_saved(self, message: ReflectionEditor.Saved) -> None:
        self.saved.append(message.week)


def status(app: Host) -> str:
    return str(app.query_one("#refl-status", Static).render())


async def test_a_pause_in_typing_writes_once_and_says_when() -> None:
    app = Host()
    async with app.run_test() as pilot:
        editor = app.query_one(ReflectionEditor)
        editor.load("2026-W23", Reflection("slept badly", "", ""))
        assert status(app) == "Reflection for 2026-W23."
        app.set_focus(editor.start_writing())
        await pilot.press(*" monday")
        assert app.writes == []  # not one write per key
        assert status(app) == "Reflection for 2026-W23: typing…"
        await pilot.pause(SAVE_DELAY_S + 0.3)
        assert app.writes == [("2026-W23", Reflection("slept badly monday", "", ""))]
        assert app.saved == ["2026-W23"]
        assert status(app) == "Reflection for 2026-W23 saved at 21:05:09."


async def test_loading_another_week_writes_the_one_being_left_first() -> None:
    app = Host()
    async with app.run_test() as pilot:
        editor = app.query_one(ReflectionEditor)
        editor.load("2026-W23", EMPTY)
        assert status(app) == "No reflection for 2026-W23 yet."
        app.set_focus(app.query_one("#refl-helped", TextArea))
        await pilot.press(*"walks")
        editor.load("2026-W22", Reflection("", "", "hold"))
        assert app.writes == [("2026-W23", Reflection("", "walks", ""))]
        assert app.query_one("#refl-helped", TextArea).text == ""
        assert app.query_one("#refl-next_plan", TextArea).text == "hold"
        # back again: the text written here, not the older text the caller still holds
        editor.load("2026-W23", EMPTY)
        assert app.query_one("#refl-helped", TextArea).text == "walks"
        await pilot.pause(SAVE_DELAY_S + 0.3)
        assert len(app.writes) == 1  # loading text is not an edit


async def test_quitting_mid_sentence_keeps_the_sentence() -> None:
    app = Host()
    async with app.run_test() as pilot:
        editor = app.query_one(ReflectionEditor)
        editor.load("2026-W23", EMPTY)
        app.set_focus(editor.start_writing())
        await pilot.press(*"call Sam")
    assert app.writes == [("2026-W23", Reflection("call Sam", "", ""))]


async def test_a_failed_write_says_so_and_is_tried_again() -> None:
    # square brackets in the message are text, not markup
    app = Host(fail=StoreError("/h/data: could not write [disk full]; nothing was changed"))
    async with app.run_test() as pilot:
        editor = app.query_one(ReflectionEditor)
        editor.load("2026-W23", EMPTY)
        app.set_focus(editor.start_writing())
        await pilot.press("x")
        editor.flush()
        assert status(app) == (
            "Could not save the reflection: /h/data: could not write [disk full]; nothing was changed"
        )
        assert app.saved == []
        app.fail = None
        editor.flush()  # still differs from the store: written now
        assert app.writes == [("2026-W23", Reflection("x", "", ""))]
        assert app.saved == []  # the message is handled on the next turn
        await pilot.pause()
        assert app.saved == ["2026-W23"]
