"""Per-step before/after: what each taper step did to sleep and symptoms.

For each taper step (daily.taper_step, defined in ARCHITECTURE.md) the week before it (days -7..-1)
is set against the week after it (+1..+7); the step day itself is in neither, being half one
and half the other. The difference after - before has a seeded two-sample bootstrap interval,
so the same history always shows the same numbers. Weekly steps make the windows of
neighbouring steps touch (step k's "after" week is step k+1's "before" week): each row is
about one step, not a partition of the history.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis import stats
from dashboard.core.store.config import Config

WINDOW_DAYS = 7
# With fewer days on a side a 7-day mean is mostly noise; 4 is more than half the window.
MIN_DAYS = 4

# measure -> (unit, scale): efficiency is stored 0..1 and shown in percent (differences in pp).
MEASURES: dict[str, tuple[str, float]] = {
    C.ASLEEP_MIN: ("min", 1.0),
    C.EFFICIENCY: ("%", 100.0),
    C.WITHDRAWAL: ("points (SOWS 0-64)", 1.0),
    C.CRAVINGS: ("points (0-10)", 1.0),
}

STEP_EFFECTS = pl.Schema(
    {
        "step_date": pl.Date,
        "before_g": pl.Float64,  # the reference dose (plan, or 7-day median) the day before
        "after_g": pl.Float64,  # ... on the step day
        "measure": pl.String,
        "unit": pl.String,
        "n_before": pl.Int32,
        "n_after": pl.Int32,
        "before_mean": pl.Float64,
        "after_mean": pl.Float64,
        "diff": pl.Float64,  # after - before; null below MIN_DAYS on a side
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "complete": pl.Boolean,  # the +7 days have all passed
    }
)


def _opt(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def step_effects(
    daily: pl.DataFrame,
    config: Config,
    *,
    until: dt.date | None = None,
    resamples: int = stats.DEFAULT_RESAMPLES,
    seed: int = 0,
) -> pl.DataFrame:
    """One row per (taper step, measure), oldest step first; see STEP_EFFECTS.

    `until` leaves later days out (a review of a past week must not see its future). `config`
    is taken for symmetry with the other analyses and for later per-user windows.
    """
    del config  # the windows are fixed for now; see the module docstring
    frame = daily.sort(C.DATE)
    if until is not None:
        frame = frame.filter(pl.col(C.DATE) <= until)
    if frame.is_empty():
        return pl.DataFrame(schema=STEP_EFFECTS)
    last = frame[C.DATE].max()
    steps = frame.filter(pl.col(C.TAPER_STEP).fill_null(False))
    reference = dict(zip(frame[C.DATE], frame[C.REFERENCE_G], strict=True))
    rows: list[dict[str, object]] = []
    for day in steps[C.DATE]:
        before = frame.filter(
            pl.col(C.DATE).is_between(
                day - dt.timedelta(days=WINDOW_DAYS), day - dt.timedelta(days=1)
            )
        )
        after = frame.filter(
            pl.col(C.DATE).is_between(
                day + dt.timedelta(days=1), day + dt.timedelta(days=WINDOW_DAYS)
            )
        )
        complete = bool(last >= day + dt.timedelta(days=WINDOW_DAYS))
        for measure, (unit, scale) in MEASURES.items():
            b = before[measure].drop_nulls().cast(pl.Float64) * scale
            a = after[measure].drop_nulls().cast(pl.Float64) * scale
            row: dict[str, object] = {
                "step_date": day,
                "before_g": reference.get(day - dt.timedelta(days=1)),
                "after_g": reference.get(day),
                "measure": measure,
                "unit": unit,
                "n_before": b.len(),
                "n_after": a.len(),
                "before_mean": _opt(b.mean()) if b.len() else None,  # type: ignore[arg-type]
                "after_mean": _opt(a.mean()) if a.len() else None,  # type: ignore[arg-type]
                "diff": None,
                "ci_low": None,
                "ci_high": None,
                "complete": complete,
            }
            if min(a.len(), b.len()) >= MIN_DAYS:
                est = stats.mean_difference(
                    a,
                    b,
                    resamples=resamples,
                    seed=stats.stable_seed("step", day.isoformat(), measure, base=seed),
                )
                row.update(diff=_opt(est.value), ci_low=_opt(est.ci_low), ci_high=_opt(est.ci_high))
            rows.append(row)
    if not rows:
        return pl.DataFrame(schema=STEP_EFFECTS)
    return pl.DataFrame(rows, schema=STEP_EFFECTS)


def step_effects_json(effects: pl.DataFrame, digits: int = 2) -> list[dict[str, object]]:
    """[{step_date, before_g, after_g, complete, measures: {measure: {...}}}], oldest first."""
    out: list[dict[str, object]] = []
    for (day,), group in effects.group_by("step_date", maintain_order=True):
        first = group.row(0, named=True)

        def r(value: object) -> object:
            return round(value, digits) if isinstance(value, float) else value

        out.append(
            {
                "step_date": day.isoformat(),
                "before_g": r(first["before_g"]),
                "after_g": r(first["after_g"]),
                "complete": first["complete"],
                "measures": {
                    row["measure"]: {
                        "unit": row["unit"],
                        "n_before": row["n_before"],
                        "n_after": row["n_after"],
                        "before_mean": r(row["before_mean"]),
                        "after_mean": r(row["after_mean"]),
                        "diff": r(row["diff"]),
                        "ci_low": r(row["ci_low"]),
                        "ci_high": r(row["ci_high"]),
                    }
                    for row in group.iter_rows(named=True)
                },
            }
        )
    return out
