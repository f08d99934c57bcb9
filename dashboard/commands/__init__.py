"""CLI subcommands, one module per group. Each module has `register(subparsers)`; handlers are
`run_xxx(args, ctx) -> int` and stay thin: the work is in dashboard/core."""

MODULES = (
    "dashboard.commands.log",
    "dashboard.commands.data",
    "dashboard.commands.analysis",
    "dashboard.commands.clinical",
    "dashboard.commands.sources",
)
