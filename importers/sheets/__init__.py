"""Spreadsheet logs people keep by hand: dose logs and symptom/mood check-ins in their own
layouts (separate date and time or one timestamp, day-first or month-first dates, 12- or
24-hour times, decimal commas, units in the header or the cell, headers in English, German,
Spanish and French, Google Form exports), read into the canonical dose and check-in columns.

Pure functions, Polars frames out; nothing here imports dashboard/. What cannot be settled
from the file (date order, grams vs milligrams, a column no header word names) is refused with
one line that names the flag or mapping that settles it, never guessed.
"""

from __future__ import annotations

from importers.sheets.options import SheetOptions

__all__ = ["SheetOptions"]
