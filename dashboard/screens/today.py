"""Today: log a dose in a keystroke or two, the daily check-in, today's plan and what is left."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from dashboard.core.store.vocab import FORMS, LIFESTYLE, SOWS_ITEMS
from dashboard.core.views.glance import DOSE_COLUMNS
from dashboard.core.words import count
from dashboard.screens.base import DataScreen

if TYPE_CHECKING:
    from dashboard.core.store.doses import DoseInput
    from dashboard.core.views.bundle import Bundle
    from dashboard.core.views.glance import Glance


# Consensus Sleep Diary items: (key, label, input width)
DIARY_FIELDS = (
    ("bedtime", "in bed", 6),
    ("latency", "min to sleep", 4),
    ("awakenings", "wakings", 3),
    ("waso", "min awake", 4),
    ("wake", "woke", 6),
    ("out", "up", 6),
    ("quality", "quality 1-5", 3),
)


def grams_field() -> Input:
    # a text field: type="number" silently dropped the comma of "2,5" (logged 25 g); what was
    # typed is read by doses.parse_grams, as the CLI reads it, or refused with a line
    return Input(placeholder="grams", id="grams", compact=True)


SOWS_LABEL_WIDTH = max(len(key) for key in SOWS_ITEMS) + 1


class TodayScreen(DataScreen):
    TITLE = "Today"
    NEEDS_DATA = False  # logging the first dose happens here

    _forms_ready = False  # the check-in and diary forms are mounted after the first frame
    _focus_when_ready: str | None = None  # a field asked for (l, c, d) before they were
    _prefilled_for: dt.date | None = None
    _edited: frozenset[str] = frozenset()  # fields the person changed: prefill leaves them
    _deleted: tuple[int, ...] = ()  # ids deleted here, the last one last: u brings it back
    # A dose being asked about: in a burst, the second Enter of `l25⏎⏎` reaches the grams
    # field before the dialog has the keys, and would ask (and could log) the dose again.
    _asking = False

    # l, c and d are priority bindings: they focus their field before the app reads the next
    # key, so a burst (l1.5⏎ pasted or typed fast) goes into the field (base.focus_field)
    BINDINGS = [
        Binding("l", "focus_dose", "Log dose", tooltip="Jump to the grams field", priority=True),
        Binding(
            "c", "focus_checkin", "Check-in", tooltip="Jump to the check-in form", priority=True
        ),
        Binding("d", "focus_diary", "Diary", tooltip="Last night's sleep diary", priority=True),
        # ctrl+s saves the form the cursor is in; the footer names which
        Binding("ctrl+s", "save_diary", "Save diary"),
        Binding("ctrl+s", "log_dose", "Log dose"),
        Binding("ctrl+s", "save_checkin", "Save check-in"),
        # from outside the forms ctrl+s still saves the check-in; the footer keeps the room
        Binding("ctrl+s", "save_checkin_from_anywhere", "Save check-in", show=False),
        Binding(
            "delete",
            "delete_dose",
            "Delete dose",
            tooltip="Delete the dose under the cursor (asks first; u undoes)",
        ),
        # not in the footer (it would push others off a narrow one): the delete notice names it
        Binding(
            "u",
            "undo_delete",
            "Undo delete",
            tooltip="Bring back the dose deleted last",
            show=False,
        ),
        # ↓/↑ move the doses' cursor, the row del acts on, before the scrolling body gets them
        # (it has the focus at first); past the first or last dose they scroll as before
        Binding("down", "dose_cursor(1)", "Next dose", show=False, priority=True),
        Binding("up", "dose_cursor(-1)", "Previous dose", show=False, priority=True),
    ]

    CSS_PATH = "today.tcss"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary")
        yield DataTable(id="doses-today", cursor_type="row", zebra_stripes=True)
        # The forms (about 80 widgets, ~0.1 s to mount) come right after the first frame, so
        # the day's numbers show without waiting for them.
        yield Vertical(id="forms")

    def _compose_dose_form(self) -> ComposeResult:
        yield Label("Log a dose  (l)", classes="section-title")
        with Horizontal(id="dose-form", classes="row"):
            yield grams_field()
            yield Input(placeholder="strain", id="strain", compact=True)
            yield Select(
                [(f, f) for f in FORMS], value="powder", allow_blank=False, id="form", compact=True
            )
            yield Input(placeholder="when: now, 21:30", id="at", compact=True)
            yield Button("Log", id="log", variant="primary", compact=True)
        yield Static("", id="dose-error", classes="error-line")

    def _compose_forms(self) -> ComposeResult:
        yield Label("Check-in  (c, save with ctrl+s)", classes="section-title")
        with Horizontal(id="scores", classes="row"):
            yield Label("cravings 0-10", classes="field-label")
            yield Input(id="cravings", type="integer", max_length=2, compact=True)
            yield Label("mood 0-10", classes="field-label")
            yield Input(id="mood", type="integer", max_length=2, compact=True)
            yield Label("insomnia 0-4", classes="field-label")
            yield Input(id="insomnia", type="integer", max_length=1, compact=True)
        # a row of their own: beside the scores the last one fell off an 80-column terminal
        with Horizontal(id="flags", classes="row"):
            for flag in LIFESTYLE:
                yield Checkbox(flag, id=f"flag-{flag}", compact=True)
        yield Label("Withdrawal (SOWS items, each 0 not at all … 4 extremely)", classes="muted")
        with Grid(id="sows"):
            for key, text in SOWS_ITEMS.items():
                with Horizontal(classes="sows-item"):
                    label = Label(key.replace("_", " "), shrink=True)
                    label.tooltip = text
                    # as wide as the longest item: two 1fr halves cut "perspiring" to
                    # "perspiri" at 80 columns
                    label.styles.width = SOWS_LABEL_WIDTH
                    yield label
                    yield Input(id=f"sows-{key}", type="integer", max_length=1, compact=True)
        with Vertical(id="lists"):
            yield Input(
                placeholder="supplements, comma separated (magnesium, valerian …)",
                id="supplements",
                compact=True,
            )
            yield Input(placeholder="triggers today, comma separated", id="triggers", compact=True)
            yield Input(placeholder="note", id="note", compact=True)
        with Horizontal(classes="row"):
            yield Button("Save check-in", id="save-checkin", variant="success", compact=True)
            yield Static("", id="checkin-status", classes="muted")
        yield Static("", id="checkin-error", classes="error-line")
        yield Label("Sleep diary for last night  (d)", classes="section-title", id="diary-title")
        # two rows: the evening, then the morning (in one row "quality" fell off 80 columns)
        with Vertical(id="diary"):
            for part in (DIARY_FIELDS[:4], DIARY_FIELDS[4:]):
                with Horizontal(classes="row"):
                    for key, caption, width in part:
                        yield Label(caption, classes="field-label")
                        field = Input(id=f"diary-{key}", compact=True, max_length=5)
                        field.styles.width = width
                        yield field
        with Horizontal(classes="row"):
            yield Button("Save diary", id="save-diary", variant="success", compact=True)
            yield Static("", id="diary-status", classes="muted")
        yield Static("", id="diary-error", classes="error-line")

    def on_mount(self) -> None:
        # DataScreen.on_mount runs too: Textual calls the handler of every class in the MRO
        table = self.query_one("#doses-today", DataTable)
        table.add_columns(*DOSE_COLUMNS)
        self.tapp.after_first_frame(self._mount_forms)

    def _bundle_changed(self, bundle: Bundle | None) -> None:
        glance = self.tapp.glance
        if bundle is None and glance is not None:
            # the summary saved for exactly this store and day, until the store is read
            self.query_one("#loading").display = False
            self.query_one("#body").display = True
            self._show_glance(glance)
            return
        super()._bundle_changed(bundle)

    async def _mount_forms(self) -> None:
        body = self.query_one("#body")
        await body.mount_compose(self._compose_dose_form(), before="#doses-today")
        await self.query_one("#forms", Vertical).mount_compose(self._compose_forms())
        self._forms_ready = True
        bundle = self.tapp.bundle
        if bundle is not None:
            self._prefill_once(bundle)
        if self._focus_when_ready is not None:
            field = self.query_one(self._focus_when_ready, Input)
            self._focus_when_ready = None
            self.focus_field(field)
            self.tapp.release_keys(field)  # what was typed meanwhile goes into the field

    def _focus_field(self, selector: str) -> None:
        if self._forms_ready:
            self.focus_field(self.query_one(selector, Input))
        else:  # a key pressed in the instant before the forms are there
            self._focus_when_ready = selector
            self.tapp.hold_keys()

    def _in_form(self, selector: str) -> bool:
        focused = self.focused
        return focused is not None and any(
            node.id == selector for node in focused.ancestors_with_self
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the one ctrl+s the footer shows is the one for the form the cursor is in
        if action == "save_diary" and not self._in_form("diary"):
            return False
        if action == "log_dose" and not self._in_form("dose-form"):
            return False
        if action == "save_checkin" and not self._in_checkin():
            return False
        return super().check_action(action, parameters)

    def _in_checkin(self) -> bool:
        return (
            self._in_form("forms") and not self._in_form("diary") and not self._in_form("dose-form")
        )

    def action_save_checkin_from_anywhere(self) -> None:
        self.action_save_checkin()

    def _done_with_field(self) -> None:
        # saved: the screen's keys (and q) work again without an esc first
        self.set_focus(None)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _note_edit(self, event: Input.Changed | Checkbox.Changed | Select.Changed) -> None:
        # The person's changes happen in the focused field; a Select reports its first value
        # when it mounts, and the prefill's own changes are not posted (self.prevent).
        control = event.control
        if control.id and control.has_focus_within:
            self._edited = self._edited | {control.id}

    # -- showing -------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        from dashboard.core.views import glance

        self._show_glance(glance.of_bundle(bundle))
        self._prefill_once(bundle)

    def _prefill_once(self, bundle: Bundle) -> None:
        if self._forms_ready and self._prefilled_for != bundle.today:
            # The forms can be typed in before the store is read (the first frame shows the
            # saved glance): what the person typed by then is kept, the stored values fill
            # the rest.
            with self.prevent(Input.Changed, Checkbox.Changed, Select.Changed):
                self._prefill(bundle, bundle.today)
            self._prefilled_for = bundle.today

    def _show_glance(self, glance: Glance) -> None:
        table = self.query_one("#doses-today", DataTable)
        table.clear()
        for row in glance.doses:
            cells: list[str | Text] = list(row)
            cells[3] = Text(row[3])  # the strain is the user's words: never parsed as markup
            table.add_row(*cells, key=row[-1])
        self.query_one("#summary", Static).update(self._summary(glance))

    def _summary(self, glance: Glance) -> str:
        taken, n = glance.taken_g, len(glance.doses)
        day = f"[b]{glance.today:%A %d %B %Y}[/b]"
        parts = [day, f"taken {taken:g} g in {count(n, 'dose')}"]
        if glance.plan_g is not None:
            left = glance.plan_g - taken
            parts.append(f"plan {glance.plan_g:g} g")
            parts.append(
                f"[b]{left:g} g left[/b]"
                if left >= 0
                else f"[b $warning]{-left:g} g over plan[/b $warning]"
            )
            if glance.headline:
                parts.append(glance.headline)
        else:
            parts.append("no taper plan set (2, then p, sets one)")
        return "  ·  ".join(parts)

    def _fill(
        self, widget_id: str, kind: type[Input | Select[str] | Checkbox], value: object
    ) -> None:
        if widget_id not in self._edited:
            self.query_one(f"#{widget_id}", kind).value = value  # type: ignore[assignment]

    def _prefill(self, bundle: Bundle, today: dt.date) -> None:
        import polars as pl

        from dashboard.core.store import doses as doses_mod

        live = doses_mod.live(bundle.table("doses"))
        if live.height:
            last = live.sort("taken_at").row(-1, named=True)
            self._fill("strain", Input, last["strain"] or "")
            if last["form"] in FORMS:
                self._fill("form", Select, last["form"])
        self._prefill_diary(bundle, today)
        checkins = bundle.table("checkins").filter(pl.col("date") == today)
        if checkins.height:
            row = checkins.row(0, named=True)
            for key in ("cravings", "mood", "insomnia"):
                self._fill(key, Input, "" if row[key] is None else str(row[key]))
            for key in SOWS_ITEMS:
                v = row[f"sows_{key}"]
                self._fill(f"sows-{key}", Input, "" if v is None else str(v))
            for flag in LIFESTYLE:
                self._fill(f"flag-{flag}", Checkbox, bool(row[flag]))
            self._fill("supplements", Input, ", ".join(row["supplements"] or []))
            self._fill("triggers", Input, ", ".join(row["triggers"] or []))
            self._fill("note", Input, row["note"] or "")
            self.query_one("#checkin-status", Static).update(
                f"checked in (withdrawal {row['withdrawal_score'] if row['withdrawal_score'] is not None else '–'}/64)"
            )

    def _prefill_diary(self, bundle: Bundle, today: dt.date) -> None:
        from dashboard.core.clinical import diary

        night = today - dt.timedelta(days=1)
        self.query_one("#diary-title", Label).update(
            f"Sleep diary for the night of {night:%a %d %b}  (d)"
        )
        entry = diary.stored_entry(bundle.table("sleep_sessions"), night, bundle.tz)
        if entry is None:
            return
        values = {
            "bedtime": f"{entry.bedtime:%H:%M}",
            "latency": f"{entry.latency_min:g}",
            "awakenings": str(entry.awakenings),
            "waso": f"{entry.waso_min:g}",
            "wake": f"{entry.wake:%H:%M}",
            "out": f"{entry.out_of_bed:%H:%M}",
            "quality": str(entry.quality),
        }
        for key, value in values.items():
            self._fill(f"diary-{key}", Input, value)
        self.query_one("#diary-status", Static).update("saved")

    # -- actions -------------------------------------------------------------------------
    def action_focus_diary(self) -> None:
        self._focus_field("#diary-bedtime")

    def action_save_diary(self) -> None:
        self.save_diary()

    @on(Input.Submitted, "#diary Input")
    @on(Button.Pressed, "#save-diary")
    def save_diary(self) -> None:
        from dashboard.core.clinical import diary
        from dashboard.core.errors import UserError
        from dashboard.core.store.disk import Store

        error = self.query_one("#diary-error", Static)

        def text(key: str) -> str:
            return self.query_one(f"#diary-{key}", Input).value.strip()

        def number(key: str, label: str) -> float:
            raw = text(key) or "0"
            try:
                return float(raw.replace(",", "."))
            except ValueError:
                raise diary.InvalidDiary(f"{label}: a number, please (got {raw!r})") from None

        try:
            now, tz, today = self.tapp.clock()
            for key, label, _ in DIARY_FIELDS:
                if key in ("bedtime", "wake", "out") and not text(key):
                    raise diary.InvalidDiary(f"{label}: a clock time like 23:10, please")
            night = diary.compute(
                diary.DiaryInput(
                    night=today - dt.timedelta(days=1),
                    bedtime=diary.parse_clock(text("bedtime"), "in bed"),
                    latency_min=number("latency", "minutes to fall asleep"),
                    awakenings=int(number("awakenings", "wakings")),
                    waso_min=number("waso", "minutes awake"),
                    wake=diary.parse_clock(text("wake"), "woke"),
                    out_of_bed=diary.parse_clock(text("out"), "up"),
                    quality=int(number("quality", "quality") or 3),
                ),
                tz,
                now,
            )
            diary.save_diary(Store(self.tapp.home), night)
        except UserError as exc:
            error.update(Text(str(exc)))
            return
        error.update("")
        self.query_one("#diary-status", Static).update(
            f"saved: asleep {night.asleep_min:.0f} min of {night.in_bed_min:.0f} in bed ({night.efficiency:.0%})"
        )
        self._done_with_field()
        self.tapp.data_changed("Sleep diary saved")

    def action_focus_dose(self) -> None:
        self._focus_field("#grams")

    def action_focus_checkin(self) -> None:
        self._focus_field("#cravings")

    def action_log_dose(self) -> None:
        self.log_dose()

    @on(Input.Submitted, "#grams, #strain, #at")
    @on(Button.Pressed, "#log")
    def log_dose(self) -> None:
        from dashboard.core.clock import offset_min, parse_when
        from dashboard.core.errors import UserError
        from dashboard.core.store import doses
        from dashboard.core.store.config import ConfigError
        from dashboard.core.store.disk import Store

        if self._asking:
            return
        error = self.query_one("#dose-error", Static)
        try:
            grams = doses.parse_grams(self.query_one("#grams", Input).value)
            now, tz, _ = self.tapp.clock()
            at_text = self.query_one("#at", Input).value.strip()
            if at_text and at_text.lower() != "now":
                taken_at, offset = parse_when(at_text, now, tz)
            else:
                taken_at, offset = now, offset_min(now, tz)
            d = doses.validate(
                doses.DoseInput(
                    grams=grams,
                    taken_at=taken_at,
                    utc_offset_min=offset,
                    strain=self.query_one("#strain", Input).value.strip() or None,
                    form=str(self.query_one("#form", Select).value),
                ),
                now,
            )
            why = doses.out_of_line(d, Store(self.tapp.home).read("doses"))
        except (UserError, ConfigError) as exc:
            error.update(str(exc))
            return
        if why is None:
            self._add_dose(d, now)
            return
        from dashboard.screens.confirm import Doubt

        def answered(yes: bool | None) -> None:
            self._asking = False
            if yes:
                self._add_dose(d, now)
            else:
                error.update(f"Not logged: {why}")
                field = self.query_one("#grams", Input)
                self.focus_field(field)
                field.select_all()  # typed over, or ← to put the point in

        self._asking = True
        self.app.push_screen(
            Doubt(f"Log {d.grams:g} g?", why, "y: log it    n / Esc / Enter: back to the form"),
            answered,
        )

    def _add_dose(self, d: DoseInput, now: dt.datetime) -> None:
        from dashboard.core.errors import UserError
        from dashboard.core.store import doses
        from dashboard.core.store.disk import Store

        error = self.query_one("#dose-error", Static)
        try:
            id_ = doses.add(Store(self.tapp.home), d, now)
        except UserError as exc:
            error.update(str(exc))
            return
        error.update("")
        self.query_one("#grams", Input).value = ""
        self.query_one("#at", Input).value = ""
        self._done_with_field()
        self.tapp.data_changed(f"Logged dose #{id_}: {d.grams:g} g")

    def action_dose_cursor(self, step: int) -> None:
        from textual.actions import SkipAction

        table = self.query_one("#doses-today", DataTable)
        focused = self.focused
        if focused not in (None, table, self.query_one("#body")):
            raise SkipAction  # a field or a list of choices has the keys
        if not 0 <= table.cursor_row + step < table.row_count:
            raise SkipAction
        table.focus()
        table.move_cursor(row=table.cursor_row + step)

    def action_delete_dose(self) -> None:
        from dashboard.screens.confirm import Confirm

        table = self.query_one("#doses-today", DataTable)
        if not table.row_count:
            self.notify("No dose today to delete.", timeout=3)
            return
        table.focus()  # the row about to go is the highlighted one
        row = table.get_row_at(table.cursor_row)
        cells = dict(zip(DOSE_COLUMNS, (str(c) for c in row), strict=False))
        id_ = int(cells["id"])
        strain = f" · {cells['strain']}" if cells.get("strain") else ""
        detail = f"{cells['time']} · {cells['grams']} g{strain} · {cells['form']}"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(id_)

        self.app.push_screen(
            Confirm(f"Delete dose #{id_}?", detail, "y / Enter: delete    n / Esc: keep it"),
            answered,
        )

    def _delete(self, id_: int) -> None:
        from dashboard.core.errors import UserError
        from dashboard.core.store import doses
        from dashboard.core.store.disk import Store

        now, _, _ = self.tapp.clock()
        try:
            doses.delete(Store(self.tapp.home), id_, now)
        except UserError as exc:
            self.query_one("#dose-error", Static).update(Text(str(exc)))
            return
        self._deleted = (*self._deleted, id_)
        self.tapp.data_changed(f"Deleted dose #{id_} (u brings it back)")

    def action_undo_delete(self) -> None:
        from dashboard.core.errors import UserError
        from dashboard.core.store import doses
        from dashboard.core.store.disk import Store

        if not self._deleted:
            self.notify("Nothing to undo: no dose was deleted here.", timeout=3)
            return
        id_ = self._deleted[-1]
        now, _, _ = self.tapp.clock()
        try:
            row = doses.undelete(Store(self.tapp.home), id_, now)
        except UserError as exc:  # restored meanwhile, e.g. with taperdash log --undelete
            self.notify(str(exc), timeout=4)
        else:
            self.tapp.data_changed(f"Restored dose #{id_}: {row['grams']:g} g")
        self._deleted = self._deleted[:-1]

    def _int(self, widget_id: str) -> int | None:
        from dashboard.core.errors import InvalidCheckin

        raw = self.query_one(f"#{widget_id}", Input).value.strip()
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            raise InvalidCheckin(
                f"{widget_id.replace('sows-', '')}: a whole number, please"
            ) from None

    @on(Button.Pressed, "#save-checkin")
    def action_save_checkin(self) -> None:
        if not self._forms_ready:
            return  # ctrl+s before the form is there: nothing has been typed in it
        from dashboard.core.errors import UserError
        from dashboard.core.store import checkins
        from dashboard.core.store.disk import Store

        error = self.query_one("#checkin-error", Static)

        def items(widget_id: str) -> tuple[str, ...]:
            return tuple(
                s.strip()
                for s in self.query_one(f"#{widget_id}", Input).value.split(",")
                if s.strip()
            )

        try:
            now, _, today = self.tapp.clock()
            sows = {k: v for k in SOWS_ITEMS if (v := self._int(f"sows-{k}")) is not None}
            c = checkins.validate(
                checkins.CheckinInput(
                    date=today,
                    sows=sows,
                    cravings=self._int("cravings"),
                    mood=self._int("mood"),
                    insomnia=self._int("insomnia"),
                    supplements=items("supplements"),
                    lifestyle={f: self.query_one(f"#flag-{f}", Checkbox).value for f in LIFESTYLE},
                    triggers=items("triggers"),
                    note=self.query_one("#note", Input).value.strip() or None,
                ),
                today,
            )
            row = checkins.upsert(Store(self.tapp.home), c, now)
        except UserError as exc:
            error.update(str(exc))
            return
        error.update("")
        score = row["withdrawal_score"]
        self.query_one("#checkin-status", Static).update(
            f"saved (withdrawal {score if score is not None else '–'}/64)"
        )
        self._done_with_field()
        self.tapp.data_changed("Check-in saved")
