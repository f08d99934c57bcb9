"""Relapse plan: the person's own plan in their words, the triggers their check-ins name, and,
once the taper has reached zero, the days since the last dose and a plain way to log a slip.

The plan lives in relapse_plan.toml (dashboard.core.clinical.relapse), not in the store: it is saved
as typed, after a short pause, and read back whenever the screen is shown again so an edit
made with `taperdash relapse set` or by hand is not overwritten by a stale copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, DataTable, Digits, Input, Label, Static, TextArea

from dashboard.core.words import count
from dashboard.screens.base import DataScreen

if TYPE_CHECKING:
    from dashboard.core.clinical.relapse import AfterZero, RelapsePlan
    from dashboard.core.views.bundle import Bundle

SAVE_DELAY_S = 0.5
# The plan's sections in screen order; the same names as dashboard.core.clinical.relapse.LIST_FIELDS,
# repeated here so composing the screen does not import the core (and Polars with it).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("triggers", "Triggers", "payday · stress at work · friends using"),
    ("warning_signs", "Early warning signs", "skipping check-ins · thinking 'just one'"),
    ("instead", "What I do instead", "walk round the block · hot shower · call Sam"),
    ("contacts", "People I can contact", "Sam 0151 496 0000 · group, Thu 19:00"),
    ("reasons", "Why I am tapering", "to sleep through the night again"),
)


def plan_text(items: tuple[str, ...]) -> str:
    return "\n".join(items)


def text_items(text: str) -> tuple[str, ...]:
    """One item per line; blank lines are spacing, not items."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class RelapseScreen(DataScreen):
    TITLE = "Plan B · your relapse-prevention plan"
    NEEDS_DATA = False  # the plan can be written before any dose is logged
    # the trigger table has the cursor (not a text area: the digit keys switch screens), set in
    # on_screen_resume without scrolling to it: at 80x24 that scrolled the status off the top
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p",
            "focus_plan",
            "Edit plan",
            tooltip="Jump to the first section of your plan",
            priority=True,  # focused before the next key: a burst after p is text
        ),
        Binding("t", "focus_triggers", "Triggers", tooltip="The triggers your check-ins name"),
        Binding(
            "a",
            "add_trigger",
            "Add to plan",
            tooltip="Add the selected trigger from your check-ins to your plan",
        ),
        Binding(
            "s",
            "focus_slip",
            "Log a slip",
            tooltip="Log a dose after zero, with a note",
            priority=True,
        ),
        Binding("ctrl+s", "save_plan", "Save plan", show=False, tooltip="Save the plan now"),
    ]

    CSS_PATH = "relapse.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._bundle: Bundle | None = None
        self._plan: RelapsePlan | None = None  # as last read from or written to the file
        self._texts: dict[str, str] = {}  # the text areas' contents, kept for a save at unmount
        self._save_timer: Timer | None = None
        self._plan_broken = False  # the file does not parse: never write over it
        self._trigger_rows: list[tuple[str, bool]] = []
        self._zero_reached = False

    def compose_body(self) -> ComposeResult:
        yield Static("", id="rp-status")
        with Horizontal(id="rp-main"):
            with Vertical(id="rp-plan"):
                yield Static("Your plan · one item per line · saved as you type", classes="muted")
                for field, title, example in SECTIONS:
                    yield Label(title, classes="section-title")
                    yield TextArea(
                        id=f"plan-{field}",
                        compact=True,
                        soft_wrap=True,
                        highlight_cursor_line=False,
                        placeholder=f"e.g. {example}",
                    )
                yield Static("", id="plan-status", classes="muted")
            with Vertical(id="rp-side"):
                with Vertical(id="rp-zero"):
                    yield Label("Days since the last dose", classes="section-title")
                    yield Digits("", id="days-since")
                    yield Static("", id="zero-caption", classes="muted")
                    yield Label("Log a slip  (s)", classes="section-title")
                    with Vertical(id="slip-form"):
                        yield Input(
                            placeholder="grams", id="slip-grams", type="number", compact=True
                        )
                        yield Input(
                            placeholder="when: now, 21:30, yesterday 8:00",
                            id="slip-at",
                            compact=True,
                        )
                        yield Input(placeholder="note (optional)", id="slip-note", compact=True)
                        yield Button("Log it", id="slip-log", variant="primary", compact=True)
                    yield Static("", id="slip-error", classes="error-line")
                yield Label("Triggers from your check-ins", classes="section-title")
                yield Static("a: add the selected trigger to your plan", classes="muted")
                yield DataTable(id="trigger-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # DataScreen.on_mount runs too (every class's handler in the MRO is called)
        self.query_one("#trigger-table", DataTable).add_columns(
            "trigger", "days", "last", "in plan"
        )
        self.query_one("#rp-zero").display = False
        self._rp_load_plan()

    # -- the plan ----------------------------------------------------------------------------
    def _rp_load_plan(self) -> None:
        """Reads the file and puts it in the text areas (unless a save is pending)."""
        from dashboard.core.clinical.relapse import RelapsePlan, load_plan
        from dashboard.core.store.config import ConfigError

        if self._save_timer is not None:
            return  # the person's unsaved typing is newer than the file
        status = self.query_one("#plan-status", Static)
        try:
            plan = load_plan(self.tapp.home)
        except ConfigError as exc:
            self._plan_broken = True
            self._plan = RelapsePlan()
            status.update(Text(f"Not saving: {exc}", style="bold"))
            return
        self._plan_broken = False
        if plan == self._plan:
            return
        self._plan = plan
        for field, _, _ in SECTIONS:
            text = plan_text(getattr(plan, field))
            self._texts[field] = text
            area = self.query_one(f"#plan-{field}", TextArea)
            if area.text != text:
                area.load_text(text)
        status.update(self._rp_saved_line(plan))

    def _rp_saved_line(self, plan: RelapsePlan) -> Text:
        if plan.updated_at is None:
            return Text("Nothing written yet: this plan is only on this computer.")
        # the zone of the config, like every other time on the dashboard
        local = plan.updated_at.astimezone(self._bundle.tz if self._bundle else None)
        return Text(f"Saved {local:%-d %b %H:%M} · only on this computer (relapse_plan.toml)")

    @on(TextArea.Changed)
    def _rp_text_changed(self, event: TextArea.Changed) -> None:
        field = (event.text_area.id or "").removeprefix("plan-")
        if field not in dict((f, t) for f, t, _ in SECTIONS):
            return
        self._texts[field] = event.text_area.text
        if self._plan is None or self._rp_typed_plan() == self._plan:
            return  # text loaded from the file, or typing that changes no item
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY_S, self._rp_save_now)

    def _rp_typed_plan(self) -> RelapsePlan:
        from dataclasses import replace

        from dashboard.core.clinical.relapse import updated

        assert self._plan is not None
        lists = {f: text_items(self._texts[f]) for f, _, _ in SECTIONS if f in self._texts}
        # compare items, not the time of the last save
        return replace(updated(self._plan, **lists), updated_at=self._plan.updated_at)

    def _rp_save_now(self) -> None:
        from dashboard.core.clinical.relapse import save_plan
        from dashboard.core.store.config import ConfigError

        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._plan is None or self._plan_broken:
            return
        plan = self._rp_typed_plan()
        if plan == self._plan:
            return
        try:
            self._plan = save_plan(self.tapp.home, plan, self.tapp.clock()[0])
        except (ConfigError, OSError) as exc:
            self._plan_broken = isinstance(exc, ConfigError)
            if self.is_mounted:
                self.query_one("#plan-status", Static).update(
                    Text(f"Not saved: {exc}", style="bold")
                )
            return
        if self.is_mounted:
            self.query_one("#plan-status", Static).update(self._rp_saved_line(self._plan))
            self._rp_refresh_triggers()

    def on_screen_suspend(self) -> None:
        if self._save_timer is not None:
            self._rp_save_now()

    def on_screen_resume(self) -> None:
        if self.focused is None:
            self.set_focus(self.query_one("#trigger-table", DataTable), scroll_visible=False)
        # `taperdash relapse set` in another terminal, or a hand edit, shows up here
        if self._plan is not None:
            self._rp_load_plan()
            self._rp_refresh_triggers()

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._rp_save_now()

    def action_save_plan(self) -> None:
        self._rp_save_now()

    # -- showing -----------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        from dashboard.core.clinical.relapse import after_zero

        self._bundle = bundle
        zero = after_zero(bundle.table("doses"), bundle.config, bundle.today)
        self._zero_reached = zero.reached
        self.query_one("#rp-zero").display = zero.reached
        if zero.reached:
            self._rp_show_after_zero(zero)
        self.query_one("#rp-status", Static).update(self._rp_status(bundle, zero))
        if self._plan is not None and not self._plan_broken:
            self.query_one("#plan-status", Static).update(self._rp_saved_line(self._plan))
        self._rp_refresh_triggers()
        self.refresh_bindings()

    def _rp_status(self, bundle: Bundle, zero: AfterZero) -> Text:

        from dashboard.core.analysis import columns as C

        if zero.reached:
            assert zero.zero_date is not None
            return Text.assemble(
                ("The taper reached 0 g ", "bold"),
                (f"on {zero.zero_date:%-d %B %Y}", "bold"),
                f" ({(bundle.today - zero.zero_date).days} days ago). Your plan is on the left.",
            )
        cfg = bundle.config.plan
        advice = bundle.advice
        out = Text()
        today_g = getattr(advice, "today_plan_g", None)
        start_g = cfg.start_dose_g
        if start_g is not None and today_g is not None:
            out.append("Taper under way: ", "bold")
            out.append(f"today's plan is {today_g:g} g, down from {start_g:g} g")
            span = start_g - cfg.target_g
            if span > 0:
                share = max(0.0, min(1.0, (start_g - today_g) / span))
                out.append(f" ({share * 100:.0f} % of the way to {cfg.target_g:g} g)")
            end = getattr(advice, "target_date", None)
            if end is not None and end >= bundle.today:
                days = (end - bundle.today).days
                when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
                out.append(f", which it reaches {when}, {end:%-d %B}")
            out.append(". ")
            if cfg.target_g > 0:
                out.append(
                    f"The plan stops at {cfg.target_g:g} g, not 0 g: the days-since count"
                    " starts when a plan reaches 0 g. "
                )
        else:
            out.append("No taper plan set ", "bold")
            out.append("(press 2, then p, or taperdash plan set --start-dose G --rate PCT). ")
        daily = bundle.daily
        if daily.height and C.DOSE_G in daily.columns:
            from dashboard.core.analysis.plan import week_means

            mean, _ = week_means(daily, bundle.today)
            if mean is not None:
                out.append(f"Last 7 days: {mean:.1f} g a day. ")
        if zero.days_since_last_dose is not None:
            n = zero.days_since_last_dose
            last = "today" if n == 0 else "yesterday" if n == 1 else f"{n} days ago"
            out.append(f"Last dose: {last}.")
        elif not bundle.table("doses").height:
            out.append("No doses logged yet.")
        return out

    def _rp_show_after_zero(self, zero: AfterZero) -> None:
        digits = self.query_one("#days-since", Digits)
        caption = self.query_one("#zero-caption", Static)
        if zero.days_since_last_dose is None:
            digits.update("0")
            caption.update("No dose logged at all.")
            return
        digits.update(str(zero.days_since_last_dose))
        parts = []
        if zero.last_dose_at is not None:
            parts.append(f"Last dose {zero.last_dose_at:%-d %b %H:%M}.")
        if zero.slips:
            when = f", the last on {zero.last_slip_date:%-d %b}" if zero.last_slip_date else ""
            parts.append(f"{count(zero.slips, 'dose')} logged since zero{when}.")
        else:
            parts.append("No doses logged since zero.")
        caption.update(Text(" ".join(parts)))

    def _rp_refresh_triggers(self) -> None:
        from dashboard.core.clinical.relapse import trigger_counts

        if self._bundle is None or self._plan is None:
            return
        table = self.query_one("#trigger-table", DataTable)
        plan = self._rp_typed_plan() if self._texts else self._plan
        counts = trigger_counts(self._bundle.table("checkins"), plan)
        keep = table.cursor_row
        table.clear()
        self._trigger_rows = []
        for i, row in enumerate(counts.iter_rows(named=True)):
            last = row["last_date"]
            table.add_row(
                Text(row["trigger"]),  # the person's words: never parsed as markup
                str(row["days"]),
                f"{last:%-d %b}" if last is not None else "–",
                "yes" if row["in_plan"] else "no",
                key=str(i),
            )
            self._trigger_rows.append((row["trigger"], bool(row["in_plan"])))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_slip" and not self._zero_reached:
            return False
        return super().check_action(action, parameters)

    def action_focus_plan(self) -> None:
        self.focus_field(self.query_one("#plan-triggers", TextArea))

    def action_focus_triggers(self) -> None:
        self.query_one("#trigger-table", DataTable).focus()

    def action_focus_slip(self) -> None:
        if self._zero_reached:
            self.focus_field(self.query_one("#slip-grams", Input))

    def action_add_trigger(self) -> None:
        table = self.query_one("#trigger-table", DataTable)
        if not self._trigger_rows or self._plan is None:
            self.notify("No triggers logged in check-ins yet.", timeout=4)
            return
        trigger, in_plan = self._trigger_rows[min(table.cursor_row, len(self._trigger_rows) - 1)]
        if in_plan:
            self.notify(f"{trigger} is already in your plan.", timeout=4, markup=False)
            return
        area = self.query_one("#plan-triggers", TextArea)
        current = self._texts.get("triggers", area.text).rstrip("\n")
        text = f"{current}\n{trigger}" if current else trigger
        self._texts["triggers"] = text
        area.load_text(text)
        self._rp_save_now()
        self._rp_refresh_triggers()

    @on(Input.Submitted, "#slip-grams, #slip-at, #slip-note")
    @on(Button.Pressed, "#slip-log")
    def _rp_log_slip(self) -> None:
        from dashboard.core.clinical.relapse import slip_note
        from dashboard.core.clock import offset_min, parse_when
        from dashboard.core.errors import UserError
        from dashboard.core.store import doses
        from dashboard.core.store.config import ConfigError
        from dashboard.core.store.disk import Store

        error = self.query_one("#slip-error", Static)
        raw = self.query_one("#slip-grams", Input).value.strip().replace(",", ".")
        try:
            try:
                grams = float(raw)
            except ValueError:
                raise UserError("type the grams, e.g. 2") from None
            now, tz, _ = self.tapp.clock()
            at_text = self.query_one("#slip-at", Input).value.strip()
            if at_text and at_text.lower() != "now":
                taken_at, offset = parse_when(at_text, now, tz)
            else:
                taken_at, offset = now, offset_min(now, tz)
            note = slip_note(self.query_one("#slip-note", Input).value)
            d = doses.validate(
                doses.DoseInput(grams=grams, taken_at=taken_at, utc_offset_min=offset, note=note),
                now,
            )
            id_ = doses.add(Store(self.tapp.home), d, now)
        except (UserError, ConfigError) as exc:
            error.update(Text(str(exc)))
            return
        error.update("")
        for widget_id in ("#slip-grams", "#slip-at", "#slip-note"):
            self.query_one(widget_id, Input).value = ""
        self.set_focus(None)
        self.tapp.data_changed(f"Logged dose #{id_}: {grams:g} g")
