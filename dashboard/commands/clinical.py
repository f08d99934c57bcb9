"""`taperdash diary`, `night`, `isi` and `relapse`: the clinical-depth commands (issue 10).

Numbers are read as text and checked here, not by argparse, so every bad value is one line
and exit 2 (argparse would print its usage block too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

import polars as pl

from dashboard.commands.context import Context
from dashboard.core.clinical import diary, isi, overrides, relapse
from dashboard.core.clock import offset_min, parse_when
from dashboard.core.errors import UserError
from dashboard.core.store import doses
from dashboard.core.weeks import WeekError, week_bounds, week_of
from dashboard.core.words import count, hm
from importers.model import end_offset, local_of_py


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    d = sub.add_parser(
        "diary",
        parents=[parent],
        help="record last night in the sleep diary (Consensus Sleep Diary items)",
        description="A morning sleep diary, kept apart from device nights: taperdash diary"
        " --bedtime 23:10 --latency 20 --awakenings 2 --waso 25 --wake 06:40"
        " --out-of-bed 07:00 --quality 3. --date is the evening the night began (default:"
        " yesterday); a bedtime before noon counts as after midnight.",
    )
    d.add_argument("--date", metavar="YYYY-MM-DD", help="the night's date (default: yesterday)")
    d.add_argument("--bedtime", metavar="HH:MM", help="got into bed")
    d.add_argument("--latency", metavar="MIN", help="minutes to fall asleep")
    d.add_argument("--awakenings", metavar="N", help="times woken before the final wake")
    d.add_argument("--waso", metavar="MIN", help="minutes awake after first falling asleep")
    d.add_argument("--wake", metavar="HH:MM", help="final awakening")
    d.add_argument("--out-of-bed", dest="out_of_bed", metavar="HH:MM", help="got out of bed")
    d.add_argument("--quality", metavar="1-5", help="1 very poor .. 5 very good")
    d.add_argument("--json", action="store_true", help="print the stored night as JSON")
    d.set_defaults(func=run_diary)

    n = sub.add_parser(
        "night",
        parents=[parent],
        help="correct an imported night by hand (times, nap, not sleep), undo, or list",
        description="Corrections sit on top of the imported night and can be undone:"
        " taperdash night --fix garmin:123 --start 2026-11-23T23:40 --end 2026-11-24T06:50;"
        " --nap; --not-sleep; --undo ID; --list.",
    )
    # Exclusive options are checked in run_night, not by argparse groups: one line, exit 2.
    n.add_argument("--fix", metavar="SOURCE:ID", help="the night to correct (see --list)")
    n.add_argument("--undo", metavar="ID", help="undo the correction with this id")
    n.add_argument("--list", action="store_true", help="recent nights and corrections")
    n.add_argument("--nap", action="store_true", help="it was a nap, not the night")
    n.add_argument("--not-sleep", dest="not_sleep", action="store_true", help="it was not sleep")
    n.add_argument("--start", metavar="WHEN", help="new start: ISO 8601 or 'yesterday 23:40'")
    n.add_argument("--end", metavar="WHEN", help="new end")
    n.add_argument("--days", default="14", metavar="N", help="with --list: days back (14)")
    n.set_defaults(func=run_night)

    i = sub.add_parser(
        "isi",
        parents=[parent],
        help="answer the Insomnia Severity Index (every second week), or show its trend",
        description="Seven items about the last two weeks, each 0-4: "
        + "; ".join(f"{k}. {q.split('?')[0]}" for k, (q, _) in enumerate(isi.ISI_ITEMS, 1)),
    )
    i.add_argument("--items", nargs="+", metavar="0-4", help="the seven answers in order")
    i.add_argument(
        "--week", metavar="YYYY-Www", help="review week (default: the week of yesterday)"
    )
    i.add_argument("--json", action="store_true", help="one JSON document on stdout")
    i.set_defaults(func=run_isi)

    r = sub.add_parser(
        "relapse",
        parents=[parent],
        help="your relapse-prevention plan; days since the last dose; log a slip",
    )
    r_sub = r.add_subparsers(dest="relapse_command", metavar="show|set|slip", required=True)
    show = r_sub.add_parser("show", parents=[parent], help="the plan, trigger counts, days since")
    show.add_argument("--json", action="store_true", help="one JSON document on stdout")
    show.set_defaults(func=run_relapse_show)
    put = r_sub.add_parser(
        "set",
        parents=[parent],
        help="set parts of the plan (each option repeatable; replaces that list unless --add)",
    )
    for flag, dest in (
        ("--trigger", "triggers"),
        ("--warning-sign", "warning_signs"),
        ("--instead", "instead"),
        ("--contact", "contacts"),
        ("--reason", "reasons"),
    ):
        put.add_argument(flag, dest=dest, action="append", metavar="TEXT")
    put.add_argument("--add", action="store_true", help="add to the lists instead of replacing")
    put.set_defaults(func=run_relapse_set)
    slip = r_sub.add_parser(
        "slip", parents=[parent], help="log a slip: a dose like any other, noted as a slip"
    )
    slip.add_argument("grams", metavar="GRAMS")
    slip.add_argument("--at", help="when (default: now)")
    slip.add_argument("--note")
    slip.set_defaults(func=run_relapse_slip)


# -- parsing helpers ----------------------------------------------------------------------------


def _number(text: str | None, name: str) -> float:
    if text is None:
        raise UserError(f"{name} is missing")
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise UserError(f"{name} {text!r}: not a number") from None


def _whole(text: str | None, name: str) -> int:
    value = _number(text, name)
    if value != int(value):
        raise UserError(f"{name} {text!r}: expected a whole number")
    return int(value)


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{name} {text!r}: expected a date like 2026-11-24") from None


def _print_json(ctx: Context, doc: Any) -> None:
    ctx.out(json.dumps(doc, indent=2, default=str))


# -- diary --------------------------------------------------------------------------------------


def run_diary(args: argparse.Namespace, ctx: Context) -> int:
    missing = [
        f"--{k.replace('_', '-')}"
        for k in ("bedtime", "latency", "awakenings", "waso", "wake", "out_of_bed", "quality")
        if getattr(args, k) is None
    ]
    if missing:
        raise UserError(f"diary needs {', '.join(missing)}")
    night = _date(args.date, "--date") if args.date else ctx.today - dt.timedelta(days=1)
    entry = diary.DiaryInput(
        night=night,
        bedtime=diary.parse_clock(args.bedtime, "--bedtime"),
        latency_min=_number(args.latency, "--latency"),
        awakenings=_whole(args.awakenings, "--awakenings"),
        waso_min=_number(args.waso, "--waso"),
        wake=diary.parse_clock(args.wake, "--wake"),
        out_of_bed=diary.parse_clock(args.out_of_bed, "--out-of-bed"),
        quality=_whole(args.quality, "--quality"),
    )
    result = diary.compute(entry, ctx.tz, ctx.now)
    diary.save_diary(ctx.store, result)
    if args.json:
        _print_json(ctx, result.row())
        return 0
    ctx.out(
        f"saved diary night {night}: in bed {hm(result.in_bed_min)}"
        f" ({args.bedtime} to {args.out_of_bed}), asleep {hm(result.asleep_min)},"
        f" efficiency {result.efficiency * 100:.0f} %, quality {result.quality}/5"
    )
    return 0


# -- night corrections --------------------------------------------------------------------------


def _when(text: str, name: str, ctx: Context, tz: dt.tzinfo | None = None) -> dt.datetime:
    try:
        return parse_when(text, ctx.now, tz or ctx.tz)[0]  # type: ignore[arg-type]
    except UserError:
        raise UserError(
            f"{name} {text!r}: expected ISO 8601 like 2026-11-23T23:40 or 'yesterday 23:40'"
        ) from None


def _night_zone(ctx: Context, ref: str) -> dt.tzinfo | None:
    """The fixed offset the night `SOURCE:ID` was recorded in, or None when it has none (or
    the reference names no night: fix_night says so)."""
    stored = ctx.store.read("sleep_sessions")
    try:
        source, sid = overrides.resolve_ref(stored, ref)
    except UserError:
        return None
    rows = stored.filter((pl.col("source") == source) & (pl.col("source_id") == sid))
    if rows.is_empty() or rows["utc_offset_min"][0] is None:
        return None
    return dt.timezone(dt.timedelta(minutes=int(rows["utc_offset_min"][0])))


def run_night(args: argparse.Namespace, ctx: Context) -> int:
    if sum((args.fix is not None, args.undo is not None, args.list)) > 1:
        raise UserError("give one of --fix SOURCE:ID, --undo ID or --list")
    if args.fix is None and (args.nap or args.not_sleep or args.start or args.end):
        raise UserError("--start, --end, --nap and --not-sleep go with --fix SOURCE:ID")
    if args.list:
        return _night_list(args, ctx)
    if args.undo is not None:
        row = overrides.undo(ctx.store, _whole(args.undo, "--undo"))
        ctx.out(
            f"undid correction #{row['id']} ({row['kind']}) of {row['source']}:{row['source_id']}"
        )
        return 0
    if args.fix is None:
        raise UserError(
            "night needs --fix SOURCE:ID (with --start/--end, --nap or --not-sleep), --undo ID or --list"
        )
    timed = args.start is not None or args.end is not None
    if sum((timed, args.nap, args.not_sleep)) != 1:
        raise UserError("--fix needs exactly one of: --start and --end, --nap, --not-sleep")
    if timed:
        if args.start is None or args.end is None:
            raise UserError("a time correction needs both --start and --end")
        # New times are read, and said back, on the night's own clock: the one night --list and
        # the Sleep screen show it in (UTC + its offset), so what is typed is what is listed.
        zone = _night_zone(ctx, args.fix)
        start, end = _when(args.start, "--start", ctx, zone), _when(args.end, "--end", ctx, zone)
        id_, source, sid = overrides.fix_night(
            ctx.store, args.fix, "times", ctx.now, start=start, end=end
        )
        shown = zone or ctx.tz
        what = f"now {start.astimezone(shown):%Y-%m-%d %H:%M} to {end.astimezone(shown):%Y-%m-%d %H:%M}"
    else:
        kind = "nap" if args.nap else "not_sleep"
        id_, source, sid = overrides.fix_night(ctx.store, args.fix, kind, ctx.now)
        what = "marked a nap" if args.nap else "marked not sleep"
    ctx.out(f"correction #{id_}: {source}:{sid} {what} (undo: taperdash night --undo {id_})")
    return 0


def _night_list(args: argparse.Namespace, ctx: Context) -> int:
    days = _whole(args.days, "--days")
    since = ctx.today - dt.timedelta(days=days)
    raw = ctx.store.read("sleep_sessions")
    table = ctx.store.read("night_overrides")
    fixed = overrides.apply_overrides(raw, table)
    live = overrides.active(table)
    shown = raw.filter(pl.col("night") >= since).sort("start")
    if shown.is_empty():
        ctx.out(f"no nights in the last {count(days, 'day')} (--days N looks further back)")
    for row in shown.iter_rows(named=True):
        key = (row["source"], row["source_id"])
        now = fixed.filter((pl.col("source") == key[0]) & (pl.col("source_id") == key[1]))
        cur = now.row(0, named=True) if now.height else None
        shown_row = cur or row
        # The wall clock where the night was slept, as the Sleep screen shows it.
        offset = shown_row["utc_offset_min"]
        start = local_of_py(shown_row["start"], offset, ctx.tz)
        off_end = end_offset(shown_row["start"], shown_row["end"], offset, ctx.tz)
        end = local_of_py(shown_row["end"], off_end, ctx.tz)
        asleep = (cur or row)["asleep_min"]
        tags = []
        if cur is None:
            tags.append("not sleep")
        elif cur["is_nap"]:
            tags.append("nap")
        ids = live.filter((pl.col("source") == key[0]) & (pl.col("source_id") == key[1]))["id"]
        if ids.len():
            tags.append("corrected #" + ", #".join(str(i) for i in ids))
        note = f"  [{'; '.join(tags)}]" if tags else ""
        slept = f", asleep {hm(asleep)}" if asleep is not None else ""
        ctx.out(f"{row['night']}  {key[0]}:{key[1]}  {start:%H:%M}-{end:%H:%M}{slept}{note}")
    undone = table.filter(pl.col("undone").fill_null(False))
    if undone.height:
        ctx.out(f"({undone.height} undone corrections kept in the record)")
    return 0


# -- ISI ----------------------------------------------------------------------------------------


def run_isi(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.config.week_start
    if args.week is not None:
        try:
            start, _ = week_bounds(args.week, ws)
        except WeekError as exc:
            raise UserError(str(exc)) from None
        if start > ctx.today:
            raise UserError(f"week {args.week} has not started yet")
        week = args.week
    else:
        # The ISI is answered with the weekly review, which is of the week holding yesterday.
        week = week_of(ctx.today - dt.timedelta(days=1), ws)
    if args.items:
        items = [_whole(v, "ISI item") for v in args.items]
        with ctx.store.transaction() as tx:
            tx.put(
                "isi",
                isi.record_isi(tx.read("isi"), ctx.today, items, ctx.now, week_start=ws, week=week),
            )
    summary = isi.isi_summary(ctx.store.read("isi"), week, ws)
    if args.json:
        _print_json(ctx, {"week": week, **summary.to_json()})
        return 0
    if summary.latest_total is None:
        ctx.out("No Insomnia Severity Index yet: taperdash isi --items A B C D E F G (each 0-4).")
        return 0
    change = f" ({summary.change:+d} since the previous)" if summary.change is not None else ""
    verb = "saved" if args.items else "latest"
    ctx.out(
        f"{verb}: ISI {summary.latest_total}/28 for {summary.latest_week},"
        f" {summary.band_text}{change}"
    )
    if len(summary.trend) > 1:
        ctx.out("trend: " + ", ".join(f"{w} {t}" for w, t in summary.trend))
    return 0


# -- relapse plan -------------------------------------------------------------------------------


def run_relapse_show(args: argparse.Namespace, ctx: Context) -> int:
    plan = relapse.load_plan(ctx.home)
    counts = relapse.trigger_counts(ctx.store.read("checkins"), plan)
    status = relapse.after_zero(ctx.store.read("doses"), ctx.config, ctx.today)
    if args.json:
        _print_json(
            ctx,
            {
                "plan": plan.to_json(),
                "trigger_counts": [
                    {**r, "last_date": r["last_date"].isoformat() if r["last_date"] else None}
                    for r in counts.iter_rows(named=True)
                ],
                "after_zero": {
                    "zero_date": status.zero_date.isoformat() if status.zero_date else None,
                    "reached": status.reached,
                    "days_since_last_dose": status.days_since_last_dose,
                    "slips": status.slips,
                },
            },
        )
        return 0
    if plan.is_empty:
        ctx.out("No relapse-prevention plan yet: taperdash relapse set --trigger ... --reason ...")
    for name, title in relapse.TITLES.items():
        items = getattr(plan, name)
        if items:
            ctx.out(f"{title}:")
            ctx.out("\n".join(f"  - {x}" for x in items))
    logged = counts.filter(pl.col("days") > 0)
    if logged.height:
        ctx.out("Triggers logged in check-ins:")
        for r in logged.iter_rows(named=True):
            mark = "" if r["in_plan"] else "  (not in your plan)"
            ctx.out(f"  {r['trigger']}: {count(r['days'], 'day')}, last {r['last_date']}{mark}")
    if status.reached and status.days_since_last_dose is not None:
        ctx.out(f"Days since the last dose: {status.days_since_last_dose}")
    return 0


def run_relapse_set(args: argparse.Namespace, ctx: Context) -> int:
    given = {f: getattr(args, f) for f in relapse.LIST_FIELDS}
    if all(v is None for v in given.values()):
        raise UserError(
            "relapse set needs at least one of --trigger, --warning-sign, --instead, --contact, --reason"
        )
    plan = relapse.load_plan(ctx.home)
    if args.add:
        given = {f: None if v is None else [*getattr(plan, f), *v] for f, v in given.items()}
    saved = relapse.save_plan(ctx.home, relapse.updated(plan, **given), ctx.now)
    parts = [f"{f.replace('_', ' ')} {len(getattr(saved, f))}" for f in relapse.LIST_FIELDS]
    ctx.out(f"saved your plan ({relapse.plan_path(ctx.home)}): " + ", ".join(parts))
    return 0


def run_relapse_slip(args: argparse.Namespace, ctx: Context) -> int:
    grams = _number(args.grams, "GRAMS")
    taken_at, offset = (
        parse_when(args.at, ctx.now, ctx.tz) if args.at else (ctx.now, offset_min(ctx.now, ctx.tz))
    )
    d = doses.validate(
        doses.DoseInput(
            grams=grams, taken_at=taken_at, utc_offset_min=offset, note=relapse.slip_note(args.note)
        ),
        ctx.now,
    )
    id_ = doses.add(ctx.store, d, ctx.now)
    ctx.out(f"logged dose #{id_}: {grams:g} g ({d.note})")
    return 0
