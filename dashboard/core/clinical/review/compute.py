"""The weekly review as a pure function of the daily frame, the config and a week, and the
reflection's storage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.links import Link, compute_links
from dashboard.core.analysis.plan import Advice, advise, has_plan, schedule
from dashboard.core.analysis.steps import WINDOW_DAYS as STEP_WINDOW_DAYS
from dashboard.core.analysis.steps import step_effects, step_effects_json
from dashboard.core.clinical.isi import IsiSummary
from dashboard.core.clinical.review.model import (
    STEP_WEEKS,
    ActivityWeek,
    DoseWeek,
    LinkChange,
    NextWeek,
    Reflection,
    SleepWeek,
    SymptomWeek,
    WeeklyReview,
    WeekNumbers,
)
from dashboard.core.clinical.review.render import _g
from dashboard.core.scalars import column_mean
from dashboard.core.store.config import Config
from dashboard.core.store.schema import REFLECTIONS, conform
from dashboard.core.weeks import DAY, next_week, week_bounds
from dashboard.core.words import count


def _plancolumn_mean(config: Config, start: dt.date, end: dt.date, today: dt.date) -> float | None:
    if not has_plan(config.plan):
        return None
    days = schedule(config.plan, until=end, today=today).filter(
        pl.col(C.DATE).is_between(start, end)
    )
    return column_mean(days, C.PLAN_G)


def _numbers(
    daily: pl.DataFrame,
    config: Config,
    start: dt.date,
    end: dt.date,
    today: dt.date | None,
    prev_daily_mean: float | None,
) -> WeekNumbers:
    week = daily.filter(pl.col(C.DATE).is_between(start, end))
    # Today is not over and tonight has not happened: counting them would read as a cut.
    done = week.filter(pl.col(C.DATE) < today) if today is not None else week
    dosed = done.drop_nulls(C.DOSE_G)
    total = float(dosed[C.DOSE_G].sum()) if dosed.height else None
    mean_g = total / dosed.height if total is not None else None
    change = (
        (mean_g - prev_daily_mean) / prev_daily_mean * 100
        if mean_g is not None and prev_daily_mean
        else None
    )
    max_single = dosed[C.MAX_SINGLE_G].max() if dosed.height else None
    nights = done.drop_nulls(C.ASLEEP_MIN)
    exercise = done.drop_nulls(C.WORKOUT_MIN)
    checked = done.filter(pl.col(C.CHECKED_IN))
    return WeekNumbers(
        dose=DoseWeek(
            total_g=total,
            daily_mean_g=mean_g,
            plan_daily_g=_plancolumn_mean(config, start, end, today or end),
            change_pct_vs_prev_week=change,
            max_single_g=None if max_single is None else float(max_single),  # type: ignore[arg-type]
            doses_per_day=column_mean(dosed, C.DOSES_N),
            days=dosed.height,
        ),
        sleep=SleepWeek(
            nights=nights.height,
            asleep_mean_min=column_mean(nights, C.ASLEEP_MIN),
            efficiency_mean=column_mean(nights, C.EFFICIENCY),
            insomnia_nights=int(nights[C.INSOMNIA_NIGHT].fill_null(False).sum()),
        ),
        activity=ActivityWeek(
            exercise_min_total=float(exercise[C.WORKOUT_MIN].sum()) if exercise.height else None,
            steps_mean=column_mean(done, C.STEPS),
        ),
        symptoms=SymptomWeek(
            withdrawal_mean=column_mean(done, C.WITHDRAWAL),
            cravings_mean=column_mean(done, C.CRAVINGS),
            checkins=checked.height,
        ),
    )


def _strength(link: Link) -> float:
    # Estimate over interval width: comparable across units, and it still orders the many
    # links whose bootstrap p-value sits at its floor.
    if link.estimate is None or link.ci_low is None or link.ci_high is None:
        return 0.0
    width = link.ci_high - link.ci_low
    return abs(link.estimate) / width if width > 0 else float("inf")


def _link_changes(now: list[Link], before: list[Link]) -> tuple[LinkChange, ...]:
    """Links whose verdict changed since the previous week, then the ones that hold (fdr_ok)
    without change, strongest first."""
    previous = {lk.key: lk for lk in before}
    changed: list[LinkChange] = []
    steady: list[LinkChange] = []
    for link in now:
        prev = previous.get(link.key)
        change: str | None = None
        if link.estimate is not None and (prev is None or prev.estimate is None):
            # a first estimate is news only when it is clear: since the links are adjusted, a
            # growing history adds causes to the model week by week, most of them unclear
            change = "new" if link.notable else None
        elif prev is not None and link.notable and not prev.notable:
            change = "now clear"
        elif prev is not None and prev.notable and not link.notable:
            change = "no longer clear"
        elif (
            prev is not None
            and link.estimate is not None
            and prev.estimate is not None
            and prev.ci_low is not None
            and prev.ci_high is not None
            and abs(link.estimate - prev.estimate) > (prev.ci_high - prev.ci_low) / 2
        ):
            change = "moved"
        if change is not None:
            changed.append(LinkChange(link, prev, change))
        elif link.fdr_ok:
            steady.append(LinkChange(link, prev, None))
    steady.sort(key=lambda lc: -_strength(lc.link))
    return (*changed, *steady)


def _flags(
    review_numbers: WeekNumbers,
    config: Config,
    advice: Advice,
    days: int,
    *,
    tracks_sleep: bool,
    checks_in: bool,
) -> list[str]:
    d, s, y = review_numbers.dose, review_numbers.sleep, review_numbers.symptoms
    adv = config.advisor
    flags: list[str] = []
    if d.change_pct_vs_prev_week is not None and -d.change_pct_vs_prev_week > adv.sudden_drop_pct:
        flags.append(
            f"Sudden drop: the daily dose fell {-d.change_pct_vs_prev_week:.0f} % from the previous"
            f" week (more than {adv.sudden_drop_pct:g} % a week risks severe withdrawal)."
        )
    if (
        d.daily_mean_g is not None
        and d.plan_daily_g is not None
        and d.daily_mean_g > d.plan_daily_g + config.plan.step_g / 2
    ):
        flags.append(
            f"Above plan: {_g(d.daily_mean_g)} a day against {_g(d.plan_daily_g)} planned."
        )
    if s.insomnia_nights > adv.insomnia_nights_hold:
        flags.append(
            f"{count(s.insomnia_nights, 'insomnia night')} (more than {adv.insomnia_nights_hold})."
        )
    if y.withdrawal_mean is not None and y.withdrawal_mean > adv.withdrawal_hold:
        flags.append(
            f"Withdrawal averaged {y.withdrawal_mean:.0f} (hold level {adv.withdrawal_hold:g})."
        )
    # Gaps matter only in what the person records at all: no tracker is not a missing night.
    if tracks_sleep and days and s.nights < days:
        flags.append(f"{days - s.nights} of {count(days, 'night')} without sleep data.")
    if checks_in and days and y.checkins < days:
        flags.append(f"{days - y.checkins} of {count(days, 'day')} without a check-in.")
    # The advisor's own drop check looks at the last 7 days; the week-on-week one above is the
    # review's, so only the advisor's other warnings are repeated.
    flags += [w for w in advice.warnings if not w.startswith("Sudden drop")]
    return flags


def _isi_summary(isi: pl.DataFrame | None, week: str, week_start: str) -> IsiSummary:
    # isi.py builds on this module's week helpers; importing it here keeps the cycle out of
    # module import time.
    from dashboard.core.clinical.isi import isi_summary

    return isi_summary(isi, week, week_start)


def _recent_steps(
    daily: pl.DataFrame, config: Config, start: dt.date, last_day: dt.date
) -> list[dict[str, Any]]:
    """Before/after of the steps of the last STEP_WEEKS weeks up to the week's last day."""
    first = start - (STEP_WEEKS - 1) * 7 * DAY
    # Only the rows the windows reach: the bootstrap runs per step and measure.
    rows = daily.filter(pl.col(C.DATE).is_between(first - STEP_WINDOW_DAYS * DAY, last_day))
    effects = step_effects(rows, config, until=last_day)
    return step_effects_json(effects.filter(pl.col("step_date") >= first))


def save_reflection(
    reflections: pl.DataFrame,
    week: str,
    reflection: Reflection,
    now: dt.datetime,
) -> pl.DataFrame:
    """The reflections table with `week`'s reflection replaced (one row per week).

    Pure: the caller writes the result to the store (the Review screen, in a transaction).
    """
    week_bounds(week)  # refuse a label that is not a week before it reaches the store
    row = pl.DataFrame(
        {
            "week": [week],
            "triggers": [reflection.triggers],
            "helped": [reflection.helped],
            "next_plan": [reflection.next_plan],
            "updated_at": [now.astimezone(dt.UTC)],
        },
        schema=REFLECTIONS,
    )
    kept = conform(reflections, REFLECTIONS).filter(pl.col("week") != week)
    return pl.concat([kept, row]).sort("week")


def _reflection(reflections: pl.DataFrame | None, week: str) -> Reflection | None:
    if reflections is None or reflections.is_empty():
        return None
    rows = reflections.filter(pl.col("week") == week)
    if rows.is_empty():
        return None
    if "updated_at" in rows.columns:
        rows = rows.sort("updated_at", nulls_last=False)
    row = rows.row(-1, named=True)
    return Reflection(
        triggers=row.get("triggers") or "",
        helped=row.get("helped") or "",
        next_plan=row.get("next_plan") or "",
    )


def weekly_review(
    daily: pl.DataFrame,
    config: Config,
    week: str,
    *,
    today: dt.date | None = None,
    reflections: pl.DataFrame | None = None,
    links_now: list[Link] | None = None,
    links_prev: list[Link] | None = None,
    isi: pl.DataFrame | None = None,
) -> WeeklyReview:
    """The review of `week` ("YYYY-Www").

    `today` keeps an unfinished day (and tonight) out of a running week's numbers. Pass the
    links already computed on this frame (up to the week's end, and up to the previous week's
    end) to save recomputing them; otherwise they are computed here.
    """
    ws = config.week_start
    start, end = week_bounds(week, ws)
    prev_start, prev_end = start - 7 * DAY, start - DAY
    before_prev = _numbers(daily, config, prev_start - 7 * DAY, prev_start - DAY, today, None)
    prev = _numbers(daily, config, prev_start, prev_end, today, before_prev.dose.daily_mean_g)
    this = _numbers(daily, config, start, end, today, prev.dose.daily_mean_g)
    last_day = end if today is None else min(end, today)
    if links_now is None:
        links_now = compute_links(daily, config, until=last_day)
    if links_prev is None:
        links_prev = compute_links(daily, config, until=prev_end)
    as_of = last_day + DAY if today is None or today > end else today
    seen = daily.filter(pl.col(C.DATE) <= last_day)
    advice = advise(seen, config, as_of)
    nxt_label = next_week(week, ws)
    complete = today is None or today > end
    elapsed = 7 if complete else max(0, (today - start).days)  # type: ignore[operator]
    nxt_start, nxt_end = week_bounds(nxt_label, ws)
    return WeeklyReview(
        week=week,
        start=start,
        end=end,
        complete=complete,
        days_elapsed=elapsed,
        dose=this.dose,
        sleep=this.sleep,
        activity=this.activity,
        symptoms=this.symptoms,
        previous=prev,
        links=_link_changes(links_now, links_prev),
        flags=tuple(
            _flags(
                this,
                config,
                advice,
                elapsed,
                tracks_sleep=seen[C.ASLEEP_MIN].drop_nulls().len() > 0,
                checks_in=bool(seen[C.CHECKED_IN].any()),
            )
        ),
        next_week=NextWeek(
            week=nxt_label,
            plan_daily_g=_plancolumn_mean(config, nxt_start, nxt_end, today or end),
            advice=advice.action,
            headline=advice.headline(),
            reasons=advice.reasons,
        ),
        reflection=_reflection(reflections, week),
        isi=_isi_summary(isi, week, ws),
        step_effects=tuple(_recent_steps(daily, config, start, last_day)),
    )
