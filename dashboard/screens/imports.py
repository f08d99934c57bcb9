"""Imports: the ledger of imported files (what failed and why), and importing a path with a
progress bar, in a worker. The app's background sync of the source folders (at start and on
ctrl+r) shows its progress on the same bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, ProgressBar, Static

from dashboard.screens.base import DataScreen

if TYPE_CHECKING:
    from dashboard.app import SyncStatus
    from dashboard.core.store.ingest import Outcome
    from dashboard.core.store.preview import DryRun
    from dashboard.core.views.bundle import Bundle

# A single file up to this size is read once for a preview before it is imported; folders,
# archives and larger files (wearable exports, not hand-kept sheets) are imported at once.
PREVIEW_MAX_BYTES = 8 << 20


class LedgerDetail(ModalScreen[None]):
    """One ledger row whole: the table cuts the path and the message at the screen's width."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "Close", key_display="esc"),
    ]
    CSS_PATH = "imports.tcss"

    def __init__(self, text: Content) -> None:
        super().__init__()
        self._text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._text, id="detail")
            yield Static("esc closes", classes="muted")


def detail_text(row: dict[str, object], when: str, rows: dict[str, int]) -> Content:
    """The whole of one ledger row; paths and messages are the user's text, never markup."""
    parts: list[tuple[str, str] | str] = []
    for label, value in (
        ("file", row["path"] or ""),
        ("when", when),
        ("status", row["status"] or ""),
        ("format", row["format"] or ""),
        ("rows", ", ".join(f"{n} {table}" for table, n in rows.items() if n) or "none"),
        ("sha256", row["sha256"] or ""),
    ):
        parts += [(f"{label:>8}  ", "bold"), f"{value}\n"]
    message = str(row["message"] or "–")
    parts += [
        (f"{'message':>8}  ", "bold"),
        (message, "$text-error") if row["status"] == "failed" else message,
    ]
    return Content.assemble(*parts)


class ImportsScreen(DataScreen):
    TITLE = "Imports"
    NEEDS_DATA = False
    AUTO_FOCUS = "#ledger"  # Enter opens the row under the cursor; digits still switch screens
    BINDINGS = [
        Binding(
            "i",
            "focus_path",
            "Import a path",
            tooltip="Type a file, folder or .zip and press Enter",
            priority=True,  # focuses before the next key is read: `i` + a pasted path works
        ),
        Binding("f", "failed_only", "Failed only", tooltip="Show only the files that failed"),
    ]
    CSS_PATH = "imports.tcss"

    class Progressed(Message):
        def __init__(self, outcome: Outcome, done: int) -> None:
            super().__init__()
            self.outcome = outcome
            self.done = done

    class Previewed(Message):
        def __init__(self, raw: str, result: DryRun | None, error: str | None = None) -> None:
            super().__init__()
            self.raw = raw
            self.result = result
            self.error = error

    class Finished(Message):
        def __init__(self, outcomes: list[Outcome], error: str | None = None) -> None:
            super().__init__()
            self.outcomes = outcomes
            self.error = error

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="path-row", classes="row"):
            yield Input(
                placeholder="a file, folder or .zip export",
                id="path",
                compact=True,
            )
            yield Button("Import", id="go", variant="primary", compact=True)
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="status")
        yield Label("Ledger (newest first; Enter shows a row whole)", classes="section-title")
        yield DataTable(id="ledger", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.failed_only = False
        self._details: list[Content] = []  # the shown rows, whole, in table order
        self.last_result = ""  # the finished import's lines stay until the next import
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#ledger", DataTable).add_columns(
            "when", "status", "format", "rows", "file", "message"
        )
        self.importing = False  # a path typed here is being imported (it owns the bar)
        self.watch(self.tapp, "sync_status", self.show_sync, init=True)

    def show_sync(self, status: SyncStatus | None) -> None:
        if status is None or self.importing:
            return
        bar = self.query_one("#progress", ProgressBar)
        line = self.query_one("#status", Static)
        if status.running:
            bar.display = True
            total = status.total if status.total is None else max(status.total, status.done)
            bar.update(total=total, progress=status.done)
            line.update(Text(f"Syncing source folders: {status.line}"))
            return
        bar.display = False
        line.update(Text(status.line))
        self.last_result = status.line

    def show(self, bundle: Bundle) -> None:
        import json

        import polars as pl

        # newest first, and within one import (one time) the last file first
        ledger = (
            bundle.table("imports")
            .with_row_index("_order")
            .sort(["imported_at", "_order"], descending=True, nulls_last=True)
        )
        if self.failed_only:
            ledger = ledger.filter(pl.col("status") == "failed")
        table = self.query_one("#ledger", DataTable)
        table.clear()
        self._details = []
        # the theme's error colour (a DataTable cell is a Rich Text: no $variables there)
        error_style = self.app.get_css_variables().get("text-error", "")
        for row in ledger.head(500).iter_rows(named=True):
            when = (
                row["imported_at"].astimezone(bundle.tz).strftime("%Y-%m-%d %H:%M")
                if row["imported_at"]
                else ""
            )
            rows = json.loads(row["rows"] or "{}")
            status = row["status"]
            shown = Text(status, style=error_style if status == "failed" else "")
            table.add_row(
                when,
                shown,
                row["format"] or "",
                str(sum(rows.values())) if rows else "",
                Text(_short(row["path"])),  # file names and messages are not markup
                Text(row["message"] or ""),
            )
            self._details.append(detail_text(row, when, rows))
        counts = bundle.table("imports").group_by("status").len().sort("status")
        summary = ", ".join(f"{n} {s}" for s, n in counts.iter_rows()) or "nothing imported yet"
        if self.failed_only:
            summary += " · failed only (f shows all)" if ledger.height else " · no failed imports"
        if not self.query_one("#progress", ProgressBar).display and not self.last_result:
            self.query_one("#status", Static).update(f"Ledger: {summary}")

    @on(DataTable.RowSelected, "#ledger")
    def open_detail(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._details):
            self.app.push_screen(LedgerDetail(self._details[event.cursor_row]))

    def action_focus_path(self) -> None:
        self.focus_field(self.query_one("#path", Input))

    def action_failed_only(self) -> None:
        self.failed_only = not self.failed_only
        if self.tapp.bundle is not None:
            self.show(self.tapp.bundle)

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#go")
    def start_import(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.query_one("#status", Static).update("Type a path first.")
            return
        from pathlib import Path

        path = Path(raw).expanduser()
        try:
            small_file = (
                path.is_file()
                and path.suffix.lower() != ".zip"
                and path.stat().st_size <= PREVIEW_MAX_BYTES
            )
        except OSError:
            small_file = False
        if small_file:
            self.query_one("#status", Static).update(Text(f"Reading {raw} …"))
            self.run_preview(raw)
            return
        self.begin_import(raw)

    def begin_import(self, raw: str) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.importing = True
        self.query_one("#status", Static).update(Text(f"Importing {raw} …"))
        # out of the field: the screen's keys work again (an `i` now would have been typed
        # into the path and imported as part of it)
        self.set_focus(None)
        self.run_import(raw)

    @work(thread=True, exclusive=True, group="import")
    def run_preview(self, raw: str) -> None:
        """A dry run of one file: a dose or check-in sheet is shown before it lands."""
        from pathlib import Path

        from dashboard.core.errors import UserError
        from dashboard.core.store import config as config_mod
        from dashboard.core.store import ingest, preview
        from dashboard.core.store.config import ConfigError
        from dashboard.core.store.disk import Store

        try:
            cfg = config_mod.load(self.tapp.home)
            result = preview.dry_run(
                Store(self.tapp.home), [str(Path(raw).expanduser())], ingest.read_context(cfg)
            )
        except (UserError, ConfigError) as exc:
            self.post_message(self.Previewed(raw, None, str(exc)))
            return
        self.post_message(self.Previewed(raw, result))

    def on_imports_screen_previewed(self, message: Previewed) -> None:
        from dashboard.screens.import_preview import ImportPreview

        if message.error:
            self.query_one("#status", Static).update(Content.styled(message.error, "$text-error"))
            return
        result = message.result
        if result is None or not result.sheets:
            # not a sheet (a FIT file, a vendor CSV) or a file that fails: the import itself
            # says how it went and puts it in the ledger
            self.begin_import(message.raw)
            return

        def answered(confirm: bool | None) -> None:
            if confirm:
                self.begin_import(message.raw)
            else:
                self.query_one("#status", Static).update(
                    Text(f"Not imported: {message.raw} (nothing was written)")
                )

        self.app.push_screen(ImportPreview(result.sheets), answered)

    def _progressed(self, outcome: Outcome, n: int) -> None:
        self.post_message(self.Progressed(outcome, n))  # from the import's thread

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, raw: str) -> None:
        from pathlib import Path

        from dashboard.core.errors import UserError
        from dashboard.core.store import config as config_mod
        from dashboard.core.store import ingest
        from dashboard.core.store.config import ConfigError
        from dashboard.core.store.disk import Store

        try:
            cfg = config_mod.load(self.tapp.home)
            path = Path(raw).expanduser()
            total = sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1
            self.app.call_from_thread(self.query_one("#progress", ProgressBar).update, total=total)
            outcomes = ingest.import_paths(
                Store(self.tapp.home),
                [str(path)],
                ingest.read_context(cfg),
                progress=self._progressed,
            )
        except (UserError, ConfigError) as exc:
            self.post_message(self.Finished([], str(exc)))
            return
        self.post_message(self.Finished(outcomes))

    def on_imports_screen_progressed(self, message: Progressed) -> None:
        bar = self.query_one("#progress", ProgressBar)
        if bar.total is not None and message.done > bar.total:
            bar.update(total=message.done)
        bar.update(progress=message.done)
        o = message.outcome
        self.query_one("#status", Static).update(
            Text(f"{o.status}: {_short(o.path)} — {o.message}")
        )

    def on_imports_screen_finished(self, message: Finished) -> None:
        self.importing = False
        self.query_one("#progress", ProgressBar).display = False
        status = self.query_one("#status", Static)
        if message.error:
            status.update(Content.styled(message.error, "$text-error"))
            return
        counts: dict[str, int] = {}
        for o in message.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        text = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no files found"
        shown = Content(text)
        for o in [o for o in message.outcomes if o.status == "failed"][:5]:
            shown = shown.append_text("\nfailed ", "$text-error")
            shown = shown.append_text(f"{_short(o.path)}: {o.message}")
        status.update(shown)
        self.last_result = text
        self.tapp.data_changed(f"Import finished: {text.splitlines()[0]}")


def _short(path: str, width: int = 32) -> str:
    """The end of a path, cut at a folder: `…/garmin/activity-0012.fit` (the file's name is
    what tells rows apart; Enter on a row shows the whole path)."""
    if len(path) <= width:
        return path
    tail = path[-(width - 2) :]
    cut = tail.find("/")
    return "…" + (tail[cut:] if 0 <= cut < len(tail) - 1 else "/" + tail)
