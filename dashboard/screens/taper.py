"""Taper: plan vs actual over the whole taper, the advisor's words, the schedule by week,
strain rotation and dose frequency."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Label, Static

from dashboard.core.words import count
from dashboard.screens.base import DataScreen
from widgets import DailyChart, StatTile

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle


class TaperScreen(DataScreen):
    TITLE = "Taper"
    NEEDS_DATA = False  # the plan can be set before the first dose
    BINDINGS = [
        Binding("c", "focus_chart", "Chart", tooltip="Move along the days with ← →"),
        Binding("s", "focus_schedule", "Schedule"),
        # priority: focused before the next key is read, so p12⏎ types 12 into the field
        Binding(
            "p",
            "focus_plan",
            "Set plan",
            tooltip="Start dose, % a week, start, target",
            priority=True,
        ),
        Binding("ctrl+s", "save_plan", "Save plan"),
    ]
    # the plan fields: (id, label, width, placeholder)
    PLAN_FIELDS = (
        ("plan-start-dose", "start g/day", 7, ""),
        ("plan-rate", "% a week", 6, "10"),
        ("plan-start", "from", 12, "today"),
        ("plan-target", "target g", 6, "0"),
    )
    CSS_PATH = "taper.tcss"

    _plan_shown: object = None  # the plan the fields were last filled from

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="tiles"):
            # grams to the quarter gram, as Today, Review and Plan B show them (not 1.8 for 1.75)
            yield StatTile("today's plan", unit="g", value_format=".2f", id="tile-plan")
            yield StatTile(
                "7-day mean",
                unit="g/day",
                higher_is_better=False,
                value_format=".2f",
                id="tile-mean",
            )
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
        yield Label("Plan  (p; Enter saves)", classes="section-title")
        with Horizontal(id="plan-form", classes="row"):
            for field_id, label, width, placeholder in self.PLAN_FIELDS:
                yield Label(label)
                field = Input(id=field_id, placeholder=placeholder, compact=True)
                field.styles.width = width
                yield field
            yield Button("Save", id="plan-save", variant="success", compact=True)
        yield Static("", id="plan-error", classes="error-line")
        yield Static("", id="plan-status", classes="muted")
        yield Label(
            "Each taper step: the week after against the week before", classes="section-title"
        )
        yield DataTable(id="step-effects", cursor_type="row", zebra_stripes=True)
        yield Static("", id="step-note", classes="muted")
        yield Label("Schedule by week", classes="section-title")
        yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # short headers, the interval under the estimate: all seven columns fit 80 columns
        self.query_one("#step-effects", DataTable).add_columns(
            "step", "dose g", "asleep Δ", "effic. Δ", "SOWS Δ", "craving Δ", "nights"
        )
        self.query_one("#schedule", DataTable).add_columns(
            "week from", "plan g/day", "actual g/day", "hold", "adherent days"
        )

    def show(self, bundle: Bundle) -> None:
        import polars as pl

        from dashboard.core.analysis import columns as C
        from dashboard.core.analysis.plan import week_means

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
        mean7, prev7 = week_means(daily, bundle.today)
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
                "[dim]No plan set: press p (or taperdash plan set --start-dose G --rate 10); 10–20 % a week is the usual guidance.[/dim]"
            )
        self._fill_plan(bundle)
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

        def cell(row: dict | None) -> Text:
            if row is None or row["diff"] is None:
                return Text("–")
            # minutes, efficiency points and SOWS points whole; cravings (0-10) to a tenth
            digits = 1 if row["measure"] == "cravings" else 0
            shown = f"{row['diff']:+.{digits}f}"
            if row["ci_low"] is not None and row["ci_high"] is not None:
                shown += f"\n({row['ci_low']:+.{digits}f}…{row['ci_high']:+.{digits}f})"
            return Text(shown)

        by_step = effects.sort("step_date", descending=True).partition_by(
            "step_date", maintain_order=True
        )
        for part in by_step:
            rows = {r["measure"]: r for r in part.iter_rows(named=True)}
            first = part.row(0, named=True)
            asleep = rows.get("asleep_min")
            nights = f"{asleep['n_before']} / {asleep['n_after']}" if asleep else ""
            running = "" if part["complete"].all() else "\nrunning"
            table.add_row(
                Text(f"{first['step_date']:%-d %b %y}{running}"),
                f"{first['before_g']:g}→{first['after_g']:g}",
                cell(asleep),
                cell(rows.get("efficiency")),
                cell(rows.get("withdrawal_score")),
                cell(rows.get("cravings")),
                nights,
                height=2,
            )
        steps_n = effects.select(pl.col("step_date").n_unique()).item()
        note.update(
            f"{count(steps_n, 'step')}. Days −7…−1 against +1…+7; minutes asleep, efficiency in points, "
            "withdrawal (SOWS 0–64) and cravings (0–10); 95 % bootstrap interval in brackets; "
            "nights before / after."
        )

    def action_focus_chart(self) -> None:
        self.query_one("#dose-chart", DailyChart).focus()

    # -- the plan form -------------------------------------------------------------------
    def _fill_plan(self, bundle: Bundle) -> None:
        plan = bundle.config.plan
        if plan == self._plan_shown:
            return  # what the person is typing stays until the plan on disk changes
        self._plan_shown = plan
        values = {
            "plan-start-dose": f"{plan.start_dose_g:g}" if plan.start_dose_g else "",
            "plan-rate": f"{plan.rate_pct:g}" if plan.start_dose_g else "",
            "plan-start": plan.start.isoformat() if plan.start else "",
            "plan-target": f"{plan.target_g:g}" if plan.start_dose_g else "",
        }
        for field_id, value in values.items():
            self.query_one(f"#{field_id}", Input).value = value

    def action_focus_plan(self) -> None:
        self.focus_field(self.query_one("#plan-start-dose", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_plan":
            focused = self.focused
            return focused is not None and focused.parent is self.query_one("#plan-form")
        return super().check_action(action, parameters)

    def action_save_plan(self) -> None:
        self.save_plan()

    @on(Input.Submitted, "#plan-form Input")
    @on(Button.Pressed, "#plan-save")
    def save_plan(self) -> None:
        from dataclasses import replace

        from textual.markup import escape

        from dashboard.core.analysis.plan_setting import describe, make_plan, sudden_drop_warning
        from dashboard.core.clock import parse_date
        from dashboard.core.errors import UserError
        from dashboard.core.store import config as config_mod
        from dashboard.core.store.config import ConfigError
        from dashboard.core.store.doses import parse_grams

        error = self.query_one("#plan-error", Static)

        def text(field_id: str) -> str:
            return self.query_one(f"#{field_id}", Input).value.strip()

        def number(field_id: str, label: str, default: float | None = None) -> float:
            raw = text(field_id)
            if not raw and default is not None:
                return default
            try:
                return float(raw.replace(",", "."))
            except ValueError:
                raise UserError(f"{label}: a number, please (got {raw!r})") from None

        def gram_field(field_id: str, label: str, default: float | None = None) -> float:
            # grams as Today's form reads them: `1,500` is refused, never read as 1.5
            raw = text(field_id)
            if not raw and default is not None:
                return default
            try:
                return parse_grams(raw)
            except UserError as exc:
                raise UserError(f"{label}: {exc}") from None

        try:
            _, _, today = self.tapp.clock()
            cfg = config_mod.load(self.tapp.home)
            old = cfg.plan  # mode, step and holds are kept: the form does not show them
            plan = make_plan(
                start_dose_g=gram_field("plan-start-dose", "start dose"),
                rate_pct=number("plan-rate", "rate", 10.0),
                start=parse_date(text("plan-start")) if text("plan-start") else today,
                target_g=gram_field("plan-target", "target", 0.0),
                step_g=old.step_g,
                mode=old.mode,
                holds=old.holds,
            )
            config_mod.save(self.tapp.home, replace(cfg, plan=plan))
        except (UserError, ConfigError) as exc:
            error.update(Text(str(exc)))
            return
        error.update("")
        warning = sudden_drop_warning(plan.rate_pct, cfg.advisor.sudden_drop_pct)
        status = f"Saved: {escape(describe(plan))}."
        if warning:
            status += f"\n[b $warning]⚠ {escape(warning)}[/]"
        self.query_one("#plan-status", Static).update(status)
        self.set_focus(None)  # saved: the screen's keys work again
        self.tapp.data_changed("Plan saved")

    def action_focus_schedule(self) -> None:
        self.query_one("#schedule", DataTable).focus()
