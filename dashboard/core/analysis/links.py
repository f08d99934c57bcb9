"""The links between tapering, exercise, supplements, sleep and symptoms.

A fixed list — the causes and effects ARCHITECTURE.md names, every supplement seen in the
check-ins — and never a search for the best-looking subset: each link is an estimate with a seeded
bootstrap 95 % interval, n on each side, and a p-value, and the Benjamini–Hochberg flag
`fdr_ok` is taken across the whole list. Below config.min_n on a side there is no estimate,
only "not enough data yet".

Row d of the daily frame holds day d and the night that starts on its evening, so a cause on
day d meets the night d at lag 0 and the night (or check-in) of day d+1 at lag 1.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis import stats
from dashboard.core.store.config import Config

EXERCISE_MIN = 30.0
STEP_WINDOW_NIGHTS = 3  # "the 3 nights from each step on"
FDR_Q = 0.05
SUPPLEMENT_PREFIX = "supplement:"

EXERCISE = "exercise_30min"
TAPER_STEP = "taper_step"
DOSE = "dose_g"
LATE_DOSE = "late_dose"
FIXED_CAUSES = (EXERCISE, TAPER_STEP, DOSE, LATE_DOSE)

SLEEP_EFFECTS = (C.ASLEEP_MIN, C.EFFICIENCY, C.AWAKENINGS)
SYMPTOM_EFFECTS = (C.WITHDRAWAL, C.CRAVINGS)
EFFECTS = SLEEP_EFFECTS + SYMPTOM_EFFECTS

METHOD_DIFF = "difference in means, bootstrap"
METHOD_RHO = "spearman, bootstrap"
# A correlation's resample costs about four times a mean's (five sums instead of one), and its
# 95 % percentile interval is already steady to about 0.01 at 1000 resamples.
RHO_RESAMPLES = 1000


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


@dataclass(frozen=True)
class Link:
    cause: str
    effect: str
    lag_nights: int
    method: str
    unit: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int  # pairs (a correlation) or both sides together (a comparison)
    n_with: int | None  # a comparison's two sides; None for a correlation
    n_without: int | None
    p_value: float | None
    fdr_ok: bool
    text: str

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
            "p_value": _round(self.p_value, 4),
            "fdr_ok": self.fdr_ok,
            "text": self.text,
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _opt(value: float) -> float | None:
    return None if math.isnan(value) else value


def supplement_names(daily: pl.DataFrame) -> list[str]:
    if daily.is_empty():
        return []
    names = daily[C.SUPPLEMENTS].explode().drop_nulls().unique().sort()
    return [str(n) for n in names]


def causes(daily: pl.DataFrame) -> list[str]:
    return [*FIXED_CAUSES, *(SUPPLEMENT_PREFIX + s for s in supplement_names(daily))]


def plan_of_links(daily: pl.DataFrame) -> list[tuple[str, str, int]]:
    """The fixed list of (cause, effect, lag_nights) computed for this frame."""
    out: list[tuple[str, str, int]] = []
    for cause in causes(daily):
        for effect in EFFECTS:
            if cause == DOSE:
                out += [(cause, effect, 0), (cause, effect, 1)]
            elif cause == LATE_DOSE and effect in SYMPTOM_EFFECTS:
                # The dose came late on the evening of d: the check-in it can affect is d+1's.
                out.append((cause, effect, 1))
            else:
                out.append((cause, effect, 0))
    return out


def cause_expr(cause: str) -> pl.Expr:
    """The cause as a column of the daily frame: Boolean for comparisons, grams for dose_g."""
    if cause == EXERCISE:
        return pl.col(C.WORKOUT_MIN) >= EXERCISE_MIN
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
    if cause == LATE_DOSE:
        return pl.col(C.LATE_DOSE)
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
    if cause.startswith(SUPPLEMENT_PREFIX):
        name = cause.removeprefix(SUPPLEMENT_PREFIX)
        return f"Nights after taking {name}" if sleep else f"Days with {name}"
    when = {
        0: "that night" if sleep else "that day",
        1: "the next night" if sleep else "the next day",
    }
    return f"Daily dose vs {_EFFECT_NAMES[effect]} {when.get(lag, f'{lag} later')}"


def _fmt_signed(value: float, fmt: str) -> str:
    return fmt.format(value).replace("-", "−")


def _comparison(
    pairs: pl.DataFrame, cause: str, effect: str, lag: int, cfg: Config, resamples: int, seed: int
) -> Link:
    spec = _EFFECTS[effect]
    plural, _ = _units(effect)
    subject = _subject(cause, effect, lag)
    a = pairs.filter(pl.col("cause"))["effect"]
    b = pairs.filter(~pl.col("cause"))["effect"]
    n_with, n_without = a.len(), b.len()
    base = {
        "cause": cause,
        "effect": effect,
        "lag_nights": lag,
        "method": METHOD_DIFF,
        "unit": spec.unit,
        "n": n_with + n_without,
        "n_with": n_with,
        "n_without": n_without,
        "fdr_ok": False,
    }
    if min(n_with, n_without) < cfg.min_n:
        text = (
            f"{subject}, {_EFFECT_NAMES[effect]}: not enough data yet"
            f" ({n_with} vs {n_without} {plural}; {cfg.min_n} each needed)"
        )
        return Link(**base, estimate=None, ci_low=None, ci_high=None, p_value=None, text=text)
    est = stats.mean_difference(
        a, b, resamples=resamples, seed=stats.stable_seed(cause, effect, lag, base=seed)
    )
    text = (
        f"{subject}: {_fmt_signed(est.value, spec.fmt)} {spec.label}"
        f" (95 % CI {_fmt_signed(est.ci_low, spec.fmt)} to {_fmt_signed(est.ci_high, spec.fmt)};"
        f" {n_with} vs {n_without} {plural})"
    )
    return Link(
        **base,
        estimate=_opt(est.value),
        ci_low=_opt(est.ci_low),
        ci_high=_opt(est.ci_high),
        p_value=_opt(est.p_value),
        text=text,
    )


def _correlation(
    pairs: pl.DataFrame, cause: str, effect: str, lag: int, cfg: Config, resamples: int, seed: int
) -> Link:
    plural, _ = _units(effect)
    subject = _subject(cause, effect, lag)
    n = pairs.height
    base = {
        "cause": cause,
        "effect": effect,
        "lag_nights": lag,
        "method": METHOD_RHO,
        "unit": "rho",
        "n": n,
        "n_with": None,
        "n_without": None,
        "fdr_ok": False,
    }
    # A rank correlation has one "side": it gets the data two sides of a comparison would.
    needed = 2 * cfg.min_n
    varied = n > 0 and pairs["cause"].n_unique() > 1 and pairs["effect"].n_unique() > 1
    if n < needed or not varied:
        why = f"{n} {plural}; {needed} needed" if n < needed else "no variation yet"
        text = f"{subject}: not enough data yet ({why})"
        return Link(**base, estimate=None, ci_low=None, ci_high=None, p_value=None, text=text)
    est = stats.spearman(
        pairs["cause"],
        pairs["effect"],
        resamples=resamples,
        seed=stats.stable_seed(cause, effect, lag, base=seed),
    )
    if math.isnan(est.value) or math.isnan(est.ci_low):
        # So few distinct values that (almost) every resample is flat: no interval to give.
        text = f"{subject}: not enough data yet (too few distinct values)"
        return Link(**base, estimate=None, ci_low=None, ci_high=None, p_value=None, text=text)
    text = (
        f"{subject}: ρ = {_fmt_signed(est.value, '{:+.2f}')}"
        f" (95 % CI {_fmt_signed(est.ci_low, '{:+.2f}')} to {_fmt_signed(est.ci_high, '{:+.2f}')};"
        f" {n} {plural})"
    )
    return Link(
        **base,
        estimate=_opt(est.value),
        ci_low=_opt(est.ci_low),
        ci_high=_opt(est.ci_high),
        p_value=_opt(est.p_value),
        text=text,
    )


def compute_links(
    daily: pl.DataFrame,
    config: Config,
    *,
    until: dt.date | None = None,
    resamples: int = stats.DEFAULT_RESAMPLES,
    rho_resamples: int = RHO_RESAMPLES,
    seed: int = 0,
) -> list[Link]:
    """Every link of the fixed list on the daily frame (rows after `until` left out)."""
    if until is not None:
        daily = daily.filter(pl.col(C.DATE) <= until)
    daily = daily.sort(C.DATE)
    links: list[Link] = []
    for cause, effect, lag in plan_of_links(daily):
        pairs = link_pairs(daily, cause, effect, lag)
        if cause == DOSE:
            links.append(_correlation(pairs, cause, effect, lag, config, rho_resamples, seed))
        else:
            links.append(_comparison(pairs, cause, effect, lag, config, resamples, seed))
    flags = stats.bh_reject([lk.p_value for lk in links], FDR_Q)
    return [
        Link(**{**lk.__dict__, "fdr_ok": ok}) if ok != lk.fdr_ok else lk
        for lk, ok in zip(links, flags, strict=True)
    ]


def links_document(links: list[Link]) -> dict[str, Any]:
    """`links --json`: {"links": [...]} as ARCHITECTURE.md gives it (n per side, p, fdr_ok)."""
    return {"links": [lk.to_dict() for lk in links]}
