"""Setting a taper plan: the one validation the CLI (`taperdash plan set`) and the Taper
screen's form share, and the plan in words."""

from __future__ import annotations

import datetime as dt

from dashboard.core.errors import UserError
from dashboard.core.store.config import Hold, PlanConfig

MAX_DOSE_G = 100.0  # a daily dose above this is a typo, not a plan


class InvalidPlan(UserError):
    pass


def make_plan(
    *,
    start_dose_g: float,
    rate_pct: float,
    start: dt.date,
    target_g: float = 0.0,
    step_g: float = 0.25,
    mode: str = "proportional",
    holds: tuple[Hold, ...] = (),
) -> PlanConfig:
    """A plan from what the person typed, or InvalidPlan naming the field and the rule."""
    if not 0 < start_dose_g <= MAX_DOSE_G:
        raise InvalidPlan(f"start dose must be above 0 and at most {MAX_DOSE_G:g} g a day")
    if not 0 < rate_pct <= 100:
        raise InvalidPlan("rate must be above 0 and at most 100 (% a week)")
    if not 0 <= target_g < start_dose_g:
        raise InvalidPlan("target must be at least 0 and below the start dose")
    if not 0 < step_g <= start_dose_g:
        raise InvalidPlan("step must be above 0 and no more than the start dose")
    if mode not in ("proportional", "linear"):
        raise InvalidPlan(f"mode must be proportional or linear, not {mode!r}")
    return PlanConfig(
        mode=mode,
        start_dose_g=start_dose_g,
        rate_pct=rate_pct,
        start=start,
        target_g=target_g,
        step_g=step_g,
        holds=tuple(sorted(holds, key=lambda h: h.start)),
    )


def describe(plan: PlanConfig) -> str:
    mode = "of the current dose" if plan.mode == "proportional" else "of the start dose"
    holds = "".join(f", hold {h.start}..{h.end}" for h in plan.holds)
    return (
        f"{plan.start_dose_g:g} g a day from {plan.start}, -{plan.rate_pct:g} % {mode} each week,"
        f" to {plan.target_g:g} g in steps of {plan.step_g:g} g{holds}"
    )


def sudden_drop_warning(rate_pct: float, sudden_drop_pct: float) -> str | None:
    if rate_pct <= sudden_drop_pct:
        return None
    return (
        f"{rate_pct:g} % a week is a sudden drop (more than {sudden_drop_pct:g} %);"
        " 10-20 % a week is the usual guidance."
    )
