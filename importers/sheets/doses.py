"""A hand-kept dose log -> the canonical dose columns (taken_at UTC, utc_offset_min, grams,
strain, form, potency, note, deleted). Times without a zone are in the configured zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl

from importers.model import UTC, ImportRefused, ImportResult, schema
from importers.registry import ReadContext
from importers.sheets import amounts, datetimes, layout, text, vocabulary
from importers.sheets.options import SheetOptions
from importers.vendors import _csv

T = TypeVar("T")

NAME = "dose-sheet"
DOSE_FRAME = schema(
    {
        "taken_at": UTC,
        "utc_offset_min": pl.Int32,
        "grams": pl.Float64,
        "strain": pl.String,
        "form": pl.String,
        "potency": pl.Float64,
        "note": pl.String,
        "deleted": pl.Boolean,
    }
)


class RowError(_csv.RowError):
    """One cell that cannot be read; the Collector adds the line."""


def load(data: bytes) -> text.Sheet:
    try:
        return text.read(text.decode(data))
    except ValueError as exc:
        raise ImportRefused(f"not a readable CSV ({exc})") from None


def cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def in_column(column: str, parse: Callable[..., T], *args: Any) -> T:
    """`parse(*args)`, its refusal naming the column (`column 'Uhrzeit': not a time: '25:00'`)."""
    try:
        return parse(*args)
    except datetimes.BadValue as exc:
        raise RowError(f"column {column!r}: {exc}") from None


def settle_order(values: list[str], column: str, opts: SheetOptions) -> str | None:
    """The date order the file settles, else the person's flag, else a refusal that asks."""
    try:
        found, example = datetimes.date_order(values)
    except datetimes.BadValue as exc:
        raise ImportRefused(f"column {column!r}: {exc}") from None
    if opts.date_order:
        return opts.date_order  # a contradicting row then fails with its line
    if found is None and example is not None:
        raise ImportRefused(
            f"every date in column {column!r} fits both day-first and month-first "
            f"(e.g. {example!r}); say which with --dayfirst or --monthfirst"
        )
    return found


def rows_of(
    sheet: text.Sheet, ctx: ReadContext, fn: Callable[[list[str]], dict[str, Any] | None]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows `fn` reads, under the vendors' bad-row policy (_csv.Collector): a bad cell,
    or a date the calendar cannot hold (year 1 minus an hour), refuses the file with its
    line, or with --skip-bad-rows is skipped with a warning."""

    def one(cells: list[str]) -> dict[str, Any] | None:
        try:
            return fn(cells)
        except (datetimes.BadValue, amounts.BadNumber) as exc:
            raise RowError(str(exc)) from None

    collector = _csv.Collector(ctx)
    rows = collector.each(sheet.rows, one)
    return rows, collector.warnings


def read(data: bytes, name: str, ctx: ReadContext, opts: SheetOptions) -> ImportResult:
    sheet = load(data)
    lay = layout.place(sheet.header, opts.columns, mapping_name=opts.mapping_name)
    lay = layout.refine(lay, sheet.rows[0][1] if sheet.rows else [])
    gap = layout.dose_gap(lay)
    if gap:
        raise ImportRefused(layout.gap_line("doses", gap, sheet.header))
    r = lay.roles
    head = sheet.header
    date_col = r["date"] if "date" in r else r["timestamp"]  # the gap check saw one of them
    amount_col = r["mg"] if "mg" in r else r["grams"]
    order = settle_order([cell(c, date_col) for _, c in sheet.rows], head[date_col], opts)
    decimal_comma = sheet.separator == ";"

    # the amount column's unit: cells that name one keep theirs; bare numbers take the
    # header's, the mapping's (mg=...), the --unit flag's, else what their values allow
    amount_head = head[amount_col]
    unit = vocabulary.unit_in_header(amount_head) or ("mg" if "mg" in r else None) or opts.unit
    if unit is None:
        bare: list[tuple[int, float]] = []
        for line, cells in sheet.rows:
            raw = cell(cells, amount_col)
            if not raw:
                continue
            try:
                value, in_cell = amounts.amount(raw, decimal_comma)
            except amounts.BadNumber:
                continue  # the row's own line reports it
            if in_cell is None:
                bare.append((line, value))
        try:
            unit = amounts.bare_unit(bare)
        except amounts.UnitQuestion:
            example = max(v for _, v in bare)
            raise ImportRefused(
                f"column {amount_head!r} holds bare numbers that could be grams or "
                f"milligrams (e.g. {example:g}); say which with --unit g or --unit mg"
            ) from None
        except amounts.BadNumber as exc:
            raise ImportRefused(f"column {amount_head!r}: {exc}") from None

    def when(cells: list[str]) -> tuple[dt.date, dt.time, int | None]:
        """The row's local date and time, and its offset when the cell gives one. A separate
        date or time column wins over the timestamp's part (a Google Form's Timestamp is
        when the form was sent, a "Date" question when the dose was taken)."""
        stamp: tuple[dt.date, dt.time, int | None] | None = None
        if "timestamp" in r and not ("date" in r and "time" in r):
            raw = cell(cells, r["timestamp"])
            if not raw:
                raise RowError(f"column {head[r['timestamp']]!r}: no date and time")
            stamp = in_column(head[r["timestamp"]], datetimes.parse_stamp, raw, order)
        if "date" in r:
            raw = cell(cells, r["date"])
            if not raw:
                raise RowError(f"column {head[r['date']]!r}: no date")
            day = in_column(head[r["date"]], datetimes.stamp_date_only, raw, order)
        else:
            assert stamp is not None
            day = stamp[0]
        if "time" in r:
            raw = cell(cells, r["time"])
            if not raw:
                raise RowError(f"column {head[r['time']]!r}: no time")
            clock = in_column(head[r["time"]], datetimes.parse_time, raw)
        else:
            assert stamp is not None
            clock = stamp[1]
        own_offset = stamp is not None and "date" not in r and "time" not in r
        return day, clock, stamp[2] if stamp is not None and own_offset else None

    def row(cells: list[str]) -> dict[str, Any] | None:
        day, clock, offset = when(cells)
        raw_amount = cell(cells, amount_col)
        if not raw_amount:
            raise RowError(f"column {amount_head!r}: no amount")
        try:
            value, in_cell = amounts.amount(raw_amount, decimal_comma)
        except amounts.BadNumber as exc:
            raise RowError(f"column {amount_head!r}: {exc}") from None
        grams = value / 1000 if (in_cell or unit) == "mg" else value
        if not 0 < grams <= amounts.MAX_GRAMS:
            raise RowError(
                f"column {amount_head!r}: a dose must be more than 0 g and at most "
                f"{amounts.MAX_GRAMS:g} g, got {raw_amount!r}"
            )
        naive = dt.datetime.combine(day, clock)
        # the cell's own offset, else the configured zone (fold=0: the first of a repeated
        # autumn hour)
        zone = _csv.fixed_offset(offset) if offset is not None else ctx.tz
        taken_at, offset_min = _csv.localize(naive, zone)
        note = cell(cells, r.get("note")) or None
        raw_form = cell(cells, r.get("form"))
        form = vocabulary.form_of(raw_form) if raw_form else "powder"
        if form is None:  # a form the data model has no word for: kept, not lost
            form = "other"
            note = f"form: {raw_form}" + (f"; {note}" if note else "")
        return {
            "taken_at": taken_at,
            "utc_offset_min": offset_min,
            "grams": round(grams, 6),  # 4800 mg -> 4.8 g, not 4.800000000000001
            "strain": cell(cells, r.get("strain")) or None,
            "form": form,
            "potency": 1.0,
            "note": note,
            "deleted": False,
        }

    rows, warnings = rows_of(sheet, ctx, row)
    frame = pl.DataFrame(rows, schema=DOSE_FRAME) if rows else pl.DataFrame(schema=DOSE_FRAME)
    return ImportResult(NAME, {"doses": frame}, warnings)
