"""The links between tapering, exercise, supplements, sleep and symptoms.

In a taper causes travel together: after a step people exercise less, sleep worse and take
later doses. So each link is the coefficient of its cause in one linear model per effect that
holds every cause at once, plus what drifts on its own (a piecewise-linear time trend and
weekends): the difference the cause makes with the others held fixed. The plain comparison
(nights with the cause vs without, or the plain slope for grams) stays beside it.

A fixed list — the causes and effects below, every supplement seen in the check-ins — and
never a search for the best-looking subset: each link is an estimate with a 95 % interval
from a seeded moving-block bootstrap (7-day blocks: days in a row are not independent), n on
each side and a p-value, and the Benjamini–Hochberg flag `fdr_ok` is taken across the whole
list. Where the data cannot give an adjusted figure the link says why in words instead of a
number: too few days on a side (config.min_n), too few days for the model's terms, or a cause
that always moved with another ("cannot be told apart from taper steps in your data").

Unknown is not zero: a day no activity source covers and no check-in describes has unknown
exercise, a day without a check-in has unknown supplements and flags. Those days carry an
"unknown" term of their own, so they never count as days without the cause; the link says how
many were left out of it and why.

Row d of the daily frame holds day d and the night that starts on its evening, so a cause on
day d meets the night d at lag 0 and the night (or check-in) of day d+1 at lag 1.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis import regress, stats
from dashboard.core.store.config import Config
from dashboard.core.store.vocab import EXERCISE_MIN

STEP_WINDOW_NIGHTS = 3  # "the 3 nights from each step on"
FDR_Q = 0.05
SUPPLEMENT_PREFIX = "supplement:"
REGULAR_SD_MIN = 30.0  # bedtimes of the previous 7 nights within about ±30 min
REGULAR_MIN_NIGHTS = 5  # of those 7 nights, at least this many recorded

EXERCISE = "exercise_30min"
TAPER_STEP = "taper_step"
DOSE = "dose_g"
LATE_DOSE = "late_dose"
DOSES_PER_DAY = "doses_per_day"
MINDFULNESS = "mindfulness"
SUPPORT = "support"
REGULAR_BEDTIME = "regular_bedtime"
STRAIN_SWITCH = "strain_switch"
FIXED_CAUSES = (EXERCISE, TAPER_STEP, DOSE, LATE_DOSE)
NEW_CAUSES = (DOSES_PER_DAY, MINDFULNESS, SUPPORT, REGULAR_BEDTIME, STRAIN_SWITCH)
CONTINUOUS = frozenset({DOSE, DOSES_PER_DAY})  # a slope per unit; the rest are yes/no days

SLEEP_EFFECTS = (C.ASLEEP_MIN, C.EFFICIENCY, C.AWAKENINGS)
SYMPTOM_EFFECTS = (C.WITHDRAWAL, C.CRAVINGS)
EFFECTS = SLEEP_EFFECTS + SYMPTOM_EFFECTS

TREND = "time_trend"
WEEKEND = "weekend"
TREND_KNOT_DAYS = 90  # one bend of the trend per ~3 months of history ...
TREND_MAX_KNOTS = 8  # ... up to this many
DAYS_PER_TERM = 10  # fewer days than this per model term: no adjusted figure
COLLINEAR_SHARE = 0.05  # under 5 % of a cause's variation apart from the others (VIF > 20)
RESAMPLES = 400  # normal intervals need a standard error, steady to ~4 % at 400 resamples

METHOD = (
    "one linear model: all causes, time trend, weekends;"
    f" moving-block bootstrap ({regress.BLOCK_DAYS}-day blocks)"
)
METHOD_PLAIN = "plain comparison (not adjusted)"


@dataclass(frozen=True)
class _Effect:
    unit: str
    label: str  # "{value} {label}": "+34 min asleep"
    fmt: str
    scale: float = 1.0  # efficiency is stored 0..1 and shown in percentage points


_EFFECTS: dict[str, _Effect] = {
    C.ASLEEP_MIN: _Effect("min", "min asleep", "{:+.0f}"),
    C.EFFICIENCY: _Effect("pp", "pp sleep efficiency", "{:+.1f}", 100.0),
    C.AWAKENINGS: _Effect("awakenings", "awakenings", "{:+.1f}"),
    C.WITHDRAWAL: _Effect("points (SOWS 0-64)", "withdrawal score", "{:+.1f}"),
    C.CRAVINGS: _Effect("points (0-10)", "cravings", "{:+.1f}"),
}
_EFFECT_NAMES = {
    C.ASLEEP_MIN: "asleep",
    C.EFFICIENCY: "sleep efficiency",
    C.AWAKENINGS: "awakenings",
    C.WITHDRAWAL: "withdrawal score",
    C.CRAVINGS: "cravings",
}
_PER = {DOSE: "per g", DOSES_PER_DAY: "per extra dose a day"}

# How a term is named in "cannot be told apart from ..." and "came with ...".
_TERM_WORDS = {
    EXERCISE: "exercise",
    TAPER_STEP: "taper steps",
    DOSE: "the day's dose",
    LATE_DOSE: "late doses",
    DOSES_PER_DAY: "the number of doses a day",
    MINDFULNESS: "mindfulness",
    SUPPORT: "support contacts",
    REGULAR_BEDTIME: "a regular bedtime",
    STRAIN_SWITCH: "strain switches",
    TREND: "the slow drift over time",
    WEEKEND: "weekends",
}

# Why a day has no value for a cause (said when days are left out of its link).
_UNKNOWN_WHY = {
    EXERCISE: "no activity source covers them and no check-in says",
    TAPER_STEP: "before the dose log or plan gives a reference dose",
    DOSE: "outside the dose log",
    LATE_DOSE: "no bedtime or outside the dose log",
    DOSES_PER_DAY: "outside the dose log",
    MINDFULNESS: "no check-in",
    SUPPORT: "no check-in",
    REGULAR_BEDTIME: f"fewer than {REGULAR_MIN_NIGHTS} of the 7 nights before recorded",
    STRAIN_SWITCH: "no dose that day or the day before",
}


@dataclass(frozen=True)
class Link:
    cause: str
    effect: str
    lag_nights: int
    method: str
    unit: str
    estimate: float | None  # adjusted: the cause's coefficient with the others held fixed
    ci_low: float | None
    ci_high: float | None
    n: int  # days with a value (a slope) or both sides together (a comparison)
    n_with: int | None  # a comparison's two sides; None for a slope
    n_without: int | None
    p_value: float | None
    fdr_ok: bool
    text: str
    adjusted_for: tuple[str, ...] = ()  # the other terms held fixed; () when not adjusted
    naive_estimate: float | None = None  # the plain comparison (or plain slope)
    naive_ci_low: float | None = None
    naive_ci_high: float | None = None
    note: str = ""  # why adjusted and plain differ, when they do by more than the interval
    left_out: int = 0  # days with the effect but an unknown cause

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.cause, self.effect, self.lag_nights)

    @property
    def notable(self) -> bool:
        """The interval leaves out zero (and so p < 0.05 for this link alone)."""
        return (
            self.ci_low is not None
            and self.ci_high is not None
            and (self.ci_low > 0 or self.ci_high < 0)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "effect": self.effect,
            "lag_nights": self.lag_nights,
            "estimate": _round(self.estimate),
            "ci_low": _round(self.ci_low),
            "ci_high": _round(self.ci_high),
            "n": self.n,
            "n_with": self.n_with,
            "n_without": self.n_without,
            "unit": self.unit,
            "method": self.method,
            # three significant figures: a strong link's p is small, never a flat 0.0
            "p_value": None if self.p_value is None else float(f"{self.p_value:.3g}"),
            "fdr_ok": self.fdr_ok,
            "text": self.text,
            "adjusted_for": list(self.adjusted_for),
            "naive": {
                "estimate": _round(self.naive_estimate),
                "ci_low": _round(self.naive_ci_low),
                "ci_high": _round(self.naive_ci_high),
            },
            "note": self.note,
            "left_out": self.left_out,
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def supplement_names(daily: pl.DataFrame) -> list[str]:
    if daily.is_empty():
        return []
    names = daily[C.SUPPLEMENTS].explode().drop_nulls().unique().sort()
    return [str(n) for n in names]


def causes(daily: pl.DataFrame) -> list[str]:
    return [
        *FIXED_CAUSES,
        *NEW_CAUSES,
        *(SUPPLEMENT_PREFIX + s for s in supplement_names(daily)),
    ]


def _lags(cause: str, effect: str) -> tuple[int, ...]:
    if cause == DOSE:
        return (0, 1)
    if cause == LATE_DOSE and effect in SYMPTOM_EFFECTS:
        # The dose came late on the evening of d: the check-in it can affect is d+1's.
        return (1,)
    return (0,)


def plan_of_links(daily: pl.DataFrame) -> list[tuple[str, str, int]]:
    """The fixed list of (cause, effect, lag_nights) computed for this frame."""
    return [
        (cause, effect, lag)
        for cause in causes(daily)
        for effect in EFFECTS
        for lag in _lags(cause, effect)
    ]


def cause_expr(cause: str) -> pl.Expr:
    """The cause as a column of the daily frame (sorted by date): Boolean for yes/no days,
    a number for dose_g and doses_per_day; null where the day's value is unknown."""
    if cause == EXERCISE:
        device = pl.col(C.WORKOUT_MIN) >= EXERCISE_MIN
        said = pl.when(pl.col(C.CHECKED_IN)).then(pl.col(C.EXERCISE))
        # A workout the device missed but the check-in names counts; a device's "none" counts
        # only inside the span it covered (workout_min is null outside it).
        return (
            pl.when(device.fill_null(False) | said.fill_null(False))
            .then(True)
            .when(device.is_not_null())
            .then(False)
            .otherwise(said)
        )
    if cause == TAPER_STEP:
        # A day belongs to a step's window when a step fell on it or on one of the 2 days before.
        # By date, not by row, so a frame with gaps (a filtered one) keeps its meaning.
        recent = (
            pl.col(C.TAPER_STEP)
            .cast(pl.Int8)
            .rolling_max_by(C.DATE, window_size=f"{STEP_WINDOW_NIGHTS}d")
            .cast(pl.Boolean)
        )
        return pl.when(pl.col(C.REFERENCE_G).is_not_null()).then(recent)
    if cause == DOSE:
        return pl.col(C.DOSE_G)
    if cause == DOSES_PER_DAY:
        return pl.col(C.DOSES_N).cast(pl.Float64)
    if cause == LATE_DOSE:
        return pl.col(C.LATE_DOSE)
    if cause in (MINDFULNESS, SUPPORT):
        # Asked in every check-in: an unticked box on a check-in day is a no.
        return pl.when(pl.col(C.CHECKED_IN)).then(pl.col(cause).fill_null(False))
    if cause == REGULAR_BEDTIME:
        sd = pl.col(C.BEDTIME_MIN).rolling_std_by(
            C.DATE, window_size="7d", min_samples=REGULAR_MIN_NIGHTS, closed="left"
        )
        return sd <= REGULAR_SD_MIN
    if cause == STRAIN_SWITCH:
        today = pl.col(C.STRAINS)
        before = pl.col(C.STRAINS).shift(1)
        yesterday_ok = (pl.col(C.DATE) - pl.col(C.DATE).shift(1)) == pl.duration(days=1)
        known = (
            yesterday_ok
            & (today.list.len() > 0).fill_null(False)
            & (before.list.len() > 0).fill_null(False)
        )
        return pl.when(known).then(today.list.sort() != before.list.sort())
    if cause.startswith(SUPPLEMENT_PREFIX):
        name = cause.removeprefix(SUPPLEMENT_PREFIX)
        # Only days with a check-in say whether a supplement was taken.
        return pl.when(pl.col(C.CHECKED_IN)).then(
            pl.col(C.SUPPLEMENTS).list.contains(name).fill_null(False)
        )
    raise ValueError(f"unknown cause {cause!r}")


def link_pairs(daily: pl.DataFrame, cause: str, effect: str, lag_nights: int) -> pl.DataFrame:
    """The (cause, effect) pairs behind one link: what a scatter or strip plot would show."""
    spec = _EFFECTS[effect]
    daily = daily.sort(C.DATE)
    causes = daily.select(C.DATE, cause_expr(cause).alias("cause"))
    # The effect of day d + lag, matched by date rather than by shifting rows.
    effects = daily.select(
        (pl.col(C.DATE) - pl.duration(days=lag_nights)).alias(C.DATE),
        (pl.col(effect).cast(pl.Float64) * spec.scale).alias("effect"),
    )
    frame = causes.join(effects, on=C.DATE, how="inner", maintain_order="left")
    return frame.drop_nulls().filter(pl.col("effect").is_not_nan())


# --- words -------------------------------------------------------------------------------


def _units(effect: str) -> tuple[str, str]:
    return ("nights", "night") if effect in SLEEP_EFFECTS else ("days", "day")


def _subject(cause: str, effect: str, lag: int) -> str:
    plural, _ = _units(effect)
    sleep = effect in SLEEP_EFFECTS
    if cause == EXERCISE:
        return (
            f"{plural.capitalize()} after ≥ 30 min of exercise"
            if sleep
            else ("Days with ≥ 30 min of exercise")
        )
    if cause == TAPER_STEP:
        return f"The 3 {plural} from a taper step on"
    if cause == LATE_DOSE:
        return (
            "Nights with a dose within 3 h of bedtime"
            if sleep
            else ("Days after a dose within 3 h of bedtime")
        )
    if cause in (MINDFULNESS, SUPPORT):
        what = "mindfulness practice" if cause == MINDFULNESS else "a support contact"
        return f"Nights after a day with {what}" if sleep else f"Days with {what}"
    if cause == REGULAR_BEDTIME:
        return (
            "Nights after a week of regular bedtimes (±30 min)"
            if sleep
            else "Days after a week of regular bedtimes (±30 min)"
        )
    if cause == STRAIN_SWITCH:
        return (
            "Nights after a day with a strain switch"
            if sleep
            else "Days with a strain switch (strains unlike the day before)"
        )
    if cause.startswith(SUPPLEMENT_PREFIX):
        name = cause.removeprefix(SUPPLEMENT_PREFIX)
        return f"Nights after taking {name}" if sleep else f"Days with {name}"
    when = {
        0: "that night" if sleep else "that day",
        1: "the next night" if sleep else "the next day",
    }
    what = "Daily dose" if cause == DOSE else "Doses per day"
    return f"{what} vs {_EFFECT_NAMES[effect]} {when.get(lag, f'{lag} later')}"


def _slope_fmt(fmt: str) -> str:
    """A slope per gram is small: one decimal more than the effect's own format."""
    return (
        fmt.replace(".0f", ".1f").replace(".1f}", ".2f}")
        if ".1f" in fmt
        else fmt.replace(".0f", ".1f")
    )


def _fmt_signed(value: float, fmt: str) -> str:
    return fmt.format(value).replace("-", "−")


def _term_words(term: str) -> str:
    cause, _, lag = term.partition("@")
    if cause == DOSE and lag:
        return "the previous day's dose"
    if cause == LATE_DOSE and lag:
        return "a late dose the evening before"
    if cause.startswith(SUPPLEMENT_PREFIX):
        return cause.removeprefix(SUPPLEMENT_PREFIX)
    return _TERM_WORDS.get(cause, cause.replace("_", " "))


# --- the model ---------------------------------------------------------------------------


def _term(cause: str, lag: int) -> str:
    return cause if lag == 0 else f"{cause}@{lag}"


@dataclass
class _Design:
    """One effect group's model: the rows (days, in date order) and its columns."""

    dates: list[dt.date]
    names: list[str]  # column names: "intercept", trend parts, "weekend", terms, "unknown:..."
    z: np.ndarray  # (n, P) centred and scaled, the intercept 1
    scale: dict[str, float]  # a term's sd: coefficient per unit = coefficient / sd
    raw: dict[str, np.ndarray]  # a term's values (NaN where unknown)
    usable: np.ndarray  # rows the model may use (not a rarely-unknown day)


def _trend_columns(days: np.ndarray) -> list[np.ndarray]:
    span = float(days.max() - days.min()) if days.size else 0.0
    if span <= 0:
        return []
    t = (days - days.min()) / span
    knots = min(TREND_MAX_KNOTS, int(span // TREND_KNOT_DAYS))
    cols = [t]
    for k in range(1, knots + 1):
        cols.append(np.clip(t - k / (knots + 1), 0.0, None))
    return cols


def _priority(term: str) -> int:
    """The order causes enter the model; a short history's model holds the first ones it can
    afford (DAYS_PER_TERM). Taper steps first (in a taper most causes travel with them), then
    the fixed causes, supplements, the check-in flags, and the day before's dose last (it
    mostly repeats the day's own)."""
    cause, _, lag = term.partition("@")
    if cause == DOSE and lag:
        return 99
    order = [TAPER_STEP, EXERCISE, LATE_DOSE, DOSE]
    if cause in order:
        return order.index(cause)
    if cause.startswith(SUPPLEMENT_PREFIX):
        return 10
    return 20 + NEW_CAUSES.index(cause) if cause in NEW_CAUSES else 50


def _design(frame: pl.DataFrame, terms: list[str], weekend_days: tuple[int, ...]) -> _Design:
    dates = frame[C.DATE].to_list()
    days = frame.select(pl.col(C.DATE).cast(pl.Int32)).to_series().to_numpy().astype(np.float64)
    weekday = frame.select(pl.col(C.DATE).dt.weekday()).to_series().to_numpy()
    cols: list[np.ndarray] = [np.ones(len(dates))]
    names = ["intercept"]
    trend = _trend_columns(days)
    cols += trend
    names += [f"{TREND}:{i}" for i in range(len(trend))]
    cols.append(np.isin(weekday, weekend_days).astype(np.float64))
    names.append(WEEKEND)
    raw: dict[str, np.ndarray] = {}
    seen: set[bytes] = set()
    usable = np.ones(len(dates), dtype=bool)
    rare = max(2 * regress.BLOCK_DAYS, len(dates) // 20)
    for term in sorted(terms, key=_priority):
        x = frame[term].cast(pl.Float64).fill_nan(None).to_numpy().astype(np.float64)
        raw[term] = x
        known = np.isfinite(x)
        if not known.any():
            continue  # nothing known: no column, and its links say so
        if (~known).sum() < rare:
            # A handful of unknown days (the first day has no day before it) leave the model
            # altogether: a term for so few days would be missing from most resamples.
            usable &= known
            known = np.ones_like(known)
        # An unknown day takes the known days' mean (after centring: 0) and an "unknown" term
        # of its own, so it neither counts as a day without the cause nor moves its estimate.
        cols.append(np.where(np.isfinite(x), x, float(x[np.isfinite(x)].mean())))
        names.append(term)
        flag = (~known).astype(np.float64)
        # Supplements, mindfulness and support are all unknown on the days without a
        # check-in: one column says so for all of them (right after the first of them, so a
        # model cut short by the days it has keeps a cause and its "unknown" together).
        if not known.all() and flag.tobytes() not in seen:
            seen.add(flag.tobytes())
            cols.append(flag)
            names.append(f"unknown:{term}")
    z = np.column_stack(cols)
    scale: dict[str, float] = {}
    for j in range(1, z.shape[1] if z.shape[0] else 1):
        sd = float(z[:, j].std())
        z[:, j] -= z[:, j].mean()
        if sd > 0:
            z[:, j] /= sd
        scale[names[j]] = sd
    return _Design(dates, names, z, scale, raw, usable)


def _group_frame(daily: pl.DataFrame, terms: list[str]) -> pl.DataFrame:
    """date, the effects and one column per term (a lag-1 term is the day before's cause)."""
    base = daily.select(
        C.DATE,
        *((pl.col(e).cast(pl.Float64) * _EFFECTS[e].scale).alias(e) for e in EFFECTS),
        *(cause_expr(c).alias(c) for c in {t.partition("@")[0] for t in terms}),
    )
    frame = base
    for term in terms:
        cause, _, lag = term.partition("@")
        if not lag:
            continue
        shifted = base.select(
            (pl.col(C.DATE) + pl.duration(days=int(lag))).alias(C.DATE), pl.col(cause).alias(term)
        )
        frame = frame.join(shifted, on=C.DATE, how="left", maintain_order="left")
    return frame


@dataclass(frozen=True)
class _Figures:
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


_NONE = _Figures(None, None, None, None)


def _plain_all(
    pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]], weights: np.ndarray
) -> list[_Figures]:
    """The plain slope of y on x (for a yes/no cause: the difference in means) on each pair's
    rows, with the same moving-block resamples as the model, all pairs in one product."""
    if not pairs:
        return []
    feats = []
    for x, y, rows in pairs:
        xv = np.where(rows, x, 0.0)
        yv = np.where(rows, y, 0.0)
        feats += [rows.astype(np.float64), xv, xv * xv, yv, xv * yv]
    values = np.column_stack(feats)
    sums = np.vstack([values.sum(axis=0), weights @ values])  # (1 + B, 5 * pairs)
    out: list[_Figures] = []
    for k, (_, _, rows) in enumerate(pairs):
        n, sx, sxx, sy, sxy = sums[:, 5 * k : 5 * k + 5].T
        spread = n * sxx - sx * sx
        with np.errstate(invalid="ignore", divide="ignore"):
            slope = (n * sxy - sx * sy) / spread
        # A resample without both sides (or with one value of x) has no slope.
        slope[spread <= 1e-9 * np.maximum(n * n, 1.0)] = np.nan
        got = regress.normal_interval(float(slope[0]), slope[1:], int(rows.sum()), 2)
        if got is None:
            out.append(_NONE)
        else:
            out.append(_Figures(got.value, got.ci_low, got.ci_high, got.p_value))
    return out


def _fmt_ci(fig: _Figures, fmt: str) -> str:
    assert fig.ci_low is not None and fig.ci_high is not None
    return f"95 % CI {_fmt_signed(fig.ci_low, fmt)} to {_fmt_signed(fig.ci_high, fmt)}"


def _group_links(
    daily: pl.DataFrame,
    effects: Sequence[str],
    keys: list[tuple[str, str, int]],
    cfg: Config,
    resamples: int,
    seed: int,
) -> list[Link]:
    """The links of one effect group (sleep, or symptoms): one model per effect."""
    terms = list(dict.fromkeys(_term(c, lag) for c, _, lag in keys))
    frame = _group_frame(daily, terms)
    weekend = (4, 5) if effects[0] in SLEEP_EFFECTS else (5, 6)  # Fri/Sat nights; Sat/Sun
    design = _design(frame, terms, weekend)
    n_rows = max(1, len(design.dates))
    block = min(regress.BLOCK_DAYS, n_rows)
    counts = regress.block_counts(
        n_rows, resamples, stats.stable_seed("links", *effects, base=seed), block
    )
    weights = regress.row_weights(counts, n_rows, block)[:, : len(design.dates)]
    ys = {e: frame[e].fill_nan(None).to_numpy().astype(np.float64) for e in effects}
    known_y = {e: np.isfinite(ys[e]) for e in effects}
    pairs = [
        (
            design.raw[_term(c, lag)],
            ys[e],
            known_y[e] & np.isfinite(design.raw[_term(c, lag)]),
        )
        for c, e, lag in keys
    ]
    plain = dict(zip(keys, _plain_all(pairs, weights), strict=True))
    # Effects known on the same days share one set of normal equations.
    masks: dict[bytes, tuple[np.ndarray, list[str]]] = {}
    for effect in effects:
        known = known_y[effect] & design.usable
        masks.setdefault(known.tobytes(), (known, []))[1].append(effect)

    out: dict[tuple[str, str, int], Link] = {}
    for known, group_effects in masks.values():
        n_model = int(known.sum())
        fit: _Fit | None = None
        if n_model >= 2:
            y_mat = np.column_stack([np.where(known, ys[e], 0.0) for e in group_effects])
            mom = regress.moments(design.z * known[:, None], y_mat, weights)
            order = list(range(len(design.names)))
            independent = regress.independent(mom.gram, order)
            # About DAYS_PER_TERM days per term: a short history's model holds the first
            # causes by _priority, and the rest say they could not be added yet. The prefix
            # also holds the columns dropped as combinations of earlier ones: those are
            # "cannot be told apart", not "not enough days".
            budget = max(1, n_model // DAYS_PER_TERM)
            kept = independent[:budget]
            prefix = order[: independent[budget]] if len(independent) > budget else order
            boot_gram = mom.boot_gram[:, kept][:, :, kept]
            boot = regress.solve(boot_gram, mom.boot_cross[:, kept])
            boot[regress.degenerate(boot_gram, mom.gram[np.ix_(kept, kept)])] = np.nan
            fit = _Fit(
                gram=mom.gram,
                kept=kept,
                prefix=prefix,
                coef=regress.solve(mom.gram[np.ix_(kept, kept)], mom.cross[kept]),
                boot=boot,
                n_model=n_model,
            )
        for qi, effect in enumerate(group_effects):
            for key in (k for k in keys if k[1] == effect):
                out[key] = _one_link(
                    *key,
                    design=design,
                    effect_known=known_y[effect],
                    fit=fit,
                    qi=qi,
                    plain=plain[key],
                    cfg=cfg,
                )
    return [out[k] for k in keys]


@dataclass(frozen=True)
class _Fit:
    gram: np.ndarray  # (P, P) of every column
    kept: list[int]  # the columns in the fit (collinear ones dropped)
    prefix: list[int]  # the columns up to the last one the days could afford
    coef: np.ndarray  # (K, q)
    boot: np.ndarray  # (B, K, q)
    n_model: int


def _one_link(
    cause: str,
    effect: str,
    lag: int,
    *,
    design: _Design,
    effect_known: np.ndarray,
    fit: _Fit | None,
    qi: int,
    plain: _Figures,
    cfg: Config,
) -> Link:
    spec = _EFFECTS[effect]
    plural, _ = _units(effect)
    subject = _subject(cause, effect, lag)
    term = _term(cause, lag)
    continuous = cause in CONTINUOUS
    unit = f"{spec.unit} {_PER[cause]}" if continuous else spec.unit
    label = f"{spec.label} {_PER[cause]}" if continuous else spec.label
    x = design.raw[term]
    x_known = np.isfinite(x)
    # n is the days behind the plain comparison (what the data-behind plot draws); the model
    # may leave out a few more (days a rarely-unknown other cause is unknown)
    rows = effect_known & x_known
    left_out = int((effect_known & ~x_known).sum())
    if continuous:
        n_with = n_without = None
        n = int(rows.sum())
    else:
        n_with = int((rows & (np.nan_to_num(x) > 0.5)).sum())
        n_without = int(rows.sum()) - n_with
        n = n_with + n_without
    base: dict[str, Any] = {
        "cause": cause,
        "effect": effect,
        "lag_nights": lag,
        "method": METHOD,
        "unit": unit,
        "n": n,
        "n_with": n_with,
        "n_without": n_without,
        "fdr_ok": False,
        "left_out": left_out,
    }
    fmt = _slope_fmt(spec.fmt) if continuous else spec.fmt
    days = plural if left_out != 1 else _units(effect)[1]
    left = (
        f" {left_out} {days} left out: {_UNKNOWN_WHY.get(cause, 'no check-in')}."
        if left_out
        else ""
    )

    def without(reason: str, plain: _Figures = _NONE) -> Link:
        head = subject if continuous else f"{subject}, {_EFFECT_NAMES[effect]}"
        text = f"{head}: {reason}"
        if plain.estimate is not None and plain.ci_low is not None:
            text += f"; plain comparison {_fmt_signed(plain.estimate, fmt)}"
        return Link(
            **{**base, "method": METHOD_PLAIN if plain.estimate is not None else METHOD},
            estimate=None,
            ci_low=None,
            ci_high=None,
            p_value=None,
            text=text + "." + left,
            naive_estimate=plain.estimate,
            naive_ci_low=plain.ci_low,
            naive_ci_high=plain.ci_high,
        )

    # Too few days on a side: nothing to say, not even the plain comparison.
    if continuous:
        needed = 2 * cfg.min_n
        varied = n > 0 and np.unique(x[rows]).size > 1
        if n < needed or not varied:
            why = f"{n} {plural}; {needed} needed" if n < needed else "no variation yet"
            return without(f"not enough data yet ({why})")
    elif min(n_with or 0, n_without or 0) < cfg.min_n:
        return without(
            f"not enough data yet ({n_with} vs {n_without} {plural}; {cfg.min_n} each needed)"
        )
    if fit is None or term not in design.names:
        return without("not enough data yet", plain)
    j = design.names.index(term)
    gram, kept, n_model = fit.gram, fit.kept, fit.n_model
    coef, boot = fit.coef[:, qi], fit.boot[:, :, qi]
    if j not in fit.prefix:
        return without(
            f"not enough {plural} yet to add it to the model with the other causes"
            f" ({n_model} {plural} hold {len(kept)} terms; about {DAYS_PER_TERM} per term)",
            plain,
        )
    others = [i for i in fit.prefix if i != j]
    if j not in kept or regress.residual_share(gram, others, j) < COLLINEAR_SHARE:
        partner = _partner(design, gram, j, others)
        return without(f"cannot be told apart from {partner} in your data", plain)
    k = kept.index(j)
    sd = design.scale[term]
    got = regress.normal_interval(float(coef[k]) / sd, boot[:, k] / sd, n_model, len(kept))
    if got is None:
        return without("not enough data yet (too few distinct values)", plain)
    adjusted_for = tuple(
        dict.fromkeys(
            TREND if name.startswith(TREND) else name
            for i, name in enumerate(design.names)
            if i in kept and i != j and name != "intercept" and not name.startswith("unknown:")
        )
    )
    fig = _Figures(got.value, got.ci_low, got.ci_high, got.p_value)
    note = ""
    if plain.estimate is not None and not (got.ci_low <= plain.estimate <= got.ci_high):
        why = _why_different(design, kept, coef, rows, j, plain.estimate - got.value)
        if why:
            note = f"part of the plain difference came with {why}"
        else:
            note = "the plain difference mixes in the other causes"
    plain_text = (
        f"; plain comparison {_fmt_signed(plain.estimate, fmt)}"
        if plain.estimate is not None
        else ""
    )
    sides = f"{n_with} vs {n_without} {plural}" if not continuous else f"{n} {plural}"
    text = (
        f"{subject}: {_fmt_signed(got.value, fmt)} {label}, other causes held fixed"
        f" ({_fmt_ci(fig, fmt)}; {sides}{plain_text}).{left}"
    )
    return Link(
        **base,
        estimate=got.value,
        ci_low=got.ci_low,
        ci_high=got.ci_high,
        p_value=got.p_value,
        text=text,
        adjusted_for=adjusted_for,
        naive_estimate=plain.estimate,
        naive_ci_low=plain.ci_low,
        naive_ci_high=plain.ci_high,
        note=note,
    )


def _word(design: _Design, i: int) -> str:
    name = design.names[i]
    if name.startswith(TREND):
        return _TERM_WORDS[TREND]
    if name.startswith("unknown:"):
        return f"days without a record of {_term_words(name.removeprefix('unknown:'))}"
    return _term_words(name)


def _partner(design: _Design, gram: np.ndarray, j: int, among: list[int]) -> str:
    """The term of the model (`among`) that moves most with term j: its largest correlation
    on the model's rows. A term left out of the model is no explanation."""
    n = gram[0, 0]
    if n <= 0:
        return "the other causes"
    mean = gram[0] / n
    cov = gram / n - np.outer(mean, mean)
    var = np.clip(np.diag(cov), 1e-12, None)
    corr = np.abs(cov[j]) / np.sqrt(var[j] * var)
    allowed = np.full(corr.shape, False)
    allowed[[i for i in among if i not in (0, j)]] = True
    corr[~allowed] = -1.0
    best = int(np.argmax(corr))
    return _word(design, best) if corr[best] > 0 else "the other causes"


def _why_different(
    design: _Design, kept: list[int], coef: np.ndarray, rows: np.ndarray, j: int, gap: float
) -> str:
    """Which other term most of (plain - adjusted) came with: the plain slope is the adjusted
    one plus, for each other term, its coefficient times how much it moves with this cause
    (the omitted-variable identity, on the cause's known days)."""
    if rows.sum() < 3:
        return ""
    x = design.z[rows, j]
    dx = x - x.mean()
    var = float(dx @ dx)
    if var <= 0:
        return ""
    sd = design.scale[design.names[j]]
    share: dict[str, float] = {}
    for k, i in enumerate(kept):
        if i in (0, j):
            continue
        zi = design.z[rows, i]
        delta = float(dx @ (zi - zi.mean())) / var
        # in units of the effect per unit of the cause, like the gap
        part = float(coef[k]) * delta / sd
        word = _word(design, i)
        share[word] = share.get(word, 0.0) + part
    if not share:
        return ""
    word, part = max(share.items(), key=lambda kv: kv[1] * math.copysign(1.0, gap))
    return word if part * gap > 0 else ""


def compute_links(
    daily: pl.DataFrame,
    config: Config,
    *,
    until: dt.date | None = None,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> list[Link]:
    """Every link of the fixed list on the daily frame (rows after `until` left out)."""
    if until is not None:
        daily = daily.filter(pl.col(C.DATE) <= until)
    daily = daily.sort(C.DATE)
    keys = plan_of_links(daily)
    found: dict[tuple[str, str, int], Link] = {}
    for effects in (SLEEP_EFFECTS, SYMPTOM_EFFECTS):
        group = [k for k in keys if k[1] in effects]
        if not group:
            continue
        for link in _group_links(daily, effects, group, config, resamples, seed):
            found[link.key] = link
    links = [found[k] for k in keys]
    flags = stats.bh_reject([lk.p_value for lk in links], FDR_Q)
    return [
        replace(lk, fdr_ok=ok) if ok != lk.fdr_ok else lk
        for lk, ok in zip(links, flags, strict=True)
    ]


def links_document(links: list[Link]) -> dict[str, Any]:
    """`links --json`: {"links": [...]} as ARCHITECTURE.md gives it (plus n per side, p, fdr_ok,
    the terms each estimate was adjusted for and the plain comparison beside it)."""
    return {"links": [lk.to_dict() for lk in links]}
