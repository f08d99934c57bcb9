"""What the Review keeps per loaded data: reviews by week and the links up to a day behind
them, and what a new bundle invalidates (the first changed day, the first changed ISI week)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from dashboard.core.analysis.links import Link
    from dashboard.core.clinical.review.model import WeeklyReview
    from dashboard.core.views.bundle import Bundle


# -- pure helpers ----------------------------------------------------------------------------
def _first_changed_day(old: Bundle | None, new: Bundle) -> dt.date | None:
    """The first day whose daily row differs between the bundles (date.min: everything may
    differ), or None when the numbers are the same (a reflection or an ISI saved here reloads
    the bundle but changes no daily number)."""
    if old is None or old.today != new.today or old.config != new.config:
        return dt.date.min
    # ISI answers are not daily rows: `_first_isi_week` and ReviewScreen._rv_isi_update.
    a, b = old.daily, new.daily
    if a is b:
        return None
    if a.schema != b.schema:
        return dt.date.min
    import polars as pl

    rows = a.select("date", pl.Series("h_old", a.hash_rows())).join(
        b.select("date", pl.Series("h_new", b.hash_rows())), on="date", how="full", coalesce=True
    )
    differ = rows.filter(pl.col("h_old").ne_missing(pl.col("h_new")))["date"]
    first = differ.min() if differ.len() else None
    return first if isinstance(first, dt.date) else None if first is None else dt.date.min


def _first_isi_week(old: pl.DataFrame | None, new: pl.DataFrame | None) -> str | None:
    """The first week whose ISI rows differ between the tables ("" when there was no table
    before), None when they hold the same rows. A week's ISI summary looks at that week and
    the ones before it, so the reviews from this week on are the ones to redo."""
    if old is new:
        return None
    if old is None:
        return ""

    def rows(table: pl.DataFrame | None) -> set[tuple[tuple[str, object], ...]]:
        if table is None:
            return set()
        return {tuple(sorted(r.items())) for r in table.iter_rows(named=True)}

    differ = rows(old) ^ rows(new)
    weeks = [str(dict(r).get("week")) for r in differ]
    return min(weeks) if weeks else None


def _isi_answers(isi: pl.DataFrame | None, week: str) -> tuple[int, ...] | None:
    """The items answered in `week` (the latest answer), or None."""
    if isi is None or isi.is_empty():
        return None
    from dashboard.core.store.schema import ISI_COLUMNS

    rows = isi.filter(isi["week"] == week)
    if rows.is_empty():
        return None
    if "updated_at" in rows.columns:
        rows = rows.sort("updated_at", nulls_last=False)
    row = rows.row(-1, named=True)
    values = [row.get(c) for c in ISI_COLUMNS]
    answers = [v for v in values if isinstance(v, int)]
    return tuple(answers) if len(answers) == len(values) else None


@dataclass
class WeekCache:
    """Reviews computed per week and the links up to a day, for the loaded data.

    A review of a week, and links up to a day, depend on the rows up to then only: a dose logged
    today keeps every earlier week, and the links behind it, cached. `generation` tells a worker
    started before a change that its results belong to older data."""

    reviews: dict[str, WeeklyReview] = field(default_factory=dict)
    links: dict[dt.date, list[Link]] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)  # weeks the running worker will post
    generation: int = 0

    def forget_from(self, changed: dt.date, week_start: str) -> None:
        """Drop what the rows from `changed` on could have changed."""
        from dashboard.core.weeks import week_bounds

        self.generation += 1
        self.pending.clear()
        self.reviews = {
            w: r for w, r in self.reviews.items() if week_bounds(w, week_start)[1] < changed
        }
        self.links = {d: lk for d, lk in self.links.items() if d < changed}
