"""`taperdash import` and `taperdash export`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.commands.context import Context
from dashboard.core.errors import UserError
from dashboard.core.store import ingest, logcsv
from dashboard.core.store.schema import TABLES
from dashboard.core.words import count
from importers.registry import ReadContext


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[parent],
        help="import wearable exports and taperdash CSVs (files, folders, .zip)",
        description="Import files, folders and .zip exports. Re-importing the same bytes adds nothing.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--format", default="auto", help="auto (default) or a format name; see --list-formats"
    )
    p.add_argument("--json", action="store_true", help="print one JSON document instead of lines")
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="keep a file's good rows when some rows are bad",
    )
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="date_order",
        action="store_const",
        const="dmy",
        help="a spreadsheet's dates are day-first (05/03/2026 is 5 March)",
    )
    order.add_argument(
        "--monthfirst",
        dest="date_order",
        action="store_const",
        const="mdy",
        help="a spreadsheet's dates are month-first (05/03/2026 is 3 May)",
    )
    p.add_argument(
        "--unit", choices=("g", "mg"), help="the unit of a spreadsheet's bare amount numbers"
    )
    p.add_argument(
        "--columns",
        metavar="ROLE=COLUMN,...",
        help="which spreadsheet column is which, e.g. date=Day,time=When,grams=Dose",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be imported (first rows, count, date range) and write nothing",
    )
    p.set_defaults(func=run_import)

    f = sub.add_parser("formats", parents=[parent], help="list the import formats")
    f.set_defaults(func=run_formats)

    e = sub.add_parser("export", parents=[parent], help="write every table to a folder")
    e.add_argument("--out", required=True, type=Path, metavar="DIR")
    e.add_argument("--format", choices=("csv", "parquet"), default="csv")
    e.set_defaults(func=run_export)


def run_formats(args: argparse.Namespace, ctx: Context) -> int:
    from importers.registry import formats

    for name, fmt in sorted(formats().items()):
        ctx.out(f"{name:28} {fmt.description}")
    return 0


def read_context(ctx: Context, args: argparse.Namespace) -> ReadContext:
    from importers.model import ImportRefused
    from importers.sheets.options import parse_columns

    try:
        columns = parse_columns(args.columns) if args.columns else {}
    except ImportRefused as exc:
        raise UserError(str(exc)) from None
    return ingest.read_context(
        ctx.config,
        skip_bad_rows=args.skip_bad_rows,
        date_order=args.date_order,
        unit=args.unit,
        columns=columns,
    )


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    rctx = read_context(ctx, args)
    if args.dry_run:
        return _dry_run(args, ctx, rctx)
    show = _Reporter(enabled=not args.json)
    try:
        outcomes = ingest.import_paths(
            ctx.store, args.paths, rctx, args.format, ctx.now, progress=show
        )
    finally:
        show.close()
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    failed = counts.get("failed", 0)
    if args.json:
        doc = {
            "files": [o.__dict__ for o in outcomes],
            "summary": counts,
        }
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no files"
        ctx.out(f"{len(outcomes)} file(s): {summary}")
    if not outcomes:
        raise UserError("no files found under " + ", ".join(args.paths))
    return 1 if failed else 0


def _dry_run(args: argparse.Namespace, ctx: Context, rctx: ReadContext) -> int:
    from dashboard.core.store import preview

    result = preview.dry_run(ctx.store, args.paths, rctx, args.format, ctx.now)
    if args.json:
        doc = {
            "dry_run": True,
            # nothing landed: a file that would be imported is "ready"
            "files": [
                {**o.__dict__, "status": "ready" if o.status == "imported" else o.status}
                for o in result.outcomes
            ],
            "sheets": [
                {
                    "path": p.path,
                    "format": p.format,
                    "table": p.table,
                    "rows": p.count,
                    "already_there": p.known,
                    "first_date": str(p.first),
                    "last_date": str(p.last),
                    "first_rows": [dict(zip(p.columns, r, strict=True)) for r in p.rows],
                }
                for p in result.sheets
            ],
        }
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        for o in result.outcomes:
            # nothing lands in a dry run: an importable file is "ready", not "imported"
            line = o.line()
            ctx.out("ready    " + line[9:] if o.status == "imported" else line)
        for p in result.sheets:
            ctx.out("")
            ctx.out(f"{p.path} ({p.format}): {preview.summary(p)}")
            for line in preview.table_lines(p):
                ctx.out("  " + line)
        ctx.out("")
        ctx.out("dry run: nothing was written")
    if not result.outcomes:
        raise UserError("no files found under " + ", ".join(args.paths))
    return 1 if result.failed else 0


class _Reporter:
    """One line per file; on a terminal, a progress bar on stderr as well."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(
                TextColumn("importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.progress.add_task("", total=None)
            self.progress.start()

    def __call__(self, outcome: ingest.Outcome, done: int) -> None:
        if not self.enabled:
            return
        if self.progress is not None:
            self.progress.update(
                self.task, completed=done, description=Path(outcome.path).name[-40:]
            )
            self.progress.console.print(
                outcome.line(), highlight=False, markup=False, soft_wrap=True
            )
        else:
            sys.stdout.write(outcome.line() + "\n")

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    if args.out.exists() and not args.out.is_dir():
        raise UserError(f"--out {args.out}: exists and is not a folder")
    tables = {name: ctx.store.read(name) for name in TABLES if name != "imports"}
    written = logcsv.export(tables, args.out, args.format)
    for path in written:
        ctx.out(f"wrote {path} ({count(tables[path.stem].height, 'row')})")
    return 0
