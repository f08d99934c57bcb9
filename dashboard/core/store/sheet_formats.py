"""Registers the spreadsheet log formats (importers/sheets) with the SOWS item names of the
data model, which importers/ may not import."""

from __future__ import annotations

from dashboard.core.store.vocab import SOWS_ITEMS
from importers.registry import register
from importers.sheets.formats import SheetFormats

SHEETS = SheetFormats(SOWS_ITEMS)
DOSE_SHEET, CHECKIN_SHEET = (register(f) for f in SHEETS.formats())
