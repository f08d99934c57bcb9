"""What an import would bring, before it lands: a dry run of the pipeline (nothing written)
and, for each dose or check-in sheet, the first rows as taperdash read them (local time, grams,
strain), the count, the date range and how many were already there. The CLI's `--dry-run` and
the Imports screen's preview both show this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from dashboard.core.store import ingest
from dashboard.core.store.disk import Store
from dashboard.core.words import count
from importers.model import local_of
from importers.registry import ReadContext

FIRST_ROWS = 5


@dataclass(frozen=True)
class SheetPreview:
    path: str
    format: str
    table: str  # doses | checkins
    count: int
    known: int  # already stored (same minute and grams; a day's check-in)
    first: dt.date | None
    last: dt.date | None
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first rows, as shown


@dataclass(frozen=True)
class DryRun:
    outcomes: list[ingest.Outcome]
    sheets: list[SheetPreview] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" for o in self.outcomes)


def _dose_preview(out: ingest.Outcome, doses: pl.DataFrame) -> SheetPreview:
    local = doses.with_columns(
        local_of(pl.col("taken_at"), pl.col("utc_offset_min")).alias("local")
    ).sort("local")
    rows = tuple(
        (f"{r['local']:%Y-%m-%d %H:%M}", f"{r['grams']:g} g", r["strain"] or "", r["form"] or "")
        for r in local.head(FIRST_ROWS).iter_rows(named=True)
    )
    days = local["local"].dt.date()
    return SheetPreview(
        out.path,
        out.format or "",
        "doses",
        doses.height,
        out.known,
        days.min(),  # type: ignore[arg-type]
        days.max(),  # type: ignore[arg-type]
        ("local time", "grams", "strain", "form"),
        rows,
    )


def _checkin_preview(out: ingest.Outcome, checkins: pl.DataFrame) -> SheetPreview:
    frame = checkins.sort("date")

    def show(v: object) -> str:
        return "" if v is None else str(v)

    rows = tuple(
        (
            str(r["date"]),
            show(r.get("cravings")),
            show(r.get("mood")),
            show(r.get("withdrawal_score")),
            ", ".join(r.get("supplements") or []),
        )
        for r in frame.head(FIRST_ROWS).iter_rows(named=True)
    )
    return SheetPreview(
        out.path,
        out.format or "",
        "checkins",
        frame.height,
        out.known,
        frame["date"].min(),  # type: ignore[arg-type]
        frame["date"].max(),  # type: ignore[arg-type]
        ("date", "cravings", "mood", "SOWS", "supplements"),
        rows,
    )


def dry_run(
    store: Store,
    paths: Iterable[str],
    ctx: ReadContext,
    fmt_name: str = "auto",
    now: dt.datetime | None = None,
) -> DryRun:
    sheets: list[SheetPreview] = []

    def seen(out: ingest.Outcome, tables: dict[str, pl.DataFrame]) -> None:
        if "doses" in tables and tables["doses"].height:
            sheets.append(_dose_preview(out, tables["doses"]))
        if "checkins" in tables and tables["checkins"].height:
            sheets.append(_checkin_preview(out, tables["checkins"]))

    outcomes = ingest.import_paths(store, paths, ctx, fmt_name, now, dry_run=True, on_tables=seen)
    return DryRun(outcomes, sheets)


def summary(p: SheetPreview) -> str:
    what = count(p.count, "dose" if p.table == "doses" else "check-in")
    span = f"{p.first} to {p.last}" if p.first != p.last else f"on {p.first}"
    there = f", {p.known} already stored" if p.known else ", none already stored"
    return f"{what} {span}{there}"


def table_lines(p: SheetPreview) -> list[str]:
    widths = [
        max(len(c), *(len(r[i]) for r in p.rows)) if p.rows else len(c)
        for i, c in enumerate(p.columns)
    ]

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [fmt(p.columns), *(fmt(r) for r in p.rows)]
