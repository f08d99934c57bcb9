"""`taperdash log` (add, --list, --edit ID, --delete ID) and `taperdash checkin`."""

from __future__ import annotations

import argparse
import datetime as dt

import polars as pl

from dashboard.commands.context import Context
from dashboard.commands.parsing import grams, iso_date, number, whole
from dashboard.core.clock import parse_when
from dashboard.core.errors import InvalidDose, UserError
from dashboard.core.store import checkins, doses
from dashboard.core.store.schema import FORMS, LIFESTYLE, SOWS_ITEMS


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "log",
        parents=[parent],
        help="log a dose (or list, edit, delete doses)",
        description="Log a dose: taperdash log 3.5 --at 'yesterday 21:30' --strain 'Red Bali'. "
        "Also: --list, --edit ID (with new values), --delete ID (soft delete), --undelete ID.",
    )
    # read by doses.parse_grams, as Today's form reads it: a refusal is one usage line
    p.add_argument("grams", nargs="?", type=grams, help="grams taken: 3.5, 3,5 or 3.5g")
    p.add_argument("--at", help="when: 21:30, 'yesterday 21:30' or ISO 8601 (default: now)")
    p.add_argument("--strain", help="product or strain, e.g. 'Red Bali'")
    p.add_argument("--form", choices=FORMS, help="powder (default), capsule, tea, extract, other")
    p.add_argument("--potency", type=number, help="leaf-gram equivalents per gram (default 1.0)")
    p.add_argument("--note")
    p.add_argument(
        "--force",
        action="store_true",
        help="accept a dose over 100 g, or 5x your largest recent dose of that form (log, --edit)",
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--delete", type=whole, metavar="ID", help="soft-delete the dose with this id")
    g.add_argument(
        "--undelete", type=whole, metavar="ID", help="bring back a deleted dose (see --delete)"
    )
    g.add_argument("--edit", type=whole, metavar="ID", help="change the dose with this id")
    g.add_argument("--list", action="store_true", help="show recent doses with their ids")
    p.add_argument(
        "--days", type=whole, default=7, help="with --list: how many days back (default 7)"
    )
    p.set_defaults(func=run_log)

    c = sub.add_parser(
        "checkin",
        parents=[parent],
        help="record today's check-in (a second one the same day updates it)",
        description="SOWS items are 0-4: " + ", ".join(SOWS_ITEMS),
    )
    c.add_argument("--date", type=iso_date, help="YYYY-MM-DD (default: today)")
    c.add_argument("--cravings", type=whole, help="0-10")
    c.add_argument("--mood", type=whole, help="0-10")
    c.add_argument("--insomnia", type=whole, help="self-rating 0-4")
    c.add_argument(
        "--sows", nargs="+", default=[], metavar="ITEM=0-4", help="e.g. anxious=2 yawning=1"
    )
    c.add_argument("--supplement", action="append", default=[], metavar="NAME")
    c.add_argument("--trigger", action="append", default=[], metavar="TEXT")
    for flag in LIFESTYLE:
        c.add_argument(f"--{flag}", action=argparse.BooleanOptionalAction, default=None)
    c.add_argument("--note")
    c.set_defaults(func=run_checkin)


def _describe(row: dict, ctx: Context) -> str:
    local = row["taken_at"] + dt.timedelta(minutes=row["utc_offset_min"] or 0)
    leaf = row["grams"] * (row["potency"] or 1.0)
    extra = f" leaf-eq {leaf:g} g" if (row["potency"] or 1.0) != 1.0 else ""
    strain = f" {row['strain']}" if row["strain"] else ""
    return (
        f"#{row['id']}: {row['grams']:g} g{extra} {row['form']}{strain} at {local:%Y-%m-%d %H:%M}"
    )


def run_log(args: argparse.Namespace, ctx: Context) -> int:
    if args.list:
        table = doses.live(ctx.store.read("doses"))
        since = ctx.now - dt.timedelta(days=args.days)
        for row in table.filter(pl.col("taken_at") >= since).sort("taken_at").iter_rows(named=True):
            ctx.out(_describe(row, ctx))
        return 0
    if args.delete is not None:
        doses.delete(ctx.store, args.delete, ctx.now)
        ctx.out(
            f"deleted dose #{args.delete} (soft delete: it stays in the file, marked deleted;"
            f" taperdash log --undelete {args.delete} brings it back)"
        )
        return 0
    if args.undelete is not None:
        ctx.out(
            "restored dose " + _describe(doses.undelete(ctx.store, args.undelete, ctx.now), ctx)
        )
        return 0
    if args.edit is not None:
        changes: dict[str, object] = {}
        if args.grams is not None:
            changes["grams"] = args.grams
        if args.at:
            changes["taken_at"], changes["utc_offset_min"] = parse_when(args.at, ctx.now, ctx.tz)
        for key in ("strain", "form", "potency", "note"):
            if getattr(args, key) is not None:
                changes[key] = getattr(args, key)
        if not changes:
            raise UserError(
                "--edit ID needs something to change: GRAMS, --at, --strain, --form, --potency or --note"
            )
        doses.edit(ctx.store, args.edit, changes, ctx.now, force=args.force)
        row = ctx.store.read("doses").filter(pl.col("id") == args.edit).row(0, named=True)
        ctx.out("edited dose " + _describe(row, ctx))
        return 0
    if args.grams is None:
        raise UserError(
            "log needs GRAMS (e.g. taperdash log 3.5), or --list, --edit ID, --delete ID,"
            " --undelete ID"
        )
    taken_at, offset = parse_when(args.at, ctx.now, ctx.tz) if args.at else (ctx.now, _offset(ctx))
    d = doses.validate(
        doses.DoseInput(
            grams=args.grams,
            taken_at=taken_at,
            utc_offset_min=offset,
            strain=args.strain,
            form=args.form or "powder",
            potency=args.potency if args.potency is not None else 1.0,
            note=args.note,
        ),
        ctx.now,
        force=args.force,
    )
    if not args.force and (why := doses.out_of_line(d, ctx.store.read("doses"))):
        raise InvalidDose(f"{why} (--force to log it)")
    id_ = doses.add(ctx.store, d, ctx.now)
    row = {**d.__dict__, "id": id_}
    ctx.out("logged dose " + _describe(row, ctx))
    return 0


def _offset(ctx: Context) -> int:
    from dashboard.core.clock import offset_min

    return offset_min(ctx.now, ctx.tz)


def run_checkin(args: argparse.Namespace, ctx: Context) -> int:
    c = checkins.validate(
        checkins.CheckinInput(
            date=args.date or ctx.today,
            sows=checkins.parse_sows(args.sows),
            cravings=args.cravings,
            mood=args.mood,
            insomnia=args.insomnia,
            supplements=tuple(args.supplement),
            lifestyle={f: getattr(args, f) for f in LIFESTYLE if getattr(args, f) is not None},
            triggers=tuple(args.trigger),
            note=args.note,
        ),
        ctx.today,
    )
    row = checkins.upsert(ctx.store, c, ctx.now)
    parts = [f"check-in for {row['date']}"]
    if row["withdrawal_score"] is not None:
        answered = sum(1 for k in SOWS_ITEMS if row[f"sows_{k}"] is not None)
        parts.append(f"withdrawal {row['withdrawal_score']}/64 ({answered} of 16 items)")
    for key in ("cravings", "mood"):
        if row[key] is not None:
            parts.append(f"{key} {row[key]}/10")
    if row["insomnia"] is not None:
        parts.append(f"insomnia {row['insomnia']}/4")
    if row["supplements"]:
        parts.append("supplements: " + ", ".join(row["supplements"]))
    ctx.out("saved " + "; ".join(parts))
    return 0
