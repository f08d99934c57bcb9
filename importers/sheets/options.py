"""What the person may tell the reader that the file cannot: date order, unit, column mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from importers.model import ImportRefused

DATE_ORDERS = ("dmy", "mdy")
UNITS = ("g", "mg")
# setting names a [dose_csv.NAME] config table may hold beside its column names
SETTINGS = ("date_order", "dayfirst", "monthfirst", "unit")


@dataclass(frozen=True)
class SheetOptions:
    date_order: str | None = None  # "dmy" (--dayfirst) | "mdy" (--monthfirst) | None: detect
    unit: str | None = None  # "g" | "mg" for bare numbers | None: detect
    columns: Mapping[str, str] = field(default_factory=dict)  # role -> header, e.g. grams=Dose
    mapping_name: str | None = None  # the [dose_csv.NAME] the columns came from, for messages

    def __post_init__(self) -> None:
        if self.date_order not in (None, *DATE_ORDERS):
            raise ValueError(f"date_order must be one of {DATE_ORDERS}")
        if self.unit not in (None, *UNITS):
            raise ValueError(f"unit must be one of {UNITS}")


def parse_columns(raw: str) -> dict[str, str]:
    """`date=Day,time=When,grams=Dose` -> {"date": "Day", ...}; one line on a malformed pair."""
    out: dict[str, str] = {}
    for part in raw.split(","):
        if not part.strip():
            continue
        role, sep, header = part.partition("=")
        if not sep or not role.strip() or not header.strip():
            raise ImportRefused(
                f"--columns: expected ROLE=COLUMN pairs like date=Day,grams=Dose, got {part.strip()!r}"
            )
        out[role.strip().lower()] = header.strip()
    return out


def from_config(name: str, table: Mapping[str, Any]) -> SheetOptions:
    """A `[dose_csv.NAME]` table: column roles plus optional date_order / unit settings."""
    order = table.get("date_order")
    if str(table.get("dayfirst", "")).lower() == "true":
        order = "dmy"
    if str(table.get("monthfirst", "")).lower() == "true":
        order = "mdy"
    if order in ("dayfirst", "day-first"):
        order = "dmy"
    if order in ("monthfirst", "month-first"):
        order = "mdy"
    if order not in (None, *DATE_ORDERS):
        raise ImportRefused(f"config [dose_csv.{name}]: date_order must be dayfirst or monthfirst")
    unit = table.get("unit")
    if unit not in (None, *UNITS):
        raise ImportRefused(f"config [dose_csv.{name}]: unit must be g or mg")
    cols = {str(k).lower(): str(v) for k, v in table.items() if k not in SETTINGS}
    return SheetOptions(date_order=order, unit=unit, columns=cols, mapping_name=name)
