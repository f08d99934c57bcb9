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
    from dashboard.core.bundle import Bundle


class TaperScreen(DataScreen):
    TITLE = "Taper"
    BINDINGS = [
        Binding("c", "focus_chart", "Chart", tooltip="Move along the days with ← →"),
        Binding("s", "focus_schedule", "Schedule"),
    ]
    DEFAULT_CSS = """
    TaperScreen #dose-chart { height: 14; }
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
        yield Label("Advisor", classes="section-title")
        yield Static("", id="advice")
        yield Label("Schedule by week", classes="section-title")
        yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#schedule", DataTable).add_columns(
            "week from", "plan g/day", "actual g/day", "hold", "adherent days"
        )

    def show(self, bundle: Bundle) -> None:
        import polars as pl

        from dashboard.core import columns as C

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
        mean7 = last7[C.DOSE_G].mean() if last7.height else None
        prev7 = daily.filter(
            (pl.col(C.DATE) <= bundle.today - dt.timedelta(days=7))
            & (pl.col(C.DATE) > bundle.today - dt.timedelta(days=14))
        )[C.DOSE_G].mean()
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

    def action_focus_chart(self) -> None:
        self.query_one("#dose-chart", DailyChart).focus()

    def action_focus_schedule(self) -> None:
        self.query_one("#schedule", DataTable).focus()
