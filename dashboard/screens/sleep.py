"""Sleep: minutes asleep per night as bars (insomnia nights marked), averages over a span of
weeks, and the hypnogram of the night under the chart's cursor.

All of it comes from the bundle: the daily frame says which night each source gave (the
configured priority picked it), the raw sleep tables give the chosen session's id and stages.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from dashboard.core.views.sleep import (
    DiaryNight,
    NightFix,
    NightInfo,
    SleepSpan,
    insomnia_reasons,
    is_diary_source,
    last_possible_night,
    sleep_span,
    stage_rows,
)
from dashboard.core.views.span import (
    Window,
    fitted_weeks,
    next_span,
    span_label,
    window,
)
from dashboard.core.words import count
from dashboard.screens.spans import SPAN_BINDINGS, SpanScreen
from widgets.daily_chart import DailyChart
from widgets.hypnogram import Hypnogram, fmt_minutes
from widgets.stat_tile import StatTile

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle

# The span helpers live in core/views/span.py; named here too for the screen's tests.
__all__ = ["SleepScreen", "fitted_weeks", "next_span", "span_label"]


class SleepScreen(SpanScreen):
    TITLE = "Sleep"

    BINDINGS: ClassVar[list[BindingType]] = [
        *SPAN_BINDINGS,
        Binding("c", "focus_chart", "Chart", tooltip="Focus the chart; ←/→ pick a night"),
        # New start and end times stay in the shell: a time form here would cost more than it
        # gives, so the help says where to do it.
        Binding(
            "n",
            "fix_night('nap')",
            "Mark nap",
            tooltip="The chosen night was a nap: it leaves the nights (u undoes it). New times:"
            " taperdash night --fix SOURCE:ID --start … --end … (ids: taperdash night --list)",
        ),
        Binding(
            "x",
            "fix_night('not_sleep')",
            "Not sleep",
            tooltip="The chosen night was not sleep (a watch left on): it is dropped (u undoes it)."
            " New times: taperdash night --fix SOURCE:ID --start … --end …",
        ),
        Binding(
            "u",
            "undo_fix",
            "Undo fix",
            tooltip="Undo the last hand correction of the chosen night (new times included)",
        ),
        Binding("left", "night(-1)", "Previous night", show=False),
        Binding("right", "night(1)", "Next night", show=False),
    ]

    CSS_PATH = "sleep.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._nights: dict[dt.date, NightInfo] = {}
        self._diary: dict[dt.date, DiaryNight] = {}
        self._shown_night: dt.date | None = None
        self._focused_once = False
        self._fixes: dict[dt.date, list[NightFix]] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="sleep-span")
        with Horizontal(classes="tiles", id="sleep-tiles"):
            yield StatTile("Asleep (mean)", id="tile-asleep", delta_suffix=" min")
            yield StatTile("Efficiency", id="tile-efficiency", unit="%", delta_suffix=" pp")
            yield StatTile(
                "Latency",
                id="tile-latency",
                unit="min",
                higher_is_better=False,
                delta_suffix=" min",
            )
            yield StatTile("Insomnia nights", id="tile-insomnia", higher_is_better=False)
        yield DailyChart(
            id="sleep-chart",
            title="Asleep per night",
            unit="min",
            marked_label="insomnia night",
            # A long span is drawn whole, a week or month per column, not as its last days.
            whole_span=True,
            marked_rule="most",
        )
        yield Static("", id="night-detail")
        yield Hypnogram(id="hypnogram")
        yield Static("", id="no-stages")
        yield Static("", id="sleep-sources")

    # -- data ----------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        self._bundle = bundle
        from dashboard.core.store.disk import Store
        from dashboard.core.views.sleep import collect_diary, collect_fixes, collect_nights

        sessions = bundle.tables["sleep_sessions"]
        self._nights = collect_nights(bundle.daily, sessions, bundle.tz)
        self._diary = collect_diary(sessions, bundle.config)
        self._fixes = collect_fixes(
            bundle.tables["night_overrides"],
            sessions,
            lambda: Store(bundle.home).read("sleep_sessions"),
            bundle.tz,
        )
        series = next(iter(self._nights.values())).source if self._nights else ""
        chart = self.query_one("#sleep-chart", DailyChart)
        if self._diary:
            # Two series exist; the chart shows the one the analysis uses, and says which.
            kind = "diary" if is_diary_source(series) else "devices"
            chart.title = f"Asleep per night · {kind}"
        else:
            chart.title = "Asleep per night"
        self.fit_span()
        self._shown_night = None
        self._refresh_span()
        if not self._focused_once:
            self._focused_once = True
            self.query_one("#sleep-chart", DailyChart).focus()

    def span_window(self) -> Window | None:
        """The current span over the nights there are (moved back to them when they stopped
        before it)."""
        if not self._nights or self._bundle is None:
            return None
        return window(
            self._nights, last_possible_night(self._nights, self._bundle.today), self.weeks
        )

    def span_days(self) -> tuple[dt.date, dt.date] | None:
        """First and last night of the current span."""
        w = self.span_window()
        return None if w is None else (w.start, w.end)

    def _refresh_span(self) -> None:
        chart = self.query_one("#sleep-chart", DailyChart)
        w = self.span_window()
        if w is None:
            chart.set_data([])
            self.query_one("#sleep-span", Static).update(
                "No nights yet: import a wearable's export on the Imports screen (7)."
            )
            self._update_tiles(None, None)
            self._show_night(None)
            self.query_one("#sleep-sources", Static).update("")
            return
        span = sleep_span(self._nights, w)
        chart.set_data(span.values(), marked=span.marked())
        before = None if self.weeks == 0 else sleep_span(self._nights, w.before())
        if before is not None and not before.count:
            before = None
        self.query_one("#sleep-span", Static).update(
            span.label()
            + (f" · ▲▼ vs the {span_label(self.weeks)[5:]} before" if before else "")
            + " · ←/→ pick a night"
        )
        self._update_tiles(span, before)
        self._update_sources(list(span.nights))
        self._show_night(chart.selected_date)

    def _update_tiles(self, span: SleepSpan | None, before: SleepSpan | None) -> None:
        def delta(attr: str, scale: float = 1.0) -> float | None:
            now = span.mean(attr) if span is not None else None
            prev = before.mean(attr) if before is not None else None
            # A comparison with one or two nights would mostly be noise.
            if now is None or prev is None or before is None or before.known(attr) < 3:
                return None
            return round((now - prev) * scale, 1)

        asleep = span.mean("asleep_min") if span is not None else None
        self.query_one("#tile-asleep", StatTile).set_stat(
            fmt_minutes(asleep) if asleep is not None else None,
            delta=None if (d := delta("asleep_min")) is None else round(d),
        )
        eff = span.mean("efficiency") if span is not None else None
        self.query_one("#tile-efficiency", StatTile).set_stat(
            None if eff is None else round(eff * 100, 1), delta=delta("efficiency", 100.0)
        )
        latency = span.mean("latency_min") if span is not None else None
        self.query_one("#tile-latency", StatTile).set_stat(
            None if latency is None else round(latency), delta=delta("latency_min")
        )
        # Counted against the same nights as the span line's count.
        self.query_one("#tile-insomnia", StatTile).set_stat(
            span.insomnia_text() if span is not None else None
        )

    def _update_sources(self, nights: list[NightInfo]) -> None:
        assert self._bundle is not None
        counts: dict[str, int] = {}
        for n in nights:
            counts[n.source] = counts.get(n.source, 0) + 1
        priority = self._bundle.config.source_priority
        rank = {name: i for i, name in enumerate(priority)}
        ordered = sorted(counts, key=lambda s: (rank.get(s, len(priority)), s))
        parts: list[str | tuple[str, str]] = [("Nights by source: ", "bold")]
        parts.append(" · ".join(f"{s} {counts[s]}" for s in ordered) or "none")
        seen = {s for n in self._nights.values() for s in (n.source, *n.others)}
        if len(seen) > 1:
            order = " > ".join(sorted(seen, key=lambda s: (rank.get(s, len(priority)), s)))
            parts.append(
                f"\nWhen sources overlap, the night is taken from {order} (source_priority in config.toml)."
            )
        diary = [
            d
            for day, d in self._diary.items()
            if nights and nights[0].date <= day <= nights[-1].date
        ]
        if diary:
            parts.append(("\nSleep diary: ", "bold"))
            parts.append(f"{count(len(diary), 'night')} in the span")
            diffs = [d.diff_min for d in diary if d.diff_min is not None]
            if diffs:
                mean = statistics.fmean(diffs)
                parts.append(
                    f" · on the {count(len(diffs), 'night')} with both, the diary says {mean:+.0f} min"
                    " asleep vs the device (diaries usually run longer)"
                )
        text = Content.assemble(*parts)
        self.query_one("#sleep-sources", Static).update(text)

    def _show_night(self, day: dt.date | None) -> None:
        detail = self.query_one("#night-detail", Static)
        hypnogram = self.query_one("#hypnogram", Hypnogram)
        no_stages = self.query_one("#no-stages", Static)
        self._shown_night = day
        night = self._nights.get(day) if day is not None else None
        if night is None or self._bundle is None:
            if day is None:
                detail.update("")
            else:
                parts: list[str | tuple[str, str]] = [
                    f"Night of {day:%a %-d %b}: no sleep recorded."
                ]
                detail.update(Content.assemble(*parts, *self._fix_parts(day)))
            hypnogram.display = False
            no_stages.display = False
            return
        detail.update(self._detail_text(night))
        rows = stage_rows(self._bundle.tables["sleep_stages"], night)
        if rows:
            hypnogram.set_night(
                rows, utc_offset_min=night.utc_offset_min, title=f"Stages ({night.source})"
            )
            hypnogram.display = True
            no_stages.display = False
            return
        hypnogram.display = False
        no_stages.display = True
        totals = [
            f"{label} {fmt_minutes(v)}"
            for label, v in (
                ("light", night.light_min),
                ("deep", night.deep_min),
                ("REM", night.rem_min),
            )
            if v is not None
        ]
        no_stages.update(
            f"No stages from this source ({night.source}): "
            + ("totals only — " + " · ".join(totals) if totals else "totals only.")
        )

    def _detail_text(self, night: NightInfo) -> Content:
        assert self._bundle is not None
        parts: list[str | tuple[str, str]] = [(f"Night of {night.date:%a %-d %b %Y}", "bold")]
        start, end = night.local_start, night.local_end
        if start is not None and end is not None:
            # The same wall clock as `taperdash night --list`: UTC + the night's own offset.
            parts.append(f" · {start:%H:%M} → {end:%H:%M}")
        if night.asleep_min is not None:
            parts.append(f" · asleep {fmt_minutes(night.asleep_min)}")
            if night.in_bed_min:
                parts.append(f" of {fmt_minutes(night.in_bed_min)} in bed")
        parts += ["\n", ("Source: ", "$text-muted"), (night.source, "bold")]
        if night.others:
            parts.append((f" (chosen over {', '.join(night.others)})", "$text-muted"))
        if night.efficiency is not None:
            parts.append(f" · efficiency {night.efficiency * 100:.0f} %")
        if night.latency_min is not None:
            parts.append(f" · latency {night.latency_min:.0f} min")
        if night.awakenings is not None:
            parts.append(f" · {count(night.awakenings, 'awakening')}")
        diary = self._diary.get(night.date)
        if diary is not None and not is_diary_source(night.source):
            parts.append(("\nDiary: ", "$text-muted"))
            if diary.asleep_min is not None:
                parts.append(f"asleep {fmt_minutes(diary.asleep_min)}")
            if diary.in_bed_min:
                parts.append(f" of {fmt_minutes(diary.in_bed_min)} in bed")
            if diary.quality is not None:
                parts.append(f" · quality {diary.quality}/5")
            if diary.diff_min is not None:
                parts.append((f" · {diary.diff_min:+.0f} min vs {night.source}", "$text-muted"))
        if night.insomnia:
            reasons = insomnia_reasons(night, self._bundle.config.insomnia)
            parts.append(("\nInsomnia night: " + ", ".join(reasons), "bold $text-warning"))
        parts += self._fix_parts(night.date)
        return Content.assemble(*parts)

    def _fix_parts(self, day: dt.date) -> list[str | tuple[str, str]]:
        fixes = self._fixes.get(day)
        if not fixes:
            return []
        last = fixes[-1]
        more = f" (and {len(fixes) - 1} earlier)" if len(fixes) > 1 else ""
        return [
            ("\nCorrected by hand: ", "bold $text-accent"),
            (last.describe(), "bold"),
            f"{more} — u to undo",
        ]

    # -- events and actions -------------------------------------------------------------
    @on(DailyChart.DaySelected, "#sleep-chart")
    def _day_selected(self, event: DailyChart.DaySelected) -> None:
        if event.date != self._shown_night:
            self._show_night(event.date)

    def action_focus_chart(self) -> None:
        self.query_one("#sleep-chart", DailyChart).focus()

    def action_fix_night(self, kind: str) -> None:
        from dashboard.core.clinical.overrides import fix_night
        from dashboard.core.errors import UserError
        from dashboard.core.store.disk import Store

        day = self._shown_night
        night = self._nights.get(day) if day is not None else None
        if night is None or self._bundle is None:
            self.notify("Pick a night with sleep on the chart first (←/→).", timeout=4)
            return
        if is_diary_source(night.source):
            self.notify(
                "This night is from your sleep diary: change the diary entry instead.", timeout=6
            )
            return
        if night.source_id is None:
            self.notify("This night has no session id to correct.", severity="warning")
            return
        ref = f"{night.source}:{night.source_id}"
        try:
            fix_night(Store(self.tapp.home), ref, kind, self.tapp.clock()[0])
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        what = "a nap" if kind == "nap" else "not sleep"
        self.tapp.data_changed(f"Night of {night.date:%a %-d %b} marked as {what} — u to undo")

    def action_undo_fix(self) -> None:
        from dashboard.core.clinical.overrides import undo
        from dashboard.core.errors import UserError
        from dashboard.core.store.disk import Store

        day = self._shown_night
        fixes = self._fixes.get(day) if day is not None else None
        if day is None or not fixes:
            self.notify("No hand correction on this night.", timeout=4)
            return
        try:
            undo(Store(self.tapp.home), fixes[-1].id)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.tapp.data_changed(
            f"Night of {day:%a %-d %b}: correction undone ({fixes[-1].describe()})"
        )

    def action_night(self, step: int) -> None:
        # Reached only when the chart is not focused (the chart binds ←/→ itself).
        self.query_one("#sleep-chart", DailyChart).action_move(step)
