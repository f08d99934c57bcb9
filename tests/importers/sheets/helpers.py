"""Reading sheet fixtures (bytes built in the tests) the way the import pipeline does."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from dashboard.core.store.vocab import SOWS_ITEMS
from importers.registry import ReadContext
from importers.sheets.formats import SheetFormats, configure, context_options

BERLIN = ZoneInfo("Europe/Berlin")
SHEETS = SheetFormats(SOWS_ITEMS)


def ctx(tz: ZoneInfo = BERLIN, skip_bad_rows: bool = False, **opts: Any) -> ReadContext:
    return ReadContext(tz=tz, skip_bad_rows=skip_bad_rows, options=context_options(**opts))


def doses(data: bytes, name: str = "log.csv", **opts: Any) -> pl.DataFrame:
    return SHEETS.read_doses(data, name, ctx(**opts)).tables["doses"]


def checkins(data: bytes, name: str = "checkins.csv", **opts: Any) -> pl.DataFrame:
    return SHEETS.read_checkins(data, name, ctx(**opts)).tables["checkins"]


def local(frame: pl.DataFrame) -> list[tuple[str, float]]:
    """(local time as the person wrote it, grams) per row, in file order."""
    out = []
    for r in frame.iter_rows(named=True):
        at = r["taken_at"].astimezone(dt.timezone(dt.timedelta(minutes=r["utc_offset_min"])))
        out.append((at.strftime("%Y-%m-%d %H:%M"), r["grams"]))
    return out


def sniffed(data: bytes, **opts: Any) -> str | None:
    configure(context_options(**opts))
    try:
        if SHEETS.sniff_doses("f.csv", data):
            return "doses"
        if SHEETS.sniff_checkins("f.csv", data):
            return "checkins"
        return None
    finally:
        configure({})
