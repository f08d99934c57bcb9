"""The daily check-in: SOWS items, cravings, mood, insomnia, supplements, lifestyle, triggers.

One row per local date; a second check-in the same day updates the first (fields given again
replace, fields not given keep their earlier value).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from dashboard.core.errors import InvalidCheckin
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import CHECKINS, LIFESTYLE, SOWS_COLUMNS, SOWS_ITEMS


@dataclass(frozen=True)
class CheckinInput:
    date: dt.date
    sows: dict[str, int] = field(default_factory=dict)  # item name (SOWS_ITEMS key) -> 0..4
    cravings: int | None = None
    mood: int | None = None
    insomnia: int | None = None
    supplements: tuple[str, ...] = ()
    lifestyle: dict[str, bool] = field(default_factory=dict)
    triggers: tuple[str, ...] = ()
    note: str | None = None


def _in_range(name: str, value: int | None, hi: int) -> None:
    if value is not None and not 0 <= value <= hi:
        raise InvalidCheckin(f"{name} must be 0 to {hi}, got {value}")


def parse_sows(pairs: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().lower().replace("-", "_")
        if not sep:
            raise InvalidCheckin(f"--sows {pair!r}: expected ITEM=0-4, e.g. anxious=2")
        if name not in SOWS_ITEMS:
            raise InvalidCheckin(
                f"--sows {pair!r}: unknown item {name!r}; items: {', '.join(SOWS_ITEMS)}"
            )
        try:
            value = int(raw)
        except ValueError:
            raise InvalidCheckin(
                f"--sows {pair!r}: the value must be a whole number 0 to 4"
            ) from None
        out[name] = value
    return out


def validate(c: CheckinInput, today: dt.date) -> CheckinInput:
    for name, value in c.sows.items():
        if name not in SOWS_ITEMS:
            raise InvalidCheckin(f"unknown SOWS item {name!r}")
        _in_range(f"SOWS item {name}", value, 4)
    _in_range("cravings", c.cravings, 10)
    _in_range("mood", c.mood, 10)
    _in_range("insomnia", c.insomnia, 4)
    for name in c.lifestyle:
        if name not in LIFESTYLE:
            raise InvalidCheckin(f"unknown lifestyle flag {name!r}; flags: {', '.join(LIFESTYLE)}")
    if c.date > today:
        raise InvalidCheckin(f"the date {c.date} is in the future")
    return c


def _clean_list(items: tuple[str, ...]) -> list[str] | None:
    # ";" separates the items in the CSV export: an item holding one is two items
    seen: dict[str, None] = {}
    for item in (part for it in items for part in it.split(";")):
        text = " ".join(item.split())
        if text:
            seen.setdefault(text.lower() if len(text) < 40 else text, None)
    return list(seen) or None


def merge(old: dict | None, c: CheckinInput, now: dt.datetime) -> dict:
    row = dict(old) if old else {k: None for k in CHECKINS}
    row["date"] = c.date
    for name, value in c.sows.items():
        row[f"sows_{name}"] = value
    for key in ("cravings", "mood", "insomnia"):
        value = getattr(c, key)
        if value is not None:
            row[key] = value
    if c.note is not None:  # an empty note clears it; blanks around it are not kept
        row["note"] = c.note.strip() or None
    if c.supplements:
        row["supplements"] = _clean_list(c.supplements)
    if c.triggers:
        row["triggers"] = _clean_list(tuple(row.get("triggers") or ()) + c.triggers)
    for name, value in c.lifestyle.items():
        row[name] = value
    answered = [row[col] for col in SOWS_COLUMNS if row.get(col) is not None]
    row["withdrawal_score"] = sum(answered) if answered else None
    row["updated_at"] = now
    return row


def upsert(store: Store, c: CheckinInput, now: dt.datetime) -> dict:
    with store.transaction() as tx:
        table = tx.read("checkins")
        old = table.filter(pl.col("date") == c.date)
        row = merge(old.row(0, named=True) if old.height else None, c, now)
        tx.put(
            "checkins",
            pl.concat(
                [table.filter(pl.col("date") != c.date), pl.DataFrame([row], schema=CHECKINS)]
            ).sort("date"),
        )
    return row
