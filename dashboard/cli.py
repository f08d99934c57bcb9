"""The `taperdash` command. Every subcommand is a thin call into dashboard/core.

Exit codes: 0 success, 1 some input failed (the rest went in), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from pathlib import Path

from dashboard import __version__

DISCLAIMER = "taperdash is a personal record-keeping tool, not medical advice."


def build_parser() -> argparse.ArgumentParser:
    from dashboard.commands.parsing import CliParser

    # --home is accepted before or after the subcommand
    parent = CliParser(add_help=False)
    parent.add_argument(
        "--home",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="data folder (default: $TAPERDASH_HOME or the user data dir)",
    )
    parser = CliParser(
        prog="taperdash",
        description="A private terminal dashboard for tapering off kratom. " + DISCLAIMER,
    )
    parser.add_argument(
        "--home",
        default=None,
        metavar="DIR",
        help="data folder (default: $TAPERDASH_HOME or the user data dir)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the dashboard on a copy of the demo history"
    )
    parser.add_argument("--version", action="version", version=f"taperdash {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from dashboard.commands import MODULES

    for name in MODULES:
        # a typo in MODULES is an error, never a command group silently missing
        importlib.import_module(name).register(sub, parent)
    return parser


def _dashboard_only(argv: list[str]) -> argparse.Namespace | None:
    """`taperdash [--home DIR] [--demo]`: parsed without importing any subcommand module, so
    the dashboard's first frame does not wait for them."""
    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--home", default=None)
    quick.add_argument("--demo", action="store_true")
    try:
        args, rest = quick.parse_known_args(argv)
    except SystemExit:
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _dashboard_only(argv) or build_parser().parse_args(argv)
    from dashboard.core.errors import StoreError, UserError
    from dashboard.core.store.config import ConfigError

    try:
        if args.command is None:
            return _open_dashboard(args)
        from dashboard.commands.context import make_context
        from dashboard.core.views import glance

        ctx = make_context(args.home)
        before = glance.read_sources(ctx.home)
        code = int(args.func(args, ctx) or 0)
        _refresh_glance(ctx.home, before)
        return code
    except (UserError, StoreError) as exc:
        print(f"taperdash: {exc}", file=sys.stderr)
        return exc.exit_code
    except ConfigError as exc:
        print(f"taperdash: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("taperdash: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _refresh_glance(home: Path, before: tuple[bytes, bytes]) -> None:
    """After a command changed the store or the config, the dashboard's saved glance (if the
    dashboard is used here) is made again, so its next start still shows the day at once."""
    from dashboard.commands.context import ENV_TODAY
    from dashboard.core.views import glance

    # The command is done and acknowledged, and the cache is optional: whatever goes wrong
    # here (even ctrl+c), the old glance's key no longer matches and the next start reads the
    # store; the command's exit code stays the command's.
    with contextlib.suppress(Exception, KeyboardInterrupt):
        if glance.exists(home) and glance.read_sources(home) != before:
            glance.refresh_home(home, os.environ.get(ENV_TODAY))


def _open_dashboard(args: argparse.Namespace) -> int:
    from dashboard.launch import run_dashboard

    return run_dashboard(home=args.home, demo=args.demo)
