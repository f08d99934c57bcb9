"""Pilot tests of the Review screen on the demo history, with today pinned to the demo's."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from dashboard.app import TaperdashApp
from dashboard.cli import main
from dashboard.core.store.disk import Store
from dashboard.screens.review.screen import ReviewScreen
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.review_helpers import open_review, settle
from widgets import StatTile

TODAY = DEMO_TODAY  # 2026-06-21, a Sunday: week 2026-W25
THIS_WEEK, LAST_WEEK, WEEK_BEFORE = "2026-W25", "2026-W24", "2026-W23"


@pytest.fixture
def review_home(demo_copy: Path) -> Path:
    # every test writes (reflections, exports): each gets its own copy of the built home
    return demo_copy


def title(screen: ReviewScreen) -> str:
    return str(screen.query_one("#screen-title", Static).render())


def tile_text(screen: ReviewScreen, tile_id: str) -> str:
    return screen.query_one(f"#{tile_id}", StatTile).value_text


def areas(screen: ReviewScreen) -> tuple[str, str, str]:
    t, h, n = (
        screen.query_one(f"#refl-{k}", TextArea).text for k in ("triggers", "helped", "next_plan")
    )
    return t, h, n


def stored(home: Path) -> dict[str, tuple[str, str, str]]:
    frame = Store(home).read("reflections")
    return {
        r["week"]: (r["triggers"], r["helped"], r["next_plan"]) for r in frame.iter_rows(named=True)
    }


async def move(app: TaperdashApp, pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)


async def test_brackets_move_a_week_and_stop_at_this_week(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        assert THIS_WEEK in title(screen)
        assert "Mon 15 Jun – Sun 21 Jun 2026" in title(screen)
        this_mean = tile_text(screen, "t-mean")
        assert this_mean == "1.82 g"

        await move(app, pilot, "left_square_bracket")
        assert LAST_WEEK in title(screen)
        assert "Mon 08 Jun" in title(screen)
        assert tile_text(screen, "t-mean") == "2.09 g"
        assert "computing" not in title(screen)

        await move(app, pilot, "[", "[")
        assert "2026-W22" in title(screen)

        await move(app, pilot, "t")
        assert THIS_WEEK in title(screen)
        assert tile_text(screen, "t-mean") == this_mean

        await move(app, pilot, "]")  # the running week is the last one
        assert THIS_WEEK in title(screen)


async def test_a_visited_week_redraws_from_the_cache(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        # the week before is computed once the screen has been still for a moment
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert LAST_WEEK in screen._rv_cache.reviews
        screen.action_prev_week()
        # drawn synchronously, with no worker round trip (nothing awaited in between)
        assert tile_text(screen, "t-mean") == "2.09 g"
        assert "computing" not in title(screen)
        await settle(app, pilot)


async def test_weeks_follow_a_sunday_start(review_home: Path) -> None:
    cfg = review_home / "config.toml"
    cfg.write_text('week_start = "sunday"\n' + cfg.read_text())
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        # the demo's today is a Sunday, the first day of a Sunday week: the review opens on
        # the week just finished, labelled like the ISO week of its Monday
        assert "2026-W25 · Sun 14 Jun – Sat 20 Jun 2026" in title(screen)
        assert "so far" not in title(screen)
        await move(app, pilot, "t")
        # today is its first day: no whole day of it yet
        assert title(screen).endswith("2026-W26 · Sun 21 Jun – Sat 27 Jun 2026  ·  this week")


async def test_on_a_monday_it_opens_on_the_week_just_finished(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today="2026-06-22")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        assert THIS_WEEK in title(screen)
        assert "so far" not in title(screen)
        await move(app, pilot, "t")
        assert title(screen).endswith("2026-W26 · Mon 22 Jun – Sun 28 Jun 2026  ·  this week")


async def test_first_week_is_the_floor(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        for _ in range(25):  # the demo starts on 2026-03-02, week 2026-W10
            screen.action_prev_week()
        await settle(app, pilot)
        assert "2026-W10" in title(screen)
        assert tile_text(screen, "t-mean") != "—"


async def test_reflection_is_saved_to_its_week_and_survives_a_restart(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("r", *"work stress")
        assert isinstance(app.focused, TextArea)
        # leave the field and move at once, well inside the save delay
        await pilot.press("escape", "left_square_bracket")
        await settle(app, pilot)
        assert LAST_WEEK in title(screen)
        assert stored(review_home)[THIS_WEEK] == ("work stress", "", "")
        assert areas(screen) == ("", "", "")

        await pilot.press("r", "tab", *"walks")
        await pilot.pause(0.8)  # the debounced save, without leaving the field
        assert stored(review_home)[LAST_WEEK] == ("", "walks", "")

        await pilot.press("escape", "right_square_bracket")
        await settle(app, pilot)
        assert areas(screen) == ("work stress", "", "")

        # the last words before quitting are saved too
        await pilot.press("r", "tab", "tab", *"hold")
    assert stored(review_home)[THIS_WEEK] == ("work stress", "", "hold")

    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        assert areas(screen) == ("work stress", "", "hold")
        await move(app, pilot, "left_square_bracket")
        assert areas(screen) == ("", "walks", "")


async def test_leaving_the_screen_saves_the_reflection(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("r", *"cravings at night", "escape", "1")
        assert stored(review_home)[THIS_WEEK][0] == "cravings at night"
        await pilot.press("6")
        await settle(app, pilot)
        assert app.screen is screen
        assert areas(screen)[0] == "cravings at night"


async def test_a_reload_keeps_text_being_typed(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("r", *"half a thought")
        app.reload()  # what the store poll does after our own save
        await settle(app, pilot)
        assert areas(screen)[0] == "half a thought"
        assert THIS_WEEK in screen._rv_cache.reviews  # same data: the cache survives the reload


async def test_a_new_dose_recomputes_only_the_weeks_it_touches(review_home: Path) -> None:
    from dashboard.core.clock import effective_now, offset_min
    from dashboard.core.store import config, doses

    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.pause(0.5)  # the week before gets prefetched
        await settle(app, pilot)
        kept = screen._rv_cache.reviews[LAST_WEEK]
        assert tile_text(screen, "t-mean") == "1.82 g"

        tz = config.load(review_home).zone()
        now = effective_now(tz, dt.date.fromisoformat(TODAY))
        taken = dt.datetime(2026, 6, 20, 12, 0, tzinfo=tz).astimezone(dt.UTC)
        dose = doses.DoseInput(grams=3.0, taken_at=taken, utc_offset_min=offset_min(taken, tz))
        doses.add(Store(review_home), doses.validate(dose, now), now)
        app.reload()
        await settle(app, pilot)

        assert tile_text(screen, "t-mean") == "2.32 g"  # (10.9 + 3) g over 6 days
        assert screen._rv_cache.reviews[LAST_WEEK] is kept


async def test_export_writes_private_markdown_and_svg(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("r", *"stress", "escape", "e")
        await pilot.pause()
        await pilot.pause()
    folder = review_home / "exports"
    md, svg = folder / f"review-{THIS_WEEK}.md", folder / f"review-{THIS_WEEK}.svg"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (md, svg):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    text = md.read_text()
    assert text.startswith(f"# Weekly review {THIS_WEEK}")
    assert "- **Triggers:** stress" in text
    assert "Not medical advice" in text
    picture = svg.read_text()
    assert picture.lstrip().startswith("<svg")
    # the picture is of the numbers, though the reflection was on screen when e was pressed
    assert "plan/day" in picture


async def test_export_is_the_review_the_command_line_prints(
    review_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("e")
        await pilot.pause()
    exported = (review_home / "exports" / f"review-{THIS_WEEK}.md").read_text()

    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    capsys.readouterr()
    args = ["--home", str(review_home), "review", "--week", THIS_WEEK, "--format", "markdown"]
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == exported.strip()


async def test_narrow_terminal_scrolls(review_home: Path) -> None:
    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.has_class("-narrow")
        body = screen.query_one("#body")
        assert body.max_scroll_y > 0
        # every tile keeps a readable width
        assert all(tile.outer_size.width >= 12 for tile in screen.query(StatTile))
        assert all(tile.region.right <= 80 for tile in screen.query(StatTile))
        await pilot.press("r")
        assert screen.query_one("#refl-triggers", TextArea).region.bottom <= 24


def test_the_screen_loads_without_polars() -> None:
    # start-up budget: polars is imported by the workers that need it, not by the screen
    code = "import sys, dashboard.screens.review.screen; assert 'polars' not in sys.modules"
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2]
    )


async def test_reviews_wait_for_the_bundle_with_the_links(review_home: Path) -> None:
    # the app posts the bundle in two steps; the links come in the second
    from dashboard.core.views.bundle import load_core, with_statistics

    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        core = load_core(review_home, TODAY)
        assert not core.complete and not core.links
        screen._rv_cache.reviews.clear()  # as if this week had not been computed yet
        screen.show(core)
        await settle(app, pilot)
        assert THIS_WEEK not in screen._rv_cache.reviews
        assert "computing" in title(screen)
        screen.show(with_statistics(core))
        await settle(app, pilot)
        assert "computing" not in title(screen)
        assert screen._rv_cache.reviews[THIS_WEEK].links  # computed with the links, not without


async def test_weeks_ahead_are_computed_only_while_the_review_is_shown(
    review_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.core.analysis import links
    from dashboard.core.weeks import previous_week

    real = links.compute_links

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)  # as on years of data
        return real(*args, **kwargs)

    app = TaperdashApp(home=review_home, pinned_today=TODAY)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(app, pilot)
        await settle(app, pilot)
        monkeypatch.setattr(links, "compute_links", slow)
        ws = screen._rv_week_start()
        assert screen._rv_week is not None
        w1 = previous_week(screen._rv_week, ws)
        w2 = previous_week(w1, ws)
        for week in (w1, w2):
            screen._rv_cache.reviews.pop(week, None)
        screen._rv_cache.links.clear()
        screen._rv_launch([w1, w2])  # weeks ahead, as the prefetch starts them
        assert screen._rv_cache.pending == {w1, w2}
        await pilot.press("1")
        await pilot.pause()
        assert not screen._rv_cache.pending
        await pilot.pause(1.5)
        await app.workers.wait_for_complete()
        # the week in hand when it was cancelled may still land; the one after it does not
        assert w2 not in screen._rv_cache.reviews
        await pilot.press("6")
        for _ in range(200):  # back on the screen: the weeks ahead are computed after all
            await pilot.pause(0.05)
            if w2 in screen._rv_cache.reviews:
                break
        assert w2 in screen._rv_cache.reviews
