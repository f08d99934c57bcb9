"""Taper: plan vs actual over the whole taper, the advisor's words, the schedule by week,
strain rotation and dose frequency."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Label, Static

from dashboard.screens.base import DataScreen
from widgets import DailyChart, StatTile

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle


class TaperScreen(DataScreen):
    TITLE = "Taper"
    BINDINGS = [
        Binding("c", "focus_chart", "Chart", tooltip="Move along the days with ← →"),
        Binding("s", "focus_schedule", "Schedule"),
    ]
    DEFAULT_CSS = """
    TaperScreen #dose-chart { height: 14; }
    TaperScreen #active-chart { height: 10; }
    TaperScreen #step-effects { max-height: 16; }
    TaperScreen #advice { height: auto; padding: 0 1; }
    TaperScreen StatTile { width: 1fr; }
    TaperScreen #schedule { max-height: 14; }
    """

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="tiles"):
            yield StatTile("today's plan", unit="g", id="tile-plan")
            yield StatTile("7-day mean", unit="g/day", higher_is_better=False, id="tile-mean")
            yield StatTile("doses per day", higher_is_better=False, id="tile-freq")
            yield StatTile("target date", id="tile-target")
        yield DailyChart(
            unit="g", title="Daily dose (leaf-gram equivalents) and the plan", id="dose-chart"
        )
        yield DailyChart(
            unit="g",
            title="Active amount (modelled), daily mean, and the plan's",
            id="active-chart",
        )
        yield Static("", id="active-note", classes="muted")
        yield Label("Advisor", classes="section-title")
        yield Static("", id="advice")
        yield Label(
            "Each taper step: the week after against the week before", classes="section-title"
        )
        yield DataTable(id="step-effects", cursor_type="row", zebra_stripes=True)
        yield Static("", id="step-note", classes="muted")
        yield Label("Schedule by week", classes="section-title")
        yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#step-effects", DataTable).add_columns(
            "step", "dose", "asleep Δ", "efficiency Δ", "withdrawal Δ", "cravings Δ", "nights"
        )
        self.query_one("#schedule", DataTable).add_columns(
            "week from", "plan g/day", "actual g/day", "hold", "adherent days"
        )

    def show(self, bundle: Bundle) -> None:
        import polars as pl

        from dashboard.core.analysis import columns as C
        from dashboard.core.scalars import as_float

        daily = bundle.daily
        values = list(daily.select(C.DATE, C.DOSE_G).iter_rows())
        plan_pairs = (
            list(daily.select(C.DATE, C.PLAN_G).iter_rows()) if C.PLAN_G in daily.columns else None
        )
        steps = (
            set(daily.filter(pl.col(C.TAPER_STEP).fill_null(False))[C.DATE].to_list())
            if C.TAPER_STEP in daily.columns
            else set()
        )
        chart = self.query_one("#dose-chart", DailyChart)
        chart.set_data(
            values,
            plan=plan_pairs if plan_pairs and any(v is not None for _, v in plan_pairs) else None,
            marked=steps,
        )
        chart.marked_label = "taper step"

        advice = bundle.advice
        last7 = daily.filter(pl.col(C.DATE) > bundle.today - dt.timedelta(days=7))
        mean7 = as_float(last7[C.DOSE_G].mean()) if last7.height else None
        prev7 = as_float(
            daily.filter(
                (pl.col(C.DATE) <= bundle.today - dt.timedelta(days=7))
                & (pl.col(C.DATE) > bundle.today - dt.timedelta(days=14))
            )[C.DOSE_G].mean()
        )
        self.query_one("#tile-plan", StatTile).set_stat(getattr(advice, "today_plan_g", None))
        self.query_one("#tile-mean", StatTile).set_stat(
            mean7,
            delta=(mean7 - prev7) if mean7 is not None and prev7 is not None else None,
            spark=[v or 0.0 for v in daily.tail(28)[C.DOSE_G].to_list()],
        )
        freq = getattr(advice, "doses_per_day_recent", None)
        prev_freq = getattr(advice, "doses_per_day_prev", None)
        self.query_one("#tile-freq", StatTile).set_stat(
            freq, delta=(freq - prev_freq) if freq is not None and prev_freq is not None else None
        )
        target = getattr(advice, "target_date", None)
        self.query_one("#tile-target", StatTile).set_stat(target.isoformat() if target else None)

        self._show_active(bundle)
        self._show_steps(bundle)

        lines = advice.lines() if advice is not None else ["Not enough data for advice yet."]
        styled = []
        for line in lines:
            if line.startswith("! "):
                styled.append(f"[b $warning]⚠ {line[2:]}[/b $warning]")
            else:
                styled.append(line.replace("[", r"\["))
        if not bundle.config.plan.start_dose_g:
            styled.append(
                "[dim]No plan set: taperdash plan set --start-dose G --rate 10 (10–20 % a week is the usual guidance).[/dim]"
            )
        self.query_one("#advice", Static).update("\n".join(styled))

        table = self.query_one("#schedule", DataTable)
        table.clear()
        if C.PLAN_G in daily.columns and bundle.schedule is not None:
            sched = bundle.schedule.join(
                daily.select(C.DATE, C.DOSE_G, C.ADHERENT), on=C.DATE, how="left"
            )
            weeks = (
                sched.group_by_dynamic(C.DATE, every="1w", start_by="datapoint")
                .agg(
                    pl.col("plan_g").mean().alias("plan"),
                    pl.col(C.DOSE_G).mean().alias("actual"),
                    pl.col("on_hold").any().alias("hold"),
                    pl.col(C.ADHERENT).sum().alias("ok"),
                    pl.col(C.ADHERENT).count().alias("n"),
                )
                .sort(C.DATE)
            )
            for row in weeks.iter_rows(named=True):
                actual = "" if row["actual"] is None else f"{row['actual']:.2f}"
                adherent = f"{row['ok']}/{row['n']}" if row["n"] else ""
                marker = (
                    " ◀ this week"
                    if row[C.DATE] <= bundle.today < row[C.DATE] + dt.timedelta(days=7)
                    else ""
                )
                table.add_row(
                    f"{row[C.DATE]}{marker}",
                    f"{row['plan']:.2f}",
                    actual,
                    "hold" if row["hold"] else "",
                    adherent,
                )

    def _show_active(self, bundle: Bundle) -> None:
        active = bundle.active_daily
        chart = self.query_one("#active-chart", DailyChart)
        note = self.query_one("#active-note", Static)
        if active is None or active.is_empty():
            chart.display = note.display = False
            return
        chart.display = note.display = True
        plan = list(active.select("date", "plan_active_g").iter_rows())
        chart.set_data(
            list(active.select("date", "active_g").iter_rows()),
            plan=plan if any(v is not None for _, v in plan) else None,
        )
        half_life = bundle.config.half_life_h
        note.update(
            f"One-compartment decay of the logged doses, half-life {half_life:g} h (config half_life_h; "
            "published estimates run from about 23 h to 45 h). A model, not a blood level."
        )

    def _show_steps(self, bundle: Bundle) -> None:
        import polars as pl

        effects = bundle.step_effects
        table = self.query_one("#step-effects", DataTable)
        table.clear()
        note = self.query_one("#step-note", Static)
        if effects is None or effects.is_empty():
            note.update("No taper steps yet.")
            return

        def cell(row: dict | None) -> str:
            if row is None or row["diff"] is None:
                return "–"
            digits = 0 if row["measure"] == "asleep_min" else 1
            ci = ""
            if row["ci_low"] is not None and row["ci_high"] is not None:
                ci = f" ({row['ci_low']:+.{digits}f}…{row['ci_high']:+.{digits}f})"
            return f"{row['diff']:+.{digits}f}{ci}"

        by_step = effects.sort("step_date", descending=True).partition_by(
            "step_date", maintain_order=True
        )
        for part in by_step:
            rows = {r["measure"]: r for r in part.iter_rows(named=True)}
            first = part.row(0, named=True)
            asleep = rows.get("asleep_min")
            nights = f"{asleep['n_before']} / {asleep['n_after']}" if asleep else ""
            running = "" if part["complete"].all() else " (running)"
            table.add_row(
                f"{first['step_date']}{running}",
                f"{first['before_g']:g} → {first['after_g']:g} g",
                cell(asleep),
                cell(rows.get("efficiency")),
                cell(rows.get("withdrawal_score")),
                cell(rows.get("cravings")),
                nights,
            )
        steps_n = effects.select(pl.col("step_date").n_unique()).item()
        note.update(
            f"{steps_n} steps. Days −7…−1 against +1…+7; minutes asleep, efficiency in points, "
            "withdrawal (SOWS 0–64) and cravings (0–10); 95 % bootstrap interval in brackets."
        )

    def action_focus_chart(self) -> None:
        self.query_one("#dose-chart", DailyChart).focus()

    def action_focus_schedule(self) -> None:
        self.query_one("#schedule", DataTable).focus()
