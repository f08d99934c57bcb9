"""Polars scalars as the Python types the code means.

`frame[col].mean()`, `.max()` and `row[...]` are typed as any Python literal (int, float,
date, list …); these say which one is expected and turn a missing value into None, so the
type checker follows the numbers instead of being silenced at each use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl


def as_float(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


def as_int(value: Any) -> int | None:
    number = as_float(value)
    return None if number is None else int(number)


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return value


def column_mean(frame: pl.DataFrame, col: str) -> float | None:
    """The mean of a column's values, None when it has none."""
    values = frame[col].drop_nulls()
    if values.is_empty():
        return None
    return as_float(values.cast(pl.Float64).mean())
