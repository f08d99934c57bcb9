"""Pilot tests of the Review screen's Insomnia Severity Index (due line, the `i` modal, the
latest band and trend) and its per-step before/after table, on the demo history with today
pinned to the demo's (Sunday 2026-06-21, week 2026-W25; the demo has no ISI answers)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import RadioSet, Static

from dashboard.app import TaperdashApp
from dashboard.core.clinical.isi import save_isi
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import ISI_COLUMNS
from dashboard.screens.review.isi_modal import IsiModal
from dashboard.screens.review.screen import ReviewScreen
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.review_helpers import open_review, settle

TODAY = DEMO_TODAY
THIS_WEEK, LAST_WEEK = "2026-W25", "2026-W24"
DUE = "Insomnia Severity Index due (it asks about the last two weeks): press i"
# answers of the seven items, pressed as digits: 2+1+3+2+1+2+4 = 15, moderate
ANSWERS = (2, 1, 3, 2, 1, 2, 4)
NOW = dt.datetime(2026, 6, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def home(demo_copy: Path) -> Path:
    return demo_copy


def isi_text(screen: ReviewScreen) -> str:
    return str(screen.query_one("#isi", Static).render())


def steps_text(screen: ReviewScreen) -> str:
    console = Console(file=io.StringIO(), width=100, record=True, color_system=None)
    console.print(screen.query_one("#steps", Static).content)
    return console.export_text()


def isi_rows(home: Path) -> list[dict[str, object]]:
    return list(Store(home).read("isi").iter_rows(named=True))


async def test_the_due_line_shows_on_a_due_week(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        assert THIS_WEEK in str(screen.query_one("#screen-title", Static).render())
        text = isi_text(screen)
        assert DUE in text
        assert "No ISI answered yet." in text


async def test_answering_with_digits_writes_one_row_and_shows_the_band(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IsiModal)
        assert app.focused is app.screen.query_one("#isi-q1", RadioSet)
        # each digit answers the focused question and moves on to the next
        await pilot.press(*(str(v) for v in ANSWERS))
        assert "Total 15/28 · moderate clinical insomnia" in str(
            app.screen.query_one("#isi-total", Static).render()
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen

        rows = isi_rows(home)
        assert len(rows) == 1
        row = rows[0]
        assert row["week"] == THIS_WEEK
        assert row["total"] == 15
        assert tuple(row[c] for c in ISI_COLUMNS) == ANSWERS
        assert row["date"] == dt.date.fromisoformat(TODAY)

        text = isi_text(screen)
        assert DUE not in text
        assert "Latest 15/28 · moderate clinical insomnia · 2026-W25" in text
        assert "Next due in 2026-W27." in text


async def test_arrows_enter_tab_and_the_save_button(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        for value in (1, 0, 0, 2, 0, 1, 1):  # total 5, no clinically significant insomnia
            await pilot.press(*(["right"] * value), "enter", "tab")
        # focus is on Save after the last question: enter presses it
        assert app.focused is app.screen.query_one("#isi-save")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        rows = isi_rows(home)
        assert [r["total"] for r in rows] == [5]
        assert "5/28 · no clinically significant insomnia" in isi_text(app.screen)


async def test_save_refuses_unanswered_questions(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("i", "1", "1", "ctrl+s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, IsiModal)  # still open, on the first unanswered question
        assert app.focused is modal.query_one("#isi-q3", RadioSet)
        assert isi_rows(home) == []


async def test_escape_writes_nothing(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("i", *(str(v) for v in ANSWERS))
        assert isinstance(app.screen, IsiModal)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert isi_rows(home) == []
        assert DUE in isi_text(screen)


async def test_the_trend_shows_the_earlier_answer(home: Path) -> None:
    # answered two weeks before, on Sunday 07 Jun (week 2026-W23): 12, subthreshold
    save_isi(Store(home), dt.date(2026, 6, 7), (2, 2, 2, 2, 2, 1, 1), NOW)
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        text = isi_text(screen)
        assert DUE in text  # W24 and W25 have no answer: due again
        assert "Latest 12/28 · subthreshold insomnia · 2026-W23" in text

        await pilot.press("i", "1", "1", "2", "2", "1", "1", "1", "ctrl+s")  # 9
        await settle(app, pilot)
        text = isi_text(screen)
        assert "Latest 9/28 · subthreshold insomnia · 2026-W25" in text
        assert "−3 since the one before" in text
        assert "Trend: 12 (07 Jun) → 9 (21 Jun)" in text
        assert len(isi_rows(home)) == 2


async def test_a_week_after_an_answer_is_not_due(home: Path) -> None:
    save_isi(Store(home), dt.date(2026, 6, 14), (1, 1, 1, 1, 1, 1, 1), NOW)  # W24: 7
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        text = isi_text(screen)
        assert DUE not in text
        assert "Latest 7/28 · no clinically significant insomnia · 2026-W24" in text
        assert "Next due in 2026-W26." in text
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is screen  # nothing to answer this week


async def test_an_earlier_week_is_not_answered_in_hindsight(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        text = isi_text(screen)
        assert "was due in 2026-W23 and was not answered" in text
        assert "press i" not in text
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is screen


async def test_answering_again_this_week_corrects_the_answer(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("i", *(str(v) for v in ANSWERS), "ctrl+s")
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, IsiModal)
        # the stored answers are filled in
        assert [rs.pressed_index for rs in modal.query(RadioSet)] == list(ANSWERS)
        await pilot.press("0", "ctrl+s")  # the first item 2 -> 0
        await settle(app, pilot)
        rows = isi_rows(home)
        assert [r["total"] for r in rows] == [13]


async def test_saving_an_isi_keeps_the_cached_reviews(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.pause(0.5)  # the week before gets prefetched
        await settle(app, pilot)
        kept = screen._rv_cache.reviews[LAST_WEEK]
        links = dict(screen._rv_cache.links)
        await pilot.press("i", *(str(v) for v in ANSWERS), "ctrl+s")
        await settle(app, pilot)  # includes the reload the save asks for
        # the week before does not see an answer given after it: not recomputed at all
        assert screen._rv_cache.reviews[LAST_WEEK] is kept
        assert screen._rv_cache.links == links
        review = screen._rv_cache.reviews[THIS_WEEK]
        assert review.isi is not None and review.isi.latest_total == 15
        assert "computing" not in str(screen.query_one("#screen-title", Static).render())


async def test_the_step_table_shows_the_demo_steps(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        text = steps_text(screen)
        for heading in ("Step", "Dose", "Asleep", "Efficiency", "Withdrawal", "Cravings"):
            assert heading in text
        # the weekly steps of the last four weeks, oldest first
        days = ["Mon 25 May", "Mon 01 Jun", "Mon 08 Jun", "Mon 15 Jun"]
        positions = [text.index(day) for day in days]
        assert positions == sorted(positions)
        assert "3.50 → 3.00 g" in text
        assert "2.00 → 1.75 g" in text
        assert "+15 min" in text  # 25 May: asleep +15 min (−23…+50, n 7/7)
        assert "−23…+50  n 7/7" in text
        # only the last step's week after is still running
        assert text.count("running") == 1
        assert text.index("running") > text.index("Mon 15 Jun")

        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        text = steps_text(screen)
        # seen from the end of W24, the step of 08 Jun had not had its week after yet
        assert "Mon 18 May" in text
        assert "Mon 15 Jun" not in text
        assert text.count("running") == 1
        assert text.index("running") > text.index("Mon 08 Jun")


async def test_an_answer_from_the_shell_shows_after_a_reload(home: Path) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.pause(0.5)  # the week before gets prefetched
        await settle(app, pilot)
        kept = screen._rv_cache.reviews[LAST_WEEK]
        # what `taperdash isi` does from another terminal; the store poll then reloads
        save_isi(Store(home), dt.date.fromisoformat(TODAY), (0, 0, 1, 1, 1, 0, 0), NOW)
        app.reload()
        await settle(app, pilot)
        assert "Latest 3/28 · no clinically significant insomnia · 2026-W25" in isi_text(screen)
        assert screen._rv_cache.reviews[LAST_WEEK] is kept


async def test_save_right_after_fast_digits_takes_every_answer(home: Path) -> None:
    # typed (or pasted) faster than the RadioSets pass their messages on: no key waits here
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, IsiModal)
        for value in ANSWERS:
            modal.action_isi_answer(value)
        modal.action_isi_save()
        await settle(app, pilot)
        assert [r["total"] for r in isi_rows(home)] == [15]
