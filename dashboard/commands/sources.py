"""`taperdash sources add|list|remove` and `taperdash sync`: thin calls into core/sources.py."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.commands.context import Context
from dashboard.core.errors import UserError
from dashboard.core.store import ingest, sources


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sources",
        parents=[parent],
        help="folders that `taperdash sync` keeps imported",
        description="Folders whose new files `taperdash sync` imports (e.g. where a phone app "
        "drops its exports). The list is kept in config.toml.",
    )
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = acts.add_parser("add", parents=[parent], help="add a folder")
    a.add_argument("path", metavar="PATH")
    a.set_defaults(func=run_add)
    ls = acts.add_parser("list", parents=[parent], help="list the folders")
    ls.set_defaults(func=run_list)
    r = acts.add_parser("remove", parents=[parent], help="stop syncing a folder")
    r.add_argument("path", metavar="PATH")
    r.set_defaults(func=run_remove)

    s = sub.add_parser(
        "sync",
        parents=[parent],
        help="import what is new in every source folder",
        description="Imports the new and changed files of every folder in `taperdash sources`; "
        "unchanged files are not read again. Exit 1 when a file failed.",
    )
    s.add_argument(
        "--skip-bad-rows", action="store_true", help="keep a file's good rows when some are bad"
    )
    s.set_defaults(func=run_sync)


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    cfg, kept, new = sources.add(ctx.config, args.path)
    if new:
        ctx.save_config(cfg)
        ctx.out(f"added {kept}; `taperdash sync` imports what is new in it")
    else:
        ctx.out(f"{kept} is already a source")
    return 0


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    if not ctx.config.sources:
        ctx.out("no sources; add a folder with `taperdash sources add PATH`")
        return 0
    for folder in ctx.config.sources:
        state = "" if Path(folder).is_dir() else "  (missing)"
        ctx.out(f"{folder}{state}")
    return 0


def run_remove(args: argparse.Namespace, ctx: Context) -> int:
    cfg, gone = sources.remove(ctx.config, args.path)
    ctx.save_config(cfg)
    ctx.out(f"removed {gone} (what was imported from it stays)")
    return 0


def run_sync(args: argparse.Namespace, ctx: Context) -> int:
    if not ctx.config.sources:
        raise UserError("no sources to sync; add a folder with `taperdash sources add PATH`")
    rctx = ingest.read_context(ctx.config, skip_bad_rows=args.skip_bad_rows)
    report = sources.sync(ctx.store, ctx.config, rctx, ctx.now)
    for folder in report.missing:
        ctx.out(sources.missing_line(folder))
    # unchanged files are the usual case: only what changed gets a line
    for o in report.changed():
        ctx.out(o.line())
    present = len(ctx.config.sources) - len(report.missing)
    ctx.out(f"sync: {present} folder(s), {len(report.outcomes)} file(s): {report.summary()}")
    return 1 if report.failed else 0
