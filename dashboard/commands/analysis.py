"""`taperdash plan show|set`, `taperdash links` and `taperdash review`: thin calls into core."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import replace
from typing import Any

import polars as pl

from dashboard.commands.context import Context
from dashboard.commands.parsing import grams, iso_date, number
from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.links import compute_links, links_document
from dashboard.core.analysis.plan import Advice, advise, has_plan, schedule, target_date
from dashboard.core.analysis.plan_setting import (
    InvalidPlan,
    describe,
    make_plan,
    sudden_drop_warning,
)
from dashboard.core.clinical.overrides import apply_overrides
from dashboard.core.clinical.review.compute import weekly_review
from dashboard.core.clinical.review.model import DISCLAIMER
from dashboard.core.clinical.review.render import to_markdown, to_text
from dashboard.core.errors import UserError
from dashboard.core.store.config import Hold
from dashboard.core.weeks import WeekError, week_bounds, week_of


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    plan = sub.add_parser(
        "plan",
        parents=[parent],
        help="show or set the taper plan",
        description="The taper plan: a start dose cut by a share each week, with holds. "
        + DISCLAIMER,
    )
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="show|set", required=True)
    show = plan_sub.add_parser(
        "show", parents=[parent], help="the plan, its schedule and the advisor's view"
    )
    show.add_argument("--json", action="store_true", help="one JSON document on stdout")
    show.set_defaults(func=run_plan_show)

    put = plan_sub.add_parser(
        "set",
        parents=[parent],
        help="set the taper plan",
        description="Set the plan, e.g. taperdash plan set --start-dose 8 --rate 10. "
        "10-20 % a week is the usual guidance; more than 25 % a week is a sudden drop.",
    )
    put.add_argument("--start-dose", type=grams, required=True, metavar="G", help="grams a day")
    put.add_argument("--rate", type=number, required=True, metavar="PCT", help="%% cut per week")
    put.add_argument("--start", type=iso_date, metavar="DATE", help="YYYY-MM-DD (default: today)")
    put.add_argument("--target", type=grams, default=0.0, metavar="G", help="default 0")
    put.add_argument(
        "--mode",
        choices=("proportional", "linear"),
        default="proportional",
        help="proportional: %% of the current dose (default); linear: %% of the start dose",
    )
    put.add_argument(
        "--step", type=grams, default=0.25, metavar="G", help="smallest step (default 0.25)"
    )
    put.add_argument(
        "--hold",
        action="append",
        default=[],
        type=_hold,
        metavar="START:END",
        help="pause the schedule between two dates (inclusive); repeatable",
    )
    put.set_defaults(func=run_plan_set)

    links = sub.add_parser(
        "links",
        parents=[parent],
        help="what the data say about tapering, exercise, supplements, sleep and symptoms",
    )
    links.add_argument("--json", action="store_true", help="one JSON document on stdout")
    links.set_defaults(func=run_links)

    review = sub.add_parser(
        "review",
        parents=[parent],
        help="the weekly review (default: the week holding yesterday)",
    )
    review.add_argument("--week", metavar="YYYY-Www", help="e.g. 2026-W47")
    review.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    review.set_defaults(func=run_review)


def _hold(text: str) -> Hold:
    first, sep, last = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"a hold is START:END, e.g. 2026-12-01:2026-12-07: {text!r}"
        )
    start, end = iso_date(first), iso_date(last)
    if end < start:
        raise argparse.ArgumentTypeError(f"a hold must end on or after its start: {text!r}")
    return Hold(start, end)


def _daily(ctx: Context) -> pl.DataFrame:
    read = ctx.store.read
    return daily_frame(
        read("doses"),
        read("checkins"),
        apply_overrides(read("sleep_sessions"), read("night_overrides")),
        read("activities"),
        read("daily_activity"),
        ctx.config,
        end=ctx.today,
    )


def _print_json(ctx: Context, doc: Any) -> None:
    ctx.out(json.dumps(doc, indent=2))


# --- plan ------------------------------------------------------------------------------------


def run_plan_set(args: argparse.Namespace, ctx: Context) -> int:
    try:
        plan = make_plan(
            start_dose_g=args.start_dose,
            rate_pct=args.rate,
            start=args.start or ctx.today,
            target_g=args.target,
            step_g=args.step,
            mode=args.mode,
            holds=tuple(args.hold),
        )
    except InvalidPlan as exc:
        raise InvalidPlan(f"plan set: {exc}") from None
    ctx.save_config(replace(ctx.config, plan=plan))
    ctx.out(f"Plan saved: {describe(plan)}.")
    end = target_date(plan)
    if end is not None:
        weeks = (end - (args.start or ctx.today)).days / 7
        ctx.out(f"Reaches {plan.target_g:g} g on {end.isoformat()} (about {weeks:.0f} weeks).")
    warning = sudden_drop_warning(args.rate, ctx.config.advisor.sudden_drop_pct)
    if warning:
        ctx.out(f"Warning: {warning}")
    return 0


def _plan_document(ctx: Context, advice: Advice) -> dict[str, Any]:
    plan = ctx.config.plan
    steps: list[dict[str, Any]] = []
    if has_plan(plan):
        sched = schedule(plan, today=ctx.today)
        first = sched.head(1)
        changes = pl.concat([first, sched.filter(pl.col("plan_step"))])
        steps = [
            {"date": row[C.DATE].isoformat(), "plan_g": row[C.PLAN_G]}
            for row in changes.iter_rows(named=True)
        ]
    end = target_date(plan, today=ctx.today)
    return {
        "plan": None
        if not has_plan(plan)
        else {
            "mode": plan.mode,
            "start_dose_g": plan.start_dose_g,
            "rate_pct": plan.rate_pct,
            "start": (plan.start or ctx.today).isoformat(),
            "target_g": plan.target_g,
            "step_g": plan.step_g,
            "holds": [{"start": h.start.isoformat(), "end": h.end.isoformat()} for h in plan.holds],
        },
        "target_date": end.isoformat() if end else None,
        "today": ctx.today.isoformat(),
        "today_plan_g": advice.today_plan_g,
        "steps": steps,
        "advice": {
            "action": advice.action,
            "reasons": list(advice.reasons),
            "warnings": list(advice.warnings),
            "next_step_date": advice.next_step_date.isoformat() if advice.next_step_date else None,
            "next_step_g": advice.next_step_g,
            "withdrawal_mean": advice.withdrawal_mean,
            "insomnia_nights": advice.insomnia_nights,
            "doses_per_day_recent": advice.doses_per_day_recent,
            "doses_per_day_prev": advice.doses_per_day_prev,
            "strains_recent": list(advice.strains_recent),
            "settle_days": advice.settle_days,
            "settles_on": advice.settles_on.isoformat() if advice.settles_on else None,
            "dose_7d_g": advice.dose_7d_g,
            "dose_28d_g": advice.dose_28d_g,
            "dose_ratio_7_28": advice.dose_ratio_7_28,
        },
    }


def run_plan_show(args: argparse.Namespace, ctx: Context) -> int:
    advice = advise(_daily(ctx), ctx.config, ctx.today)
    doc = _plan_document(ctx, advice)
    if args.json:
        _print_json(ctx, doc)
        return 0
    plan = ctx.config.plan
    if not has_plan(plan):
        ctx.out("No taper plan set. Set one with: taperdash plan set --start-dose G --rate PCT")
    else:
        ctx.out(f"Plan: {describe(replace(plan, start=plan.start or ctx.today))}.")
        if doc["target_date"]:
            ctx.out(f"Target date: {doc['target_date']}")
        if doc["today_plan_g"] is not None:
            ctx.out(f"Today ({ctx.today}): {doc['today_plan_g']:g} g")
        upcoming = [s for s in doc["steps"] if s["date"] > ctx.today.isoformat()][:8]
        if upcoming:
            ctx.out("Next steps:")
            for s in upcoming:
                ctx.out(f"  {s['date']}  {s['plan_g']:g} g")
    ctx.out("")
    for line in advice.lines():
        ctx.out(line)
    ctx.out("")
    ctx.out(DISCLAIMER)
    return 0


# --- links and review ------------------------------------------------------------------------


def run_links(args: argparse.Namespace, ctx: Context) -> int:
    daily = _daily(ctx)
    links = compute_links(daily, ctx.config, until=ctx.today)
    if args.json:
        _print_json(ctx, links_document(links))
        return 0
    if not links:
        ctx.out("No data yet: log doses, check in and import sleep to see links.")
        return 0
    shown = sorted(links, key=lambda lk: (lk.estimate is None, not lk.fdr_ok, not lk.notable))
    for link in shown:
        mark = "*" if link.fdr_ok else " "
        ctx.out(f"{mark} {link.text}")
    ctx.out("")
    ctx.out(
        "* holds after correcting for the number of links (Benjamini-Hochberg, 5 %)."
        " Links show co-occurrence, not cause."
    )
    ctx.out(DISCLAIMER)
    return 0


def _week(args: argparse.Namespace, ctx: Context) -> str:
    ws = ctx.config.week_start
    if args.week is None:
        # The week holding yesterday: on the first morning of a week that is the finished one.
        return week_of(ctx.today - dt.timedelta(days=1), ws)
    try:
        start, _ = week_bounds(args.week, ws)
    except WeekError as exc:
        raise UserError(str(exc)) from None
    if start > ctx.today:
        raise UserError(f"week {args.week} has not started yet")
    return args.week


def run_review(args: argparse.Namespace, ctx: Context) -> int:
    week = _week(args, ctx)
    rev = weekly_review(
        _daily(ctx),
        ctx.config,
        week,
        today=ctx.today,
        reflections=ctx.store.read("reflections"),
        isi=ctx.store.read("isi"),
    )
    if args.format == "json":
        _print_json(ctx, rev.to_json())
    elif args.format == "markdown":
        ctx.out(to_markdown(rev))
    else:
        ctx.out(to_text(rev))
    return 0
