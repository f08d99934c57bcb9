"""A symptoms/mood spreadsheet -> the canonical check-in columns: a date plus any of cravings
(0-10), mood (0-10), insomnia (0-4), the SOWS items by name (0-4 each), supplements, triggers,
lifestyle yes/no answers and a note. The SOWS item names come from the caller (the data model
lives in the dashboard), so this module stays free of it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import polars as pl

from importers.model import ImportRefused, ImportResult
from importers.registry import ReadContext
from importers.sheets import amounts, datetimes, layout
from importers.sheets.doses import RowError, cell, in_column, load, rows_of, settle_order
from importers.sheets.options import SheetOptions

NAME = "checkin-sheet"
SCALES = {"cravings": 10, "mood": 10, "insomnia": 4}
LISTS = ("supplements", "triggers")
FLAGS = ("exercise", "mindfulness", "support")
YES = {"yes", "y", "true", "1", "x", "ja", "j", "si", "sí", "oui", "o", "✓", "✔"}
NO = {"no", "n", "false", "0", "nein", "non", ""}


def _score(raw: str, column: str, hi: int, decimal_comma: bool) -> int | None:
    if not raw:
        return None
    head = re.split(r"\s*/\s*", raw, maxsplit=1)[0]  # "7/10" as a form's scale may write it
    try:
        value, _ = amounts.number(head, decimal_comma)
    except amounts.BadNumber:
        raise RowError(f"column {column!r}: not a number: {raw!r}") from None
    if value != int(value) or not 0 <= value <= hi:
        raise RowError(f"column {column!r}: must be a whole number 0 to {hi}, got {raw!r}")
    return int(value)


def _flag(raw: str, column: str) -> bool | None:
    text = raw.strip().casefold()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(f"column {column!r}: expected yes or no, got {raw!r}")


def _items(raw: str) -> list[str] | None:
    # a Google Form joins checkbox answers with ", "; taperdash's own export uses ";"
    parts = [p.strip() for p in re.split(r"[;,]", raw) if p.strip()]
    return parts or None


def read(
    data: bytes, name: str, ctx: ReadContext, opts: SheetOptions, sows: Mapping[str, str]
) -> ImportResult:
    sheet = load(data)
    lay = layout.place(sheet.header, opts.columns, sows, opts.mapping_name)
    lay = layout.refine(lay, sheet.rows[0][1] if sheet.rows else [])
    gap = layout.checkin_gap(lay)
    if gap:
        raise ImportRefused(layout.gap_line("checkins", gap, sheet.header))
    r, head = lay.roles, sheet.header
    date_col = r.get("date", r.get("timestamp"))
    assert date_col is not None
    order = settle_order([cell(c, date_col) for _, c in sheet.rows], head[date_col], opts)
    decimal_comma = sheet.separator == ";"
    sows_cols = [f"sows_{k}" for k in sows]

    def row(cells: list[str]) -> dict[str, Any] | None:
        raw = cell(cells, date_col)
        if not raw:
            raise RowError(f"column {head[date_col]!r}: no date")
        out: dict[str, Any] = {
            "date": in_column(head[date_col], datetimes.stamp_date_only, raw, order)
        }
        for col in sows_cols:
            if col in r:
                out[col] = _score(cell(cells, r[col]), head[r[col]], 4, decimal_comma)
        for col, hi in SCALES.items():
            if col in r:
                out[col] = _score(cell(cells, r[col]), head[r[col]], hi, decimal_comma)
        for col in LISTS:
            if col in r:
                out[col] = _items(cell(cells, r[col]))
        for col in FLAGS:
            if col in r:
                out[col] = _flag(cell(cells, r[col]), head[r[col]])
        out["note"] = cell(cells, r.get("note")) or None
        answered = [out[c] for c in sows_cols if out.get(c) is not None]
        out["withdrawal_score"] = sum(answered) if answered else None
        return out

    rows, warnings = rows_of(sheet, ctx, row)
    schema: dict[str, Any] = {
        "date": pl.Date,
        **{c: pl.Int8 for c in sows_cols},
        "withdrawal_score": pl.Int16,
        **{c: pl.Int8 for c in SCALES},
        **{c: pl.List(pl.String) for c in LISTS},
        **{c: pl.Boolean for c in FLAGS},
        "note": pl.String,
    }
    full = [{k: rec.get(k) for k in schema} for rec in rows]
    frame = pl.DataFrame(full, schema=schema) if full else pl.DataFrame(schema=schema)
    # one check-in a day: a later row for the same day is the corrected one, and says so
    repeated = frame.filter(pl.col("date").is_duplicated())["date"].unique().sort()
    warnings += [f"two rows for {day}: the later one is kept" for day in repeated.to_list()]
    frame = frame.unique("date", keep="last", maintain_order=True)
    return ImportResult(NAME, {"checkins": frame}, warnings)
