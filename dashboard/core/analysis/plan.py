"""The taper plan: the schedule to the target, adherence, taper steps, and the advisor.

Pure functions of a PlanConfig / the daily frame. The advisor follows the usual guidance for
tapering kratom: small steps (10–20 % a week), never a sudden drop, hold while withdrawal or
sleep is bad, and watch for tolerance (rising dose or dose frequency).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from itertools import pairwise

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.plan_setting import sudden_drop_warning
from dashboard.core.scalars import column_mean
from dashboard.core.store.config import AdvisorConfig, Config, PlanConfig
from dashboard.core.words import count

DAY = dt.timedelta(days=1)
STEP_EVERY_DAYS = 7
# A taper step (ARCHITECTURE.md, "Definitions the analysis uses"): the reference dose falls
# by at least this fraction.
TAPER_STEP_FALL = 0.05
MEDIAN_WINDOW_DAYS = 7
# A schedule that never reaches its target (rate 0) still has to end somewhere.
MAX_SCHEDULE_DAYS = 366 * 10
# "Near" a hold threshold: the advisor suggests a smaller step rather than a hold.
NEAR_THRESHOLD = 0.75
# "A single dose over 5 g taken daily for weeks": on this many of the last BIG_DOSE_WINDOW days.
BIG_DOSE_WINDOW = 14
BIG_DOSE_DAYS = 12
# Tolerance: the mean daily dose or doses per day over two weeks rising by this much.
TOLERANCE_WINDOW = 14
TOLERANCE_DOSE_RISE = 0.10
TOLERANCE_FREQ_RISE = 0.5

# A step has come through after about 5 half-lives (~97 % of the change): judging it sooner
# judges a dose the body is still moving towards.
SETTLE_HALF_LIVES = 5
# The 7-day against 28-day mean of the daily dose.
RATIO_SHORT_DAYS = 7
RATIO_LONG_DAYS = 28

SCHEDULE = pl.Schema(
    {C.DATE: pl.Date, C.PLAN_G: pl.Float64, C.ON_HOLD: pl.Boolean, "plan_step": pl.Boolean}
)


def round_to_step(grams: float, step_g: float) -> float:
    if step_g <= 0:
        return round(grams, 3)
    # round() on the quotient then on the product: 0.1 steps must not give 2.3000000000000003
    return round(round(grams / step_g) * step_g, 6)


def settle_days(config: Config) -> int:
    """Days before a step can be judged: 5 half-lives, never fewer than min_step_days."""
    return max(
        config.advisor.min_step_days,
        math.ceil(SETTLE_HALF_LIVES * config.half_life_h / 24.0),
    )


def dose_ratio(
    daily: pl.DataFrame, today: dt.date
) -> tuple[float | None, float | None, float | None]:
    """(7-day mean, 28-day mean, their ratio) of the daily dose over the whole days before today.

    None where the windows are not mostly covered (5 of 7 and 21 of 28 days with a dose
    record) or the 28-day mean is 0: a ratio of a few days says nothing.
    """
    doses = daily.filter(pl.col(C.DATE) < today).drop_nulls(C.DOSE_G)
    short = _window(doses, today - dt.timedelta(days=RATIO_SHORT_DAYS), today - DAY)
    long = _window(doses, today - dt.timedelta(days=RATIO_LONG_DAYS), today - DAY)
    if short.height < 5 or long.height < 21:
        return None, None, None
    s, lg = column_mean(short, C.DOSE_G), column_mean(long, C.DOSE_G)
    if s is None or not lg:
        return s, lg, None
    return s, lg, s / lg


def week_means(daily: pl.DataFrame, today: dt.date) -> tuple[float | None, float | None]:
    """(mean daily dose of the 7 whole days before today, of the 7 before those): the figure
    the Taper tile, Plan B and the sudden-drop warning share. Today is left out: its doses are
    not all in yet."""
    doses = daily.filter(pl.col(C.DATE) < today).drop_nulls(C.DOSE_G)
    last7 = column_mean(_window(doses, today - dt.timedelta(days=7), today - DAY), C.DOSE_G)
    prev7 = column_mean(
        _window(doses, today - dt.timedelta(days=14), today - dt.timedelta(days=8)), C.DOSE_G
    )
    return last7, prev7


def has_plan(plan: PlanConfig) -> bool:
    return plan.start_dose_g is not None


def _on_hold(plan: PlanConfig, day: dt.date) -> bool:
    return any(h.start <= day <= h.end for h in plan.holds)


def _next_dose(plan: PlanConfig, current: float, steps_done: int) -> float:
    assert plan.start_dose_g is not None
    rate = plan.rate_pct / 100.0
    if plan.mode == "linear":
        wanted = plan.start_dose_g - (steps_done + 1) * rate * plan.start_dose_g
    else:
        wanted = current * (1.0 - rate)
    nxt = round_to_step(wanted, plan.step_g)
    # Rounding to the scale would freeze a proportional taper at small doses (0.25 g x 0.9
    # rounds back to 0.25 g): the smallest step the scale can weigh keeps it moving.
    if nxt >= current and rate > 0:
        nxt = round(current - plan.step_g, 6)
    return max(nxt, plan.target_g)


def schedule(
    plan: PlanConfig, *, until: dt.date | None = None, today: dt.date | None = None
) -> pl.DataFrame:
    """One row per day from the plan's start: the planned dose, hold days, and step days.

    A step comes after every 7 days not on hold, so a hold pauses the schedule and it resumes
    where it left off. Without `until` the schedule ends on the day the target is reached.
    An unset start means the plan starts `today`.
    """
    start = plan.start or today
    if plan.start_dose_g is None or start is None:
        return pl.DataFrame(schema=SCHEDULE)
    last = until if until is not None else start + dt.timedelta(days=MAX_SCHEDULE_DAYS)
    dose = max(round_to_step(plan.start_dose_g, plan.step_g), plan.target_g)
    dates: list[dt.date] = []
    doses: list[float] = []
    holds: list[bool] = []
    stepped: list[bool] = []
    active = 0
    steps_done = 0
    day = start
    while day <= last:
        hold = _on_hold(plan, day)
        step = False
        if not hold:
            if active and active % STEP_EVERY_DAYS == 0 and dose > plan.target_g:
                new = _next_dose(plan, dose, steps_done)
                step = new < dose
                dose = new
                steps_done += 1
            active += 1
        dates.append(day)
        doses.append(dose)
        holds.append(hold)
        stepped.append(step)
        if until is None and dose <= plan.target_g:
            break
        day += DAY
    return pl.DataFrame(
        {C.DATE: dates, C.PLAN_G: doses, C.ON_HOLD: holds, "plan_step": stepped}, schema=SCHEDULE
    )


def target_date(plan: PlanConfig, *, today: dt.date | None = None) -> dt.date | None:
    """The day the schedule reaches the target, or None without a plan or when it never does."""
    sched = schedule(plan, today=today)
    if sched.is_empty() or sched[C.PLAN_G][-1] > plan.target_g:
        return None
    return sched[C.DATE][-1]


def adherence_exprs(step_g: float) -> list[pl.Expr]:
    """plan_diff_g (actual - planned) and adherent (within half a scale step of the plan)."""
    diff = pl.col(C.DOSE_G) - pl.col(C.PLAN_G)
    return [
        diff.alias(C.PLAN_DIFF_G),
        (diff <= step_g / 2.0 + 1e-9).alias(C.ADHERENT),
    ]


def mark_taper_steps(frame: pl.DataFrame, plan: PlanConfig) -> pl.DataFrame:
    """Add reference_g and taper_step to a frame of consecutive days with dose_g and plan_g.

    The reference is the planned dose from the plan's start, and before it (or without a plan)
    the 7-day median of the actual daily dose. The median window is centred: it flips on the
    day of a cut rather than three days later, which is what the links need (the nights right
    after a step) — and a median shrugs off a single low or missed day.
    """
    median = pl.col(C.DOSE_G).rolling_median(
        MEDIAN_WINDOW_DAYS, min_samples=MEDIAN_WINDOW_DAYS // 2 + 1, center=True
    )
    start = plan.start
    if has_plan(plan) and start is not None:
        reference = pl.when(pl.col(C.DATE) >= start).then(pl.col(C.PLAN_G)).otherwise(median)
    else:
        reference = median
    prev = pl.col(C.REFERENCE_G).shift(1)
    return frame.with_columns(reference.alias(C.REFERENCE_G)).with_columns(
        ((pl.col(C.REFERENCE_G) <= prev * (1.0 - TAPER_STEP_FALL)) & (prev > 0))
        .fill_null(False)
        .alias(C.TAPER_STEP)
    )


# The advisor's actions. continue / hold / smaller_step judge the plan on symptoms;
# over_plan: today is over the plan already, so the plan is not judged on it; no_data: no
# check-in and no night in the windows, so there is nothing to judge withdrawal or sleep by.
ACTIONS = ("continue", "hold", "smaller_step", "over_plan", "no_data")


@dataclass(frozen=True)
class Advice:
    """What the advisor says today. `action`: one of ACTIONS.

    Every sentence it says follows from the frame it was given: the counts behind a verdict
    (check-ins, nights with sleep data) are kept here so the words can say what was missing.
    """

    action: str
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    has_plan: bool
    today_plan_g: float | None
    next_step_date: dt.date | None
    next_step_g: float | None
    target_date: dt.date | None
    withdrawal_mean: float | None
    insomnia_nights: int
    nights_known: int
    doses_per_day_recent: float | None
    doses_per_day_prev: float | None
    strains_recent: tuple[str, ...]
    strain_switches: int
    settle_days: int = 7  # 5 half-lives, at least min_step_days
    settles_on: dt.date | None = None  # the last step can be judged from this day
    dose_7d_g: float | None = None
    dose_28d_g: float | None = None
    dose_ratio_7_28: float | None = None  # flagged below advisor.sudden_drop_ratio
    checkins_known: int = 0  # check-ins with a withdrawal score in the lookback window
    hold_causes: tuple[str, ...] = ()  # "withdrawal", "sleep": what put it at or near a hold
    plan_in_force: bool = False  # a plan is set and has started by the day advised on
    plan_starts: dt.date | None = None  # a set plan that starts after the day advised on
    over_plan_g: float | None = None  # today's dose so far above today's plan

    def headline(self) -> str:
        if not self.plan_in_force:
            what = (
                f"The taper plan starts on {self.plan_starts:%-d %b %Y}"
                if self.plan_starts is not None
                else "No taper plan set"
            )
            if self.action == "hold":
                causes = _causes(self.hold_causes)
                return f"{what}; {causes} at the hold level: not a time to cut."
            if self.action == "no_data":
                return f"{what}; no recent check-ins or sleep to judge withdrawal or sleep by."
            return f"{what}: the advisor watches symptoms and dose only."
        if self.action == "over_plan":
            return "Over today's plan: hold here rather than cut hard to make up for it."
        if self.action == "hold":
            both = len(self.hold_causes) > 1
            return (
                f"Hold at the current dose until {_causes(self.hold_causes)}"
                f" {'settle' if both else 'settles'}."
            )
        if self.action == "smaller_step":
            return (
                "Take a smaller next step (about half):"
                f" {_causes(self.hold_causes)} {'are' if len(self.hold_causes) > 1 else 'is'}"
                " close to the hold level."
            )
        if self.action == "no_data":
            return "No recent check-ins or sleep: the advisor cannot judge withdrawal or sleep."
        if self.nights_known == 0:
            return "Continue the plan, judged on withdrawal alone (no sleep data)."
        if self.checkins_known == 0:
            return "Continue the plan, judged on sleep alone (no check-ins)."
        return "Continue the plan."

    def lines(self) -> list[str]:
        out = [self.headline(), *(f"- {r}" for r in self.reasons)]
        out += [f"! {w}" for w in self.warnings]
        if self.doses_per_day_recent is not None:
            prev = (
                f" (previous week {self.doses_per_day_prev:.1f})"
                if self.doses_per_day_prev is not None
                else ""
            )
            out.append(f"Doses per day, last 7 days: {self.doses_per_day_recent:.1f}{prev}")
        if self.strains_recent:
            out.append(
                f"Strains in the last {BIG_DOSE_WINDOW} days: {', '.join(self.strains_recent)}"
                f" ({count(self.strain_switches, 'switch')})"
            )
        return out


def _causes(causes: tuple[str, ...]) -> str:
    if set(causes) >= {"withdrawal", "sleep"}:
        return "withdrawal and sleep"
    return causes[0] if causes else "withdrawal or sleep"


@dataclass(frozen=True)
class _Symptoms:
    action: str  # continue | hold | smaller_step | no_data
    reasons: list[str]
    withdrawal: float | None
    checkins: int
    insomnia: int
    nights: int
    causes: tuple[str, ...]


def _window(daily: pl.DataFrame, first: dt.date, last: dt.date) -> pl.DataFrame:
    return daily.filter(pl.col(C.DATE).is_between(first, last))


def _symptom_action(daily: pl.DataFrame, adv: AdvisorConfig, today: dt.date) -> _Symptoms:
    recent = _window(daily, today - dt.timedelta(days=adv.lookback_days - 1), today)
    scored = recent.drop_nulls(C.WITHDRAWAL)
    withdrawal = column_mean(scored, C.WITHDRAWAL)
    # Night d starts on the evening of d: the last 7 finished nights end with yesterday's.
    nights = _window(daily, today - dt.timedelta(days=7), today - DAY).drop_nulls(C.INSOMNIA_NIGHT)
    insomnia = int(nights[C.INSOMNIA_NIGHT].sum()) if not nights.is_empty() else 0
    reasons: list[str] = []
    hold: list[str] = []
    near: list[str] = []
    days = f"the last {count(adv.lookback_days, 'day')}"
    on = f"on {count(scored.height, 'check-in')} in {days}"
    if withdrawal is None:
        reasons.append(f"No check-in in {days}: withdrawal cannot be judged.")
    elif withdrawal > adv.withdrawal_hold:
        hold.append("withdrawal")
        reasons.append(
            f"Withdrawal score averaged {withdrawal:.0f} {on}"
            f" (a hold is suggested above {adv.withdrawal_hold:g})."
        )
    elif withdrawal > NEAR_THRESHOLD * adv.withdrawal_hold:
        near.append("withdrawal")
        reasons.append(
            f"Withdrawal score averaged {withdrawal:.0f} {on},"
            f" close to the hold level of {adv.withdrawal_hold:g}."
        )
    else:
        reasons.append(
            f"Withdrawal score averaged {withdrawal:.0f} {on},"
            f" below the hold level of {adv.withdrawal_hold:g}."
        )
    of = f"of {nights.height} with sleep data in the last 7 nights"
    if nights.is_empty():
        reasons.append("No sleep data in the last 7 nights: sleep cannot be judged.")
    elif insomnia > adv.insomnia_nights_hold:
        hold.append("sleep")
        reasons.append(
            f"{count(insomnia, 'insomnia night')} {of} (a hold is suggested above"
            f" {adv.insomnia_nights_hold})."
        )
    elif insomnia == adv.insomnia_nights_hold and insomnia > 0:
        near.append("sleep")
        reasons.append(f"{count(insomnia, 'insomnia night')} {of}, at the hold level.")
    else:
        reasons.append(
            f"{count(insomnia, 'insomnia night')} {of}"
            f" (a hold is suggested above {adv.insomnia_nights_hold})."
        )
    if hold:
        action, causes = "hold", tuple(hold)
    elif near:
        action, causes = "smaller_step", tuple(near)
    elif withdrawal is None and nights.is_empty():
        action, causes = "no_data", ()
    else:
        action, causes = "continue", ()
    return _Symptoms(action, reasons, withdrawal, scored.height, insomnia, nights.height, causes)


def _dose_warnings(
    daily: pl.DataFrame, config: Config, today: dt.date, sched: pl.DataFrame
) -> list[str]:
    adv = config.advisor
    warnings: list[str] = []
    last7, prev7 = week_means(daily, today)
    # whole days only: today's doses are not all in yet
    doses = daily.filter(pl.col(C.DATE) < today).drop_nulls(C.DOSE_G)
    if last7 is not None and prev7 and (prev7 - last7) / prev7 * 100 > adv.sudden_drop_pct:
        warnings.append(
            f"Sudden drop: your daily dose fell {(prev7 - last7) / prev7 * 100:.0f} % in a week"
            f" ({prev7:.2f} g to {last7:.2f} g a day). Cuts over {adv.sudden_drop_pct:g} % a week"
            " risk severe withdrawal; going part of the way back up and tapering slower is safer."
        )
    plan = config.plan
    short, long, ratio = dose_ratio(daily, today)
    if (
        ratio is not None
        and short is not None
        and long is not None
        and ratio < adv.sudden_drop_ratio
    ):
        planned = column_mean(
            _window(sched, today - dt.timedelta(days=RATIO_SHORT_DAYS), today - DAY), C.PLAN_G
        )
        # Following the plan down is not a sudden drop here (a plan that cuts too fast gets
        # its own warning below); this flag is for falls the plan did not ask for.
        on_plan = planned is not None and short >= planned - plan.step_g / 2
        if not on_plan:
            warnings.append(
                f"Steep fall: the last 7 days averaged {short:.2f} g a day, {ratio * 100:.0f} %"
                f" of the 28-day mean ({long:.2f} g); below {adv.sudden_drop_ratio * 100:.0f} %"
                " is a sudden drop. Going part of the way back up and tapering slower is safer."
            )
    if has_plan(plan) and (said := sudden_drop_warning(plan.rate_pct, adv.sudden_drop_pct)):
        warnings.append(f"The plan: {said}")  # the words the plan form and `plan set` use
    upcoming = sched.filter((pl.col(C.DATE) > today) & pl.col("plan_step")).head(1)
    if not upcoming.is_empty():
        before = sched.filter(pl.col(C.DATE) < upcoming[C.DATE][0])[C.PLAN_G]
        if before.len():
            prev_g, next_g = float(before[-1]), float(upcoming[C.PLAN_G][0])
            cut = (prev_g - next_g) / prev_g * 100 if prev_g else 0.0
            if cut > adv.sudden_drop_pct and plan.rate_pct <= adv.sudden_drop_pct:
                warnings.append(
                    f"The next planned step ({prev_g:g} g to {next_g:g} g) is a {cut:.0f} % cut;"
                    " consider smaller steps near the end."
                )
    big = _window(doses, today - dt.timedelta(days=BIG_DOSE_WINDOW), today - DAY)
    big_days = int((big[C.MAX_SINGLE_G] > adv.big_dose_g).sum()) if not big.is_empty() else 0
    if big_days >= BIG_DOSE_DAYS:
        warnings.append(
            f"A single dose over {adv.big_dose_g:g} g on {big_days} of the last {BIG_DOSE_WINDOW}"
            " days: large daily doses over weeks deepen dependence; split or reduce them."
        )
    w = dt.timedelta(days=TOLERANCE_WINDOW)
    recent = _window(doses, today - w, today - DAY)
    earlier = _window(doses, today - 2 * w, today - w - DAY)
    if recent.height >= TOLERANCE_WINDOW // 2 and earlier.height >= TOLERANCE_WINDOW // 2:
        r_g, e_g = column_mean(recent, C.DOSE_G), column_mean(earlier, C.DOSE_G)
        if r_g is not None and e_g and r_g > e_g * (1 + TOLERANCE_DOSE_RISE):
            warnings.append(
                f"Rising dose: {e_g:.2f} g to {r_g:.2f} g a day over the last two weeks — a sign"
                " of tolerance."
            )
        r_n, e_n = column_mean(recent, C.DOSES_N), column_mean(earlier, C.DOSES_N)
        if r_n is not None and e_n is not None and r_n >= e_n + TOLERANCE_FREQ_RISE:
            warnings.append(
                f"Dosing more often: {e_n:.1f} to {r_n:.1f} doses a day over the last two weeks"
                " — a sign of tolerance."
            )
    return warnings


def _strain_rotation(daily: pl.DataFrame, today: dt.date) -> tuple[tuple[str, ...], int]:
    window = _window(daily, today - dt.timedelta(days=BIG_DOSE_WINDOW), today).filter(
        pl.col(C.STRAINS).list.len() > 0
    )
    if window.is_empty():
        return (), 0
    used = window[C.STRAINS].explode().drop_nulls().value_counts(sort=True)
    names = tuple(str(s) for s in used[C.STRAINS])
    sets = [tuple(sorted(s)) for s in window[C.STRAINS].to_list()]
    switches = sum(1 for a, b in pairwise(sets) if a != b)
    return names, switches


def _over_plan(
    daily: pl.DataFrame, plan: PlanConfig, today: dt.date, today_g: float | None
) -> float | None:
    """Grams today's doses so far are over today's plan (beyond half a scale step), or None."""
    if today_g is None:
        return None
    row = daily.filter(pl.col(C.DATE) == today).drop_nulls(C.DOSE_G)
    if row.is_empty():
        return None
    over = float(row[C.DOSE_G][0]) - today_g
    return round(over, 6) if over > plan.step_g / 2.0 + 1e-9 else None


def advise(daily: pl.DataFrame, config: Config, today: dt.date) -> Advice:
    """The advisor's view on `today` from the daily frame (which may run past today)."""
    plan = config.plan
    sched = schedule(plan, until=today + dt.timedelta(days=60), today=today)
    symptoms = _symptom_action(daily, config.advisor, today)
    action, reasons = symptoms.action, symptoms.reasons
    warnings = _dose_warnings(daily, config, today, sched)
    today_g: float | None = None
    next_date: dt.date | None = None
    next_g: float | None = None
    in_force = not sched.filter(pl.col(C.DATE) <= today).is_empty()
    starts = plan.start if has_plan(plan) and not in_force else None
    if not sched.is_empty():
        row = sched.filter(pl.col(C.DATE) == today)
        today_g = float(row[C.PLAN_G][0]) if not row.is_empty() else None
        upcoming = sched.filter((pl.col(C.DATE) > today) & pl.col("plan_step")).head(1)
        if not upcoming.is_empty():
            next_date = upcoming[C.DATE][0]
            next_g = float(upcoming[C.PLAN_G][0])
    if not has_plan(plan):
        reasons.append("No taper plan set (taperdash plan set --start-dose G --rate PCT).")
    elif starts is not None:
        reasons.append(f"The taper plan starts on {starts.isoformat()}.")
    over = _over_plan(daily, plan, today, today_g) if in_force else None
    if over is not None and action != "hold":
        action = "over_plan"
        reasons.insert(
            0,
            f"Today so far: {over + (today_g or 0.0):g} g against {today_g:g} g planned"
            f" ({over:g} g over).",
        )
    end = target_date(plan, today=today)
    if in_force and end is not None and end <= today + dt.timedelta(days=STEP_EVERY_DAYS):
        verb = "reached" if end <= today else "reaches"
        reasons.append(f"The plan {verb} its target of {plan.target_g:g} g on {end.isoformat()}.")
    steps = daily.filter(pl.col(C.TAPER_STEP) & (pl.col(C.DATE) <= today))
    settle = settle_days(config)
    settles_on: dt.date | None = None
    if not steps.is_empty():
        last_step = steps[C.DATE][-1]
        since = (today - last_step).days
        if since < settle:
            settles_on = last_step + dt.timedelta(days=settle)
            reasons.append(
                f"The last step was {count(since, 'day')} ago: with a half-life of"
                f" {config.half_life_h:g} h it settles over about {settle} days, so judge it"
                f" on {settles_on.isoformat()}."
            )
            if next_date is not None and next_date < settles_on:
                reasons.append(
                    f"The next planned step ({next_date.isoformat()}) comes before the last one"
                    f" has settled: consider holding until {settles_on.isoformat()}."
                )
    doses = daily.filter(pl.col(C.DATE) < today).drop_nulls(C.DOSES_N)
    recent_n = column_mean(_window(doses, today - dt.timedelta(days=7), today - DAY), C.DOSES_N)
    prev_n = column_mean(
        _window(doses, today - dt.timedelta(days=14), today - dt.timedelta(days=8)), C.DOSES_N
    )
    strains, switches = _strain_rotation(daily, today)
    short_g, long_g, ratio = dose_ratio(daily, today)
    return Advice(
        action=action,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        has_plan=has_plan(plan),
        today_plan_g=today_g,
        next_step_date=next_date,
        next_step_g=next_g,
        target_date=end,
        withdrawal_mean=symptoms.withdrawal,
        insomnia_nights=symptoms.insomnia,
        nights_known=symptoms.nights,
        doses_per_day_recent=recent_n,
        doses_per_day_prev=prev_n,
        strains_recent=strains,
        strain_switches=switches,
        settle_days=settle,
        settles_on=settles_on,
        dose_7d_g=short_g,
        dose_28d_g=long_g,
        dose_ratio_7_28=ratio,
        checkins_known=symptoms.checkins,
        hold_causes=symptoms.causes,
        plan_in_force=in_force,
        plan_starts=starts,
        over_plan_g=over,
    )
