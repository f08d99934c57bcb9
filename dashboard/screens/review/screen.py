"""Review: the weekly review walked with the keyboard (`[` `]` move a week, `t` back to this
one), a reflection saved as it is typed, and an export for the clinician (Markdown + SVG).
Every second week it offers the Insomnia Severity Index (`i` opens the questions), and it
shows the before/after of the recent taper steps.

Reviews are computed in a thread worker and cached per week for the loaded data, so moving
through weeks already seen redraws at once; the widgets keep the last review until the next
one arrives, so nothing flashes blank.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from dashboard.screens.base import DataScreen
from dashboard.screens.review.cache import (
    WeekCache,
    _first_changed_day,
    _first_isi_week,
    _isi_answers,
)
from dashboard.screens.review.isi_modal import IsiModal
from dashboard.screens.review.reflection import ReflectionEditor
from dashboard.screens.review.text import (
    _diff,
    _escape,
    _hm,
    _isi_text,
    _links_text,
    _next_text,
    _steps_table,
    _x100,
)
from widgets import StatTile

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

    from dashboard.core.analysis.links import Link
    from dashboard.core.clinical.isi import IsiSummary
    from dashboard.core.clinical.review.model import Reflection, WeeklyReview
    from dashboard.core.views.bundle import Bundle

PREFETCH_DELAY_S = 0.3  # the weeks before are computed once the screen has been still this long
PREFETCH_WEEKS = (
    3  # how many weeks back: ~0.5 s each on five years, so a few `[` in a row are instant
)


class ReviewScreen(DataScreen):
    TITLE = "Review"
    # Side by side from 100 columns; below that every group takes the full width and scrolls.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    # ids let a keymap (App.set_keymap) move these keys
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "prev_week",
            "Prev week",
            key_display="[",
            tooltip="The week before",
            id="review.prev-week",
        ),
        Binding(
            "right_square_bracket",
            "next_week",
            "Next week",
            key_display="]",
            tooltip="The week after (up to this week)",
            id="review.next-week",
        ),
        Binding(
            "t", "this_week", "This week", tooltip="Back to the running week", id="review.this-week"
        ),
        Binding(
            "r",
            "focus_reflection",
            "Reflect",
            tooltip="Write this week's reflection (saved as you type; esc leaves the field)",
            id="review.reflect",
            priority=True,  # focused before the next key: a burst after r is text
        ),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="Markdown and an SVG screenshot into the home's exports/ folder"
            " (the demo: taperdash-demo-exports/ in the current folder)",
            id="review.export",
        ),
        Binding(
            "i",
            "isi",
            "ISI",
            tooltip="Answer the Insomnia Severity Index (every second week, about the last two)",
            id="review.isi",
        ),
    ]

    CSS_PATH = "review.tcss"

    class Computed(Message):
        """A worker's review of one week (and the links it computed on the way)."""

        def __init__(
            self,
            generation: int,
            week: str,
            review: WeeklyReview,
            links: dict[dt.date, list[Link]],
            isi: pl.DataFrame | None,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.week = week
            self.review = review
            self.links = links
            self.isi = isi  # the isi table the review was computed with

    # -- layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Vertical(classes="group", id="grp-dose"):
            yield Static(
                "Dose  [dim]leaf-gram eq. · ▲▼ vs previous week[/dim]", classes="group-title"
            )
            with Horizontal(classes="rv-tiles", id="dose-tiles"):
                yield StatTile(
                    "total",
                    unit="g",
                    value_format=".1f",
                    delta_suffix=" g",
                    higher_is_better=False,
                    id="t-total",
                )
                yield StatTile(
                    "daily mean",
                    unit="g",
                    value_format=".2f",
                    delta_suffix=" g vs plan",
                    higher_is_better=False,
                    id="t-mean",
                )
                yield StatTile(
                    "plan/day", unit="g", value_format=".2f", higher_is_better=None, id="t-plan"
                )
                yield StatTile(
                    "change", unit="%", value_format="+.1f", higher_is_better=None, id="t-change"
                )
                yield StatTile(
                    "max single",
                    unit="g",
                    value_format=".2f",
                    delta_suffix=" g",
                    higher_is_better=False,
                    id="t-max",
                )
                yield StatTile("doses/day", value_format=".1f", higher_is_better=False, id="t-freq")
        with Horizontal(classes="review-row"):
            with Vertical(classes="group", id="grp-sleep"):
                yield Static("Sleep", classes="group-title")
                with Horizontal(classes="rv-tiles"):
                    yield StatTile("nights", higher_is_better=None, id="t-nights")
                    yield StatTile("asleep, mean", delta_suffix=" min", id="t-asleep")
                    yield StatTile(
                        "efficiency", unit="%", value_format=".0f", delta_suffix=" pp", id="t-eff"
                    )
                    yield StatTile(
                        "insomnia", unit="nights", higher_is_better=False, id="t-insomnia"
                    )
            with Vertical(classes="group", id="grp-symptoms"):
                yield Static("Symptoms", classes="group-title")
                with Horizontal(classes="rv-tiles"):
                    yield StatTile(
                        "withdrawal", value_format=".1f", higher_is_better=False, id="t-withdrawal"
                    )
                    yield StatTile(
                        "cravings", value_format=".1f", higher_is_better=False, id="t-cravings"
                    )
        yield Static(
            "Insomnia questionnaire  [dim]ISI · every second week · 0–28[/dim]",
            classes="group-title section-title",
        )
        yield Static("", id="isi")
        with Horizontal(classes="review-row"):
            with Vertical(classes="group", id="grp-activity"):
                yield Static("Activity", classes="group-title")
                with Horizontal(classes="rv-tiles"):
                    yield StatTile(
                        "exercise",
                        unit="min",
                        value_format=",.0f",
                        delta_suffix=" min",
                        id="t-exercise",
                    )
                    yield StatTile("steps/day", value_format=",.0f", id="t-steps")
            with Vertical(classes="group", id="grp-next"):
                yield Static("Next week", classes="group-title")
                yield Static("", id="next")
        yield Static(
            "Taper steps  [dim]week after − week before · 95 % interval · n days before/after[/dim]",
            classes="group-title section-title",
        )
        yield Static("", id="steps")
        yield Static("Flags", classes="group-title section-title")
        yield Static("", id="flags")
        yield Static("Links that changed", classes="group-title section-title")
        yield Static("", id="links")
        yield Static(
            "Reflection  [dim]r to write · saved as you type · esc leaves the field[/dim]",
            classes="group-title section-title",
        )
        yield ReflectionEditor(self._rv_write)

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rv_bundle: Bundle | None = None
        self._rv_week: str | None = None  # the week asked for (title, reflection)
        self._rv_shown: str | None = None  # the week whose numbers the tiles hold
        self._rv_cache = WeekCache()
        self._rv_prefetch_timer: Timer | None = None
        self._rv_isi: pl.DataFrame | None = None  # the isi table the cached reviews reflect

    # -- weeks -----------------------------------------------------------------------------
    def _rv_week_start(self) -> str:
        assert self._rv_bundle is not None
        return self._rv_bundle.config.week_start

    def _rv_current_week(self) -> str:
        from dashboard.core.weeks import week_of

        assert self._rv_bundle is not None
        return week_of(self._rv_bundle.today, self._rv_week_start())

    def _rv_first_week(self) -> str:
        from dashboard.core.weeks import week_of

        assert self._rv_bundle is not None
        daily = self._rv_bundle.daily
        first = daily["date"].min() if daily.height else None
        return (
            week_of(first, self._rv_week_start())
            if isinstance(first, dt.date)
            else self._rv_current_week()
        )

    def _rv_go(self, week: str) -> None:
        if self._rv_bundle is None or week == self._rv_week:
            return
        self._rv_week = week
        self._rv_load_reflection()  # the typed text is written to the week being left first
        self._rv_request()

    def action_prev_week(self) -> None:
        if self._rv_week is None:
            return
        from dashboard.core.weeks import previous_week

        if self._rv_week <= self._rv_first_week():
            self.notify("This is the first week with data.", timeout=2)
            return
        self._rv_go(previous_week(self._rv_week, self._rv_week_start()))

    def action_next_week(self) -> None:
        if self._rv_week is None:
            return
        from dashboard.core.weeks import next_week

        if self._rv_week >= self._rv_current_week():
            self.notify("This is the running week; the next has not started.", timeout=2)
            return
        self._rv_go(next_week(self._rv_week, self._rv_week_start()))

    def action_this_week(self) -> None:
        if self._rv_bundle is not None:
            self._rv_go(self._rv_current_week())

    def action_focus_reflection(self) -> None:
        editor = self.query_one(ReflectionEditor)
        if editor.week is None:
            return  # no data shown yet: text typed now would belong to no week
        self.focus_field(editor.start_writing())
        self.query_one("#reflection").scroll_visible()

    # -- data ------------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        old, self._rv_bundle = self._rv_bundle, bundle
        changed = _first_changed_day(old, bundle)
        if changed is not None:
            # A review of a week, and links up to a day, depend on the rows up to then only:
            # a dose logged today keeps every earlier week, and the links behind it, cached.
            self._rv_cache.forget_from(changed, bundle.config.week_start)
        # ISI answers are not daily rows: the reviews kept get the new answers' summary
        self._rv_isi_update(bundle.tables.get("isi"))
        current = self._rv_current_week()
        if self._rv_week is None:
            # Like `taperdash review`: the week holding yesterday, so on the first morning of
            # a week the review opens on the week just finished, not on an empty one.
            from dashboard.core.weeks import week_of

            self._rv_week = week_of(bundle.today - dt.timedelta(days=1), bundle.config.week_start)
        if self._rv_week > current:
            self._rv_week = current
        if self._rv_week < (first := self._rv_first_week()):
            self._rv_week = first
        if self.query_one(ReflectionEditor).week != self._rv_week:
            self._rv_load_reflection()
        self._rv_request()

    def _rv_request(self) -> None:
        week = self._rv_week
        bundle = self._rv_bundle
        if week is None or bundle is None:
            return
        review = self._rv_cache.reviews.get(week)
        if review is not None:
            self._rv_render(review)
            self._rv_prefetch(week)
            return
        self._rv_title(week, computing=True)
        # the numbers of the week before stay up, faded, until this week's arrive
        self.query_one("#body").add_class("-stale")
        if week not in self._rv_cache.pending:
            self._rv_launch([week])

    def _rv_neighbours(self, week: str) -> list[str]:
        """The PREFETCH_WEEKS weeks before, but those cached, on their way or before the data:
        `[` is the usual next key, and the weeks after were seen on the way here."""
        from dashboard.core.weeks import previous_week

        todo: list[str] = []
        first = self._rv_first_week()
        for _ in range(PREFETCH_WEEKS):
            week = previous_week(week, self._rv_week_start())
            if week < first:
                break
            if week not in self._rv_cache.reviews and week not in self._rv_cache.pending:
                todo.append(week)
        return todo

    def _rv_prefetch(self, week: str) -> None:
        # Later, not now: the links behind a review keep the CPUs busy for a while (polars
        # and Python), and a worker started with the redraw would slow the redraw itself.
        # A held `[` keeps restarting the timer, so nothing is computed for weeks flown past.
        if self._rv_prefetch_timer is not None:
            self._rv_prefetch_timer.stop()
        self._rv_prefetch_timer = self.set_timer(
            PREFETCH_DELAY_S, lambda: self._rv_prefetch_now(week)
        )

    def _rv_prefetch_now(self, week: str) -> None:
        self._rv_prefetch_timer = None
        # A worker on its way (the shown week asked for again after a reload, say) is not
        # cancelled for a prefetch: the launch is exclusive.
        if self._rv_cache.pending or week not in self._rv_cache.reviews:
            return
        if week == self._rv_week and (todo := self._rv_neighbours(week)):
            self._rv_launch(todo)

    def _rv_launch(self, weeks: list[str]) -> None:
        if self._rv_bundle is None or not self._rv_bundle.complete:
            # The bundle comes in two steps, the links in the second: a review computed on the
            # first would have no links now, and stay cached so (the daily rows are the same).
            # Its weeks stay "computing…" until the complete bundle calls show() again.
            return
        # exclusive: the worker before is cancelled, so its weeks are no longer on their way
        self._rv_cache.pending = set(weeks)
        self._rv_compute(
            self._rv_bundle, self._rv_cache.generation, weeks, dict(self._rv_cache.links)
        )

    @work(thread=True, exclusive=True, group="review")
    def _rv_compute(
        self, bundle: Bundle, generation: int, weeks: list[str], links: dict[dt.date, list[Link]]
    ) -> None:
        from dashboard.core.analysis.links import compute_links
        from dashboard.core.clinical.review.compute import weekly_review
        from dashboard.core.weeks import week_bounds

        worker = get_current_worker()
        daily, cfg, today = bundle.daily, bundle.config, bundle.today
        last_row = daily["date"].max() if daily.height else None

        def links_until(day: dt.date) -> list[Link]:
            if isinstance(last_row, dt.date) and day >= last_row:
                return list(bundle.links)  # the bundle's links are computed on every row
            if day not in links:
                links[day] = compute_links(daily, cfg, until=day)
            return links[day]

        for week in weeks:
            if worker.is_cancelled:
                return
            start, end = week_bounds(week, cfg.week_start)
            now_links = links_until(min(end, today))
            if worker.is_cancelled:
                return
            prev_links = links_until(start - dt.timedelta(days=1))
            review = weekly_review(
                daily,
                cfg,
                week,
                today=today,
                links_now=now_links,
                links_prev=prev_links,
                isi=bundle.tables.get("isi"),  # the same review as `taperdash review`
            )
            self.post_message(
                self.Computed(generation, week, review, dict(links), bundle.tables.get("isi"))
            )

    @on(Computed)
    def _rv_computed(self, message: Computed) -> None:
        if message.generation != self._rv_cache.generation:
            return  # computed on data that has since changed
        self._rv_cache.pending.discard(message.week)
        review = message.review
        if message.isi is not self._rv_isi:
            # an ISI was answered while this week was being computed
            review = dataclasses.replace(review, isi=self._rv_isi_summary(message.week))
        self._rv_cache.reviews[message.week] = review
        self._rv_cache.links.update(message.links)
        if message.week == self._rv_week:
            self._rv_render(review)
            self._rv_prefetch(message.week)

    # -- drawing ---------------------------------------------------------------------------
    def _rv_title(self, week: str, *, computing: bool = False) -> None:
        from dashboard.core.weeks import week_bounds

        start, end = week_bounds(week, self._rv_week_start())
        parts = [f"Review · [b]{week}[/b] · {start:%a %d %b} – {end:%a %d %b %Y}"]
        if week == self._rv_current_week() and self._rv_bundle is not None:
            # whole days only: today's doses count once the day is over
            yesterday = self._rv_bundle.today - dt.timedelta(days=1)
            parts.append(
                f"this week, to {yesterday:%a %d %b}" if yesterday >= start else "this week"
            )
        if computing:
            parts.append("[dim]computing…[/dim]")
        self.query_one("#screen-title", Static).update("  ·  ".join(parts))

    def _rv_render(self, review: WeeklyReview) -> None:
        self._rv_shown = review.week
        self._rv_title(review.week)
        self.query_one("#body").remove_class("-stale")
        d, s, a, y, p = review.dose, review.sleep, review.activity, review.symptoms, review.previous
        tile = self._rv_tile
        with self.app.batch_update():
            # a running week's total is partial: against a whole week it would read as a cut
            tile(
                "t-total", d.total_g, _diff(d.total_g, p.dose.total_g) if review.complete else None
            )
            tile("t-mean", d.daily_mean_g, _diff(d.daily_mean_g, d.plan_daily_g))
            tile("t-plan", d.plan_daily_g, None)
            tile("t-change", d.change_pct_vs_prev_week, None)
            tile("t-max", d.max_single_g, _diff(d.max_single_g, p.dose.max_single_g))
            tile("t-freq", d.doses_per_day, _diff(d.doses_per_day, p.dose.doses_per_day))
            tile("t-nights", f"{s.nights} of {review.days_elapsed}", None)
            tile(
                "t-asleep",
                _hm(s.asleep_mean_min),
                _diff(s.asleep_mean_min, p.sleep.asleep_mean_min, 0),
            )
            tile(
                "t-eff",
                _x100(s.efficiency_mean),
                _diff(_x100(s.efficiency_mean), _x100(p.sleep.efficiency_mean), 1),
            )
            self.query_one("#t-insomnia", StatTile).set_stat(
                s.insomnia_nights if s.nights else None,
                delta=_diff(float(s.insomnia_nights), float(p.sleep.insomnia_nights))
                if s.nights and p.sleep.nights
                else None,
                unit="night" if s.insomnia_nights == 1 else "nights",
            )
            tile(
                "t-exercise",
                a.exercise_min_total,
                _diff(a.exercise_min_total, p.activity.exercise_min_total, 0),
            )
            tile("t-steps", a.steps_mean, _diff(a.steps_mean, p.activity.steps_mean, 0))
            tile(
                "t-withdrawal",
                y.withdrawal_mean,
                _diff(y.withdrawal_mean, p.symptoms.withdrawal_mean, 1),
            )
            tile("t-cravings", y.cravings_mean, _diff(y.cravings_mean, p.symptoms.cravings_mean, 1))
            self.query_one("#next", Static).update(_next_text(review))
            self.query_one("#flags", Static).update(
                "\n".join(f"! {_escape(f)}" for f in review.flags)
                or "[$text-muted]None this week.[/]"
            )
            self.query_one("#links", Static).update(_links_text(review))
            self.query_one("#isi", Static).update(
                _isi_text(review, answerable=review.week in self._rv_isi_weeks())
            )
            self.query_one("#steps", Static).update(_steps_table(review))

    def _rv_tile(self, tile_id: str, value: float | int | str | None, delta: float | None) -> None:
        self.query_one(f"#{tile_id}", StatTile).set_stat(value, delta=delta)

    # -- reflection ------------------------------------------------------------------------
    def _rv_load_reflection(self) -> None:
        import polars as pl

        from dashboard.core.clinical.review.model import Reflection

        week = self._rv_week
        if week is None or self._rv_bundle is None:
            return
        stored = Reflection("", "", "")
        rows = self._rv_bundle.table("reflections").filter(pl.col("week") == week)
        if rows.height:
            row = rows.sort("updated_at").row(-1, named=True)
            stored = Reflection(row["triggers"] or "", row["helped"] or "", row["next_plan"] or "")
        self.query_one(ReflectionEditor).load(week, stored)

    def _rv_write(self, week: str, typed: Reflection) -> str:
        from dashboard.core.clinical.review.compute import save_reflection
        from dashboard.core.store.disk import Store

        now, tz, _ = self.tapp.clock()
        with Store(self.tapp.home).transaction() as tx:
            tx.put("reflections", save_reflection(tx.read("reflections"), week, typed, now))
        return f"{now.astimezone(tz):%H:%M:%S}"

    def on_screen_suspend(self) -> None:
        self.query_one(ReflectionEditor).flush()
        # Weeks computed ahead are for `[` here: away from this screen they would only take
        # the CPU from the screen being looked at. The shown week's own computation goes on.
        if self._rv_prefetch_timer is not None:
            self._rv_prefetch_timer.stop()
            self._rv_prefetch_timer = None
        if self._rv_cache.pending and self._rv_week not in self._rv_cache.pending:
            self.workers.cancel_group(self, "review")
            self._rv_cache.pending.clear()

    def on_screen_resume(self) -> None:
        if self._rv_week is not None and self._rv_week in self._rv_cache.reviews:
            self._rv_prefetch(self._rv_week)

    # -- ISI -------------------------------------------------------------------------------
    def _rv_isi_weeks(self) -> set[str]:
        """The weeks whose review can take an ISI answer: this one and the week holding
        yesterday. It asks about the last two weeks: answered late it would be about others."""
        from dashboard.core.weeks import week_of

        if self._rv_bundle is None:
            return set()
        yesterday = self._rv_bundle.today - dt.timedelta(days=1)
        return {self._rv_current_week(), week_of(yesterday, self._rv_week_start())}

    def _rv_isi_summary(self, week: str) -> IsiSummary:
        from dashboard.core.clinical.isi import isi_summary

        return isi_summary(self._rv_isi, week, self._rv_week_start())

    def _rv_isi_update(self, table: pl.DataFrame | None) -> None:
        """Bring the cached reviews to the ISI answers in `table`: only the ISI part of the
        weeks from the first one that changed is redone (here, at once: a small table)."""
        old, self._rv_isi = self._rv_isi, table
        first = _first_isi_week(old, table)
        if first is None or self._rv_bundle is None:
            return
        for week, review in list(self._rv_cache.reviews.items()):
            if week >= first:
                self._rv_cache.reviews[week] = dataclasses.replace(
                    review, isi=self._rv_isi_summary(week)
                )
        shown = self._rv_cache.reviews.get(self._rv_shown or "")
        if shown is not None and shown.week >= first:
            self.query_one("#isi", Static).update(
                _isi_text(shown, answerable=shown.week in self._rv_isi_weeks())
            )

    def action_isi(self) -> None:
        week, bundle = self._rv_week, self._rv_bundle
        if week is None or bundle is None:
            return
        from dashboard.core.weeks import next_week

        if week not in self._rv_isi_weeks():
            self.notify(
                "The ISI asks about the last two weeks, so it is answered in the review of this"
                " week (press t), not of an earlier one.",
                timeout=5,
            )
            return
        summary = self._rv_isi_summary(week)
        answered = _isi_answers(self._rv_isi, week)
        if not summary.due and answered is None:
            self.notify(
                f"The ISI was answered in {summary.latest_week}; it is next due in"
                f" {next_week(week, self._rv_week_start())}.",
                timeout=5,
            )
            return
        self.app.push_screen(
            IsiModal(week, answered), callback=lambda items: self._rv_isi_answered(week, items)
        )

    def _rv_isi_answered(self, week: str, items: tuple[int, ...] | None) -> None:
        bundle = self._rv_bundle
        if items is None or bundle is None:
            return  # cancelled: nothing is written
        from dashboard.core.clinical.isi import band_text, isi_band, save_isi
        from dashboard.core.errors import StoreError, UserError
        from dashboard.core.store.disk import Store
        from dashboard.core.weeks import week_bounds

        # the answer belongs to the week reviewed: a week just finished gets its last day
        day = min(bundle.today, week_bounds(week, self._rv_week_start())[1])
        store = Store(self.tapp.home)
        try:
            total = save_isi(store, day, items, self.tapp.clock()[0], self._rv_week_start())
        except (UserError, StoreError, OSError) as exc:
            self.notify(str(exc), title="ISI not saved", severity="error", timeout=10, markup=False)
            return
        # shown at once; should the read fail, the reload below brings it
        with contextlib.suppress(StoreError, OSError):
            self._rv_isi_update(store.read("isi"))
        # the other screens (and the bundle) catch up in the background
        self.tapp.data_changed(
            f"Insomnia Severity Index for {week}: {total}/28, {band_text(isi_band(total))}."
        )

    # -- export ----------------------------------------------------------------------------
    def action_export(self) -> None:
        week = self._rv_week
        review = self._rv_cache.reviews.get(week) if week is not None else None
        if review is None or self._rv_shown != week:
            self.notify(
                "The review is still being computed; press e again in a moment.",
                severity="warning",
                timeout=4,
            )
            return
        from dashboard.core.clinical.review.render import to_markdown
        from dashboard.core.store.files import make_private_dir, write_private

        editor = self.query_one(ReflectionEditor)
        editor.flush()
        typed = editor.typed()
        has_text = typed is not None and any(dataclasses.astuple(typed))
        review = dataclasses.replace(review, reflection=typed if has_text else None)
        folder = self.tapp.export_folder()
        md_path = folder / f"review-{week}.md"
        try:
            make_private_dir(folder)
            write_private(md_path, to_markdown(review).encode("utf-8"))
        except OSError as exc:
            self.notify(str(exc), title="Export failed", severity="error", timeout=10, markup=False)
            return
        # The picture is of the numbers, not of wherever the reflection scrolled to: scroll to
        # the top and take it once that is drawn.
        self.query_one("#body").scroll_home(animate=False, immediate=True)
        self.call_after_refresh(self._rv_export_svg, week, md_path)

    def _rv_export_svg(self, week: str, md_path: Path) -> None:
        from dashboard.core.store.files import write_private

        svg_path = md_path.with_suffix(".svg")
        try:
            # export_screenshot + write_private rather than save_screenshot: the file is 0600
            # from its first byte instead of readable by others until a chmod
            write_private(
                svg_path,
                self.app.export_screenshot(title=f"taperdash review {week}").encode("utf-8"),
            )
        except OSError as exc:
            self.notify(
                str(exc), title="Screenshot not saved", severity="error", timeout=10, markup=False
            )
            return
        # paths are the user's text: a '[' in a folder name is not markup
        where = f"{md_path}\n{svg_path}"
        if self.tapp.demo:
            where += "\n(the demo's own data is deleted on quit; these files stay)"
        self.notify(
            where,
            title=f"Exported the review of {week}",
            timeout=10,
            markup=False,
        )
