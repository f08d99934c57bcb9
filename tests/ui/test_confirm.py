"""The yes/no dialogs in a bare app: which keys answer what, and a long detail wraps inside
the dialog at 80 columns instead of running off its edge."""

from __future__ import annotations

import pytest
from textual.app import App

from dashboard.screens.confirm import Confirm, Doubt

DETAIL = "25 g is 25x the largest tea dose of the four weeks before (1 g): a typo for 2.5 g?"


class Host(App[None]):
    def __init__(self, dialog: Confirm) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


@pytest.mark.parametrize(
    ("dialog", "key", "answer"),
    [
        (Confirm, "enter", True),
        (Confirm, "y", True),
        (Confirm, "escape", False),
        (Doubt, "enter", False),  # the Enter that submitted the form, typed twice
        (Doubt, "n", False),
        (Doubt, "y", True),
    ],
)
async def test_keys_answer(dialog: type[Confirm], key: str, answer: bool) -> None:
    app = Host(dialog("Log 25 g?", DETAIL, "keys"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
    assert app.answers == [answer]


async def test_a_long_detail_wraps_inside_the_dialog_at_80_columns() -> None:
    app = Host(Doubt("Log 25 g?", DETAIL, "y: log it    n / Esc / Enter: back to the form"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#confirm-dialog").content_region
        detail = app.screen.query_one("#confirm-detail")
        assert detail.region.right <= box.right
        assert detail.region.height == 2
