"""The Insomnia Severity Index (Morin 1993): 7 items 0-4, total 0-28, about the last two weeks.

Because it asks about two weeks it is offered every second weekly review (`isi_due`), one row
per review week in the `isi` table; `isi_trend` gives the series the Review screen draws.
Bands (Morin et al. 2011): 0-7 no clinically significant insomnia, 8-14 subthreshold,
15-21 moderate, 22-28 severe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from dashboard.core.errors import UserError
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import ISI, ISI_COLUMNS, as_table, conform
from dashboard.core.weeks import previous_week, week_bounds, week_of

EVERY_WEEKS = 2

# (question, labels of 0..4), worded as the ISI asks them, over the last two weeks.
_SEVERITY = ("none", "mild", "moderate", "severe", "very severe")
ISI_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Difficulty falling asleep", _SEVERITY),
    ("Difficulty staying asleep", _SEVERITY),
    ("Problems waking up too early", _SEVERITY),
    (
        "How satisfied/dissatisfied are you with your current sleep pattern?",
        (
            "very satisfied",
            "satisfied",
            "moderately satisfied",
            "dissatisfied",
            "very dissatisfied",
        ),
    ),
    (
        "How noticeable to others do you think your sleep problem is in terms of impairing the"
        " quality of your life?",
        ("not at all", "a little", "somewhat", "much", "very much"),
    ),
    (
        "How worried/distressed are you about your current sleep problem?",
        ("not at all", "a little", "somewhat", "much", "very much"),
    ),
    (
        "To what extent do you consider your sleep problem to interfere with your daily"
        " functioning (e.g. daytime fatigue, mood, concentration, memory) currently?",
        ("not at all", "a little", "somewhat", "much", "very much"),
    ),
)

BANDS: tuple[tuple[int, str], ...] = (
    (7, "no clinically significant insomnia"),
    (14, "subthreshold insomnia"),
    (21, "moderate clinical insomnia"),
    (28, "severe clinical insomnia"),
)
BAND_KEYS = ("none", "subthreshold", "moderate", "severe")

TREND = pl.Schema(
    {
        "week": pl.String,
        "date": pl.Date,
        "total": pl.Int16,
        "band": pl.String,  # one of BAND_KEYS
        "change": pl.Int16,  # against the previous answer
    }
)


class InvalidIsi(UserError):
    pass


def isi_total(items: Sequence[int]) -> int:
    if len(items) != len(ISI_ITEMS):
        raise InvalidIsi(f"the ISI has {len(ISI_ITEMS)} items, got {len(items)}")
    for n, value in enumerate(items, 1):
        if not 0 <= value <= 4:
            raise InvalidIsi(f"ISI item {n} must be 0 to 4, got {value}")
    return sum(items)


def isi_band(total: int) -> str:
    """none | subthreshold | moderate | severe."""
    if not 0 <= total <= 28:
        raise InvalidIsi(f"an ISI total is 0 to 28, got {total}")
    for (upper, _), key in zip(BANDS, BAND_KEYS, strict=True):
        if total <= upper:
            return key
    raise AssertionError("unreachable")


def _band_expr(total: pl.Expr) -> pl.Expr:
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    # from the highest band down, so the first matching upper bound wins
    for (upper, _), key in reversed(list(zip(BANDS, BAND_KEYS, strict=True))):
        expr = pl.when(total <= upper).then(pl.lit(key)).otherwise(expr)
    return expr


def band_text(band: str) -> str:
    return dict(zip(BAND_KEYS, (text for _, text in BANDS), strict=True))[band]


def record_isi(
    isi: pl.DataFrame,
    day: dt.date,
    items: Sequence[int],
    now: dt.datetime,
    *,
    week_start: str = "monday",
    week: str | None = None,
) -> pl.DataFrame:
    """The isi table with this answer stored; a second answer in the same week replaces it."""
    total = isi_total(items)
    label = week or week_of(day, week_start)
    week_bounds(label, week_start)
    row = pl.DataFrame(
        [
            {
                "date": day,
                "week": label,
                **dict(zip(ISI_COLUMNS, items, strict=True)),
                "total": total,
                "updated_at": now.astimezone(dt.UTC),
            }
        ],
        schema=ISI,
    )
    kept = as_table(isi, ISI).filter(pl.col("week") != label)
    return pl.concat([kept, row]).sort("week")


def save_isi(
    store: Store, day: dt.date, items: Sequence[int], now: dt.datetime, week_start: str = "monday"
) -> int:
    total = isi_total(items)
    with store.transaction() as tx:
        tx.put("isi", record_isi(tx.read("isi"), day, items, now, week_start=week_start))
    return total


def isi_trend(isi: pl.DataFrame, *, until: str | None = None) -> pl.DataFrame:
    """One row per answered week (up to week `until`), with its band and the change since the
    previous answer."""
    table = as_table(isi, ISI)
    if until is not None:
        table = table.filter(pl.col("week") <= until)
    if table.is_empty():
        return pl.DataFrame(schema=TREND)
    out = (
        table.sort("updated_at", nulls_last=False)
        .unique("week", keep="last")
        .sort("week")
        .select(
            "week",
            "date",
            "total",
            _band_expr(pl.col("total")).alias("band"),
            (pl.col("total") - pl.col("total").shift(1)).alias("change"),
        )
    )
    return conform(out, TREND)


def isi_due(isi: pl.DataFrame, week: str, week_start: str = "monday") -> bool:
    """Whether the review of `week` should offer the ISI: not answered in this week or the one
    before (it covers two weeks, so asking every week would count each night twice)."""
    table = as_table(isi, ISI)
    recent = {week}
    for _ in range(EVERY_WEEKS - 1):
        recent.add(previous_week(min(recent), week_start))
    return table.filter(pl.col("week").is_in(list(recent))).is_empty()


@dataclass(frozen=True)
class IsiSummary:
    """What the weekly review says about the ISI."""

    due: bool
    latest_week: str | None
    latest_total: int | None
    latest_band: str | None
    change: int | None
    trend: tuple[tuple[str, int], ...]  # (week, total), oldest first
    trend_dates: tuple[dt.date, ...] = ()  # the day each trend answer was given, same order

    @property
    def band_text(self) -> str:
        return band_text(self.latest_band) if self.latest_band else ""

    def trend_text(self, last: int = 6) -> str:
        """The last answers oldest first with their days, e.g. "14 (07 Jun) → 12 (21 Jun)"."""
        totals = [total for _, total in self.trend][-last:]
        dates = list(self.trend_dates)[-last:] if len(self.trend_dates) == len(self.trend) else []
        if dates and all(isinstance(d, dt.date) for d in dates):
            return " → ".join(f"{t} ({d:%d %b})" for t, d in zip(totals, dates, strict=True))
        return " → ".join(str(t) for t in totals)

    def to_json(self) -> dict[str, object]:
        return {
            "due": self.due,
            "latest": None
            if self.latest_week is None
            else {
                "week": self.latest_week,
                "total": self.latest_total,
                "band": self.latest_band,
                "change": self.change,
            },
            "trend": [{"week": w, "total": t} for w, t in self.trend],
        }


def isi_summary(isi: pl.DataFrame | None, week: str, week_start: str = "monday") -> IsiSummary:
    table = isi if isi is not None else pl.DataFrame(schema=ISI)
    trend = isi_trend(table, until=week)
    if trend.is_empty():
        return IsiSummary(True, None, None, None, None, ())
    last = trend.row(-1, named=True)
    return IsiSummary(
        due=isi_due(table, week, week_start),
        latest_week=last["week"],
        latest_total=int(last["total"]),
        latest_band=last["band"],
        change=None if last["change"] is None else int(last["change"]),
        trend=tuple((w, int(t)) for w, t in trend.select("week", "total").iter_rows()),
        trend_dates=tuple(trend["date"]),
    )
