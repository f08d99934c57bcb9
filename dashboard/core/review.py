"""The weekly review: a pure function of the daily frame, the config and a week.

`weekly_review(...)` returns a frozen WeeklyReview; `to_json()` is exactly DESIGN.md's shape,
`to_markdown()` is what a person hands a clinician, `to_text()` is for the terminal.

Weeks start on config.week_start: ISO weeks for "monday"; for "sunday" the week labelled
2026-W47 is the ISO week 2026-W47 moved one day earlier (Sunday to Saturday).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from dashboard.core import columns as C
from dashboard.core.config import Config
from dashboard.core.links import Link, compute_links
from dashboard.core.plan import Advice, advise, has_plan, schedule
from dashboard.core.schema import REFLECTIONS, conform
from dashboard.core.steps import WINDOW_DAYS as STEP_WINDOW_DAYS
from dashboard.core.steps import step_effects, step_effects_json

DISCLAIMER = (
    "Not medical advice. This is a summary of self-tracked data, to discuss with a clinician;"
    " talk to one before changing how you taper."
)
if TYPE_CHECKING:
    from dashboard.core.isi import IsiSummary

STEP_WEEKS = 4  # the review shows the taper steps of the last four weeks
STEADY_SHOWN = 5  # a review is read in a few minutes: the rest are one command away
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
DAY = dt.timedelta(days=1)


class WeekError(ValueError):
    """A week label that is not YYYY-Www or names a week the year does not have."""


def week_bounds(week: str, week_start: str = "monday") -> tuple[dt.date, dt.date]:
    """First and last local day of the week labelled `week`."""
    match = _WEEK_RE.match(week)
    if not match:
        raise WeekError(f"not a week: {week!r} (expected YYYY-Www, e.g. 2026-W47)")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise WeekError(f"no such week: {week}") from exc
    start = monday - DAY if week_start == "sunday" else monday
    return start, start + 6 * DAY


def week_of(day: dt.date, week_start: str = "monday") -> str:
    # A Sunday-start week holds the Sunday before its ISO Monday, so label by the next day.
    iso = (day + DAY if week_start == "sunday" else day).isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def previous_week(week: str, week_start: str = "monday") -> str:
    return week_of(week_bounds(week, week_start)[0] - DAY, week_start)


def next_week(week: str, week_start: str = "monday") -> str:
    return week_of(week_bounds(week, week_start)[1] + DAY, week_start)


@dataclass(frozen=True)
class DoseWeek:
    total_g: float | None
    daily_mean_g: float | None
    plan_daily_g: float | None
    change_pct_vs_prev_week: float | None
    max_single_g: float | None
    doses_per_day: float | None
    days: int  # days with a dose record, the denominator of the means


@dataclass(frozen=True)
class SleepWeek:
    nights: int
    asleep_mean_min: float | None
    efficiency_mean: float | None
    insomnia_nights: int


@dataclass(frozen=True)
class ActivityWeek:
    exercise_min_total: float | None
    steps_mean: float | None


@dataclass(frozen=True)
class SymptomWeek:
    withdrawal_mean: float | None
    cravings_mean: float | None
    checkins: int


@dataclass(frozen=True)
class Reflection:
    triggers: str
    helped: str
    next_plan: str

    def to_json(self) -> dict[str, str]:
        return {"triggers": self.triggers, "helped": self.helped, "next_plan": self.next_plan}


@dataclass(frozen=True)
class LinkChange:
    link: Link
    previous: Link | None
    change: str | None  # new | now clear | no longer clear | moved | None (unchanged)

    def to_json(self) -> dict[str, Any]:
        prev = self.previous.estimate if self.previous is not None else None
        return {
            **self.link.to_dict(),
            "change": self.change,
            "previous_estimate": None if prev is None else round(prev, 3),
        }


@dataclass(frozen=True)
class NextWeek:
    week: str
    plan_daily_g: float | None
    advice: str  # continue | hold | smaller_step
    headline: str  # the advisor's one-line verdict
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "plan_daily_g": _r(self.plan_daily_g, 2),
            "advice": self.advice,
            "headline": self.headline,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class WeekNumbers:
    dose: DoseWeek
    sleep: SleepWeek
    activity: ActivityWeek
    symptoms: SymptomWeek


@dataclass(frozen=True)
class WeeklyReview:
    week: str
    start: dt.date
    end: dt.date
    complete: bool  # False while the week is still running
    days_elapsed: int  # 7 for a finished week; the whole days so far for a running one
    dose: DoseWeek
    sleep: SleepWeek
    activity: ActivityWeek
    symptoms: SymptomWeek
    previous: WeekNumbers
    links: tuple[LinkChange, ...]
    flags: tuple[str, ...]
    next_week: NextWeek
    reflection: Reflection | None
    # Issue 10: the ISI every second week, and the before/after of the recent taper steps.
    isi: IsiSummary | None = None
    step_effects: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        d, s, a, y, p = self.dose, self.sleep, self.activity, self.symptoms, self.previous
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "dose": {
                "total_g": _r(d.total_g, 2),
                "daily_mean_g": _r(d.daily_mean_g, 2),
                "plan_daily_g": _r(d.plan_daily_g, 2),
                "change_pct_vs_prev_week": _r(d.change_pct_vs_prev_week, 1),
                "max_single_g": _r(d.max_single_g, 2),
                "doses_per_day": _r(d.doses_per_day, 2),
            },
            "sleep": {
                "nights": s.nights,
                "asleep_mean_min": _r(s.asleep_mean_min, 1),
                "efficiency_mean": _r(s.efficiency_mean, 3),
                "insomnia_nights": s.insomnia_nights,
            },
            "activity": {
                "exercise_min_total": _r(a.exercise_min_total, 1),
                "steps_mean": _r(a.steps_mean, 0),
            },
            "symptoms": {
                "withdrawal_mean": _r(y.withdrawal_mean, 1),
                "cravings_mean": _r(y.cravings_mean, 1),
            },
            "links": [lc.to_json() for lc in self.links],
            "flags": list(self.flags),
            "isi": self.isi.to_json() if self.isi is not None else None,
            "step_effects": list(self.step_effects),
            "notes": {
                "complete": self.complete,
                "reflection": self.reflection.to_json() if self.reflection else None,
                "next_week": self.next_week.to_json(),
                "previous_week": {
                    "daily_mean_g": _r(p.dose.daily_mean_g, 2),
                    "asleep_mean_min": _r(p.sleep.asleep_mean_min, 1),
                    "efficiency_mean": _r(p.sleep.efficiency_mean, 3),
                    "insomnia_nights": p.sleep.insomnia_nights,
                    "exercise_min_total": _r(p.activity.exercise_min_total, 1),
                    "withdrawal_mean": _r(p.symptoms.withdrawal_mean, 1),
                    "cravings_mean": _r(p.symptoms.cravings_mean, 1),
                },
            },
        }

    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(measure, this week, previous week, change) for the summary table."""
        d, s, a, y, p = self.dose, self.sleep, self.activity, self.symptoms, self.previous
        return [
            (
                "Daily dose (leaf-g eq.)",
                _g(d.daily_mean_g),
                _g(p.dose.daily_mean_g),
                _pct(d.change_pct_vs_prev_week),
            ),
            ("Planned daily dose", _g(d.plan_daily_g), _g(p.dose.plan_daily_g), ""),
            ("Largest single dose", _g(d.max_single_g), _g(p.dose.max_single_g), ""),
            (
                "Doses per day",
                _num(d.doses_per_day, 1),
                _num(p.dose.doses_per_day, 1),
                _delta(d.doses_per_day, p.dose.doses_per_day, 1),
            ),
            ("Nights recorded", f"{s.nights} of {self.days_elapsed}", f"{p.sleep.nights} of 7", ""),
            (
                "Asleep, mean",
                _hm(s.asleep_mean_min),
                _hm(p.sleep.asleep_mean_min),
                _delta(s.asleep_mean_min, p.sleep.asleep_mean_min, 0, " min"),
            ),
            (
                "Sleep efficiency, mean",
                _pc(s.efficiency_mean),
                _pc(p.sleep.efficiency_mean),
                _delta(_x100(s.efficiency_mean), _x100(p.sleep.efficiency_mean), 1, " pp"),
            ),
            (
                "Insomnia nights",
                str(s.insomnia_nights) if s.nights else "-",
                str(p.sleep.insomnia_nights) if p.sleep.nights else "-",
                _delta(
                    s.insomnia_nights if s.nights else None,
                    p.sleep.insomnia_nights if p.sleep.nights else None,
                    0,
                ),
            ),
            (
                "Exercise",
                _num(a.exercise_min_total, 0, " min"),
                _num(p.activity.exercise_min_total, 0, " min"),
                _delta(a.exercise_min_total, p.activity.exercise_min_total, 0, " min"),
            ),
            ("Steps per day", _num(a.steps_mean, 0), _num(p.activity.steps_mean, 0), ""),
            (
                "Withdrawal (SOWS 0-64)",
                _num(y.withdrawal_mean, 1),
                _num(p.symptoms.withdrawal_mean, 1),
                _delta(y.withdrawal_mean, p.symptoms.withdrawal_mean, 1),
            ),
            (
                "Cravings (0-10)",
                _num(y.cravings_mean, 1),
                _num(p.symptoms.cravings_mean, 1),
                _delta(y.cravings_mean, p.symptoms.cravings_mean, 1),
            ),
        ]

    def _link_groups(self) -> tuple[list[LinkChange], list[LinkChange]]:
        return (
            [lc for lc in self.links if lc.change],
            [lc for lc in self.links if not lc.change],
        )

    def _title(self) -> str:
        running = "" if self.complete else " (so far)"
        return f"Weekly review {self.week}: {_span(self.start, self.end)}{running}"

    def _clinical_lines(self) -> list[str]:
        out: list[str] = []
        isi = self.isi
        if isi is not None and isi.latest_total is not None:
            change = f", {isi.change:+d} since the previous" if isi.change is not None else ""
            out.append(
                f"Insomnia Severity Index {isi.latest_total}/28 ({isi.latest_week}):"
                f" {isi.band_text}{change}."
            )
        if isi is not None and isi.due:
            out.append("The Insomnia Severity Index is due this week (taperdash isi --items ...).")
        for step in self.step_effects:
            m = step["measures"].get(C.ASLEEP_MIN, {})
            w = step["measures"].get(C.WITHDRAWAL, {})
            parts = []
            if m.get("diff") is not None:
                parts.append(
                    f"asleep {_signed(m['diff'], 0)} min ({_signed(m['ci_low'], 0)} to {_signed(m['ci_high'], 0)})"
                )
            if w.get("diff") is not None:
                parts.append(
                    f"withdrawal {_signed(w['diff'], 1)} ({_signed(w['ci_low'], 1)} to {_signed(w['ci_high'], 1)})"
                )
            grams = ""
            if step["before_g"] is not None and step["after_g"] is not None:
                grams = f" {step['before_g']:g} to {step['after_g']:g} g"
            so_far = "" if step["complete"] else ", week after not over yet"
            what = "; ".join(parts) if parts else "not enough days around it yet"
            out.append(f"Step on {step['step_date']}{grams}: week after vs before, {what}{so_far}.")
        return out or ["No ISI answered and no taper step in the last four weeks."]

    def _next_lines(self) -> list[str]:
        nw = self.next_week
        plan = (
            f"Plan for {nw.week}: {_g(nw.plan_daily_g)} a day."
            if nw.plan_daily_g is not None
            else f"No taper plan set for {nw.week}."
        )
        return [plan, f"Advisor: {nw.headline}", *nw.reasons]

    def to_markdown(self) -> str:
        out = [f"# {self._title()}", "", f"_{DISCLAIMER}_", "", "## Summary", ""]
        out += ["| Measure | This week | Previous week | Change |", "|---|---:|---:|---:|"]
        out += [f"| {m} | {a} | {b} | {c} |" for m, a, b, c in self._rows()]
        out += ["", "Grams are leaf-gram equivalents (grams × potency).", "", "## Flags", ""]
        out += [f"- {f}" for f in self.flags] or ["- None this week."]
        out += ["", "## Links", ""]
        changed, steady = self._link_groups()
        if changed:
            out += ["Changed this week:", ""]
            out += [f"- {lc.link.text}{_change_note(lc)}" for lc in changed]
            out += [""]
        if steady:
            out += ["Strongest links that hold:", ""]
            out += [f"- {lc.link.text}" for lc in steady[:STEADY_SHOWN]]
            if len(steady) > STEADY_SHOWN:
                out += [f"- and {len(steady) - STEADY_SHOWN} more (taperdash links)"]
            out += [""]
        if not self.links:
            out += ["No link changed or holds yet.", ""]
        out += [
            "Each link is a plain comparison or rank correlation with a 95 % bootstrap interval"
            " and its n; it shows co-occurrence, not cause. Links that hold survive a"
            " Benjamini-Hochberg correction for the number of links.",
        ]
        out += ["", "## Insomnia and taper steps", ""]
        out += [f"- {line}" for line in self._clinical_lines()]
        out += ["", "## Next week", ""]
        out += [f"- {line}" for line in self._next_lines()]
        if self.reflection is not None:
            r = self.reflection
            out += ["", "## Reflection", ""]
            out += [
                f"- **Triggers:** {r.triggers or '-'}",
                f"- **What helped:** {r.helped or '-'}",
                f"- **Plan for next week:** {r.next_plan or '-'}",
            ]
        out += ["", "---", "", f"_{DISCLAIMER}_", ""]
        return "\n".join(out)

    def to_text(self) -> str:
        rows = [("", "This week", "Previous", "Change"), *self._rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        out = [self._title(), ""]
        for m, a, b, c in rows:
            out.append(
                f"  {m.ljust(widths[0])}  {a.rjust(widths[1])}  {b.rjust(widths[2])}"
                f"  {c.rjust(widths[3])}".rstrip()
            )
        if self.flags:
            out += ["", "Flags:"] + [f"  ! {f}" for f in self.flags]
        changed, steady = self._link_groups()
        if changed:
            out += ["", "Links that changed:"]
            out += [f"  - {lc.link.text}{_change_note(lc)}" for lc in changed]
        if steady:
            out += ["", "Strongest links that hold:"]
            out += [f"  - {lc.link.text}" for lc in steady[:STEADY_SHOWN]]
            if len(steady) > STEADY_SHOWN:
                out += [f"  and {len(steady) - STEADY_SHOWN} more: taperdash links"]
        out += ["", "Insomnia and taper steps:"] + [f"  {x}" for x in self._clinical_lines()]
        out += ["", "Next week:"] + [f"  {line}" for line in self._next_lines()]
        if self.reflection is not None:
            r = self.reflection
            out += [
                "",
                "Reflection:",
                f"  Triggers: {r.triggers or '-'}",
                f"  What helped: {r.helped or '-'}",
                f"  Plan: {r.next_plan or '-'}",
            ]
        out += ["", DISCLAIMER]
        return "\n".join(out)


def _signed(value: float, digits: int) -> str:
    return f"{value:+.{digits}f}".replace("-", "−")


def _r(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    return round(value, digits) if digits else float(round(value))


def _x100(value: float | None) -> float | None:
    return None if value is None else value * 100


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} g"


def _num(value: float | None, digits: int, unit: str = "") -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def _pc(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def _hm(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d} min"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f} %".replace("-", "−")


def _delta(now: float | None, before: float | None, digits: int, unit: str = "") -> str:
    if now is None or before is None:
        return ""
    return f"{now - before:+.{digits}f}{unit}".replace("-", "−")


def _span(start: dt.date, end: dt.date) -> str:
    return f"{start:%a %d %b} to {end:%a %d %b %Y}"


def _change_note(lc: LinkChange) -> str:
    return f" [{lc.change}]" if lc.change else ""


def _mean(frame: pl.DataFrame, col: str) -> float | None:
    values = frame[col].drop_nulls()
    if values.is_empty():
        return None
    return float(values.cast(pl.Float64).mean())  # type: ignore[arg-type]


def _plan_mean(config: Config, start: dt.date, end: dt.date, today: dt.date) -> float | None:
    if not has_plan(config.plan):
        return None
    days = schedule(config.plan, until=end, today=today).filter(
        pl.col(C.DATE).is_between(start, end)
    )
    return _mean(days, C.PLAN_G)


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
            plan_daily_g=_plan_mean(config, start, end, today or end),
            change_pct_vs_prev_week=change,
            max_single_g=None if max_single is None else float(max_single),  # type: ignore[arg-type]
            doses_per_day=_mean(dosed, C.DOSES_N),
            days=dosed.height,
        ),
        sleep=SleepWeek(
            nights=nights.height,
            asleep_mean_min=_mean(nights, C.ASLEEP_MIN),
            efficiency_mean=_mean(nights, C.EFFICIENCY),
            insomnia_nights=int(nights[C.INSOMNIA_NIGHT].fill_null(False).sum()),
        ),
        activity=ActivityWeek(
            exercise_min_total=float(exercise[C.WORKOUT_MIN].sum()) if exercise.height else None,
            steps_mean=_mean(done, C.STEPS),
        ),
        symptoms=SymptomWeek(
            withdrawal_mean=_mean(done, C.WITHDRAWAL),
            cravings_mean=_mean(done, C.CRAVINGS),
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
            change = "new"
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
        flags.append(f"{s.insomnia_nights} insomnia nights (more than {adv.insomnia_nights_hold}).")
    if y.withdrawal_mean is not None and y.withdrawal_mean > adv.withdrawal_hold:
        flags.append(
            f"Withdrawal averaged {y.withdrawal_mean:.0f} (hold level {adv.withdrawal_hold:g})."
        )
    # Gaps matter only in what the person records at all: no tracker is not a missing night.
    if tracks_sleep and days and s.nights < days:
        flags.append(f"{days - s.nights} of {days} nights without sleep data.")
    if checks_in and days and y.checkins < days:
        flags.append(f"{days - y.checkins} of {days} days without a check-in.")
    # The advisor's own drop check looks at the last 7 days; the week-on-week one above is the
    # review's, so only the advisor's other warnings are repeated.
    flags += [w for w in advice.warnings if not w.startswith("Sudden drop")]
    return flags


def _isi_summary(isi: pl.DataFrame | None, week: str, week_start: str) -> IsiSummary:
    # isi.py builds on this module's week helpers; importing it here keeps the cycle out of
    # module import time.
    from dashboard.core.isi import isi_summary

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


# The measures of the per-step table: (measure, heading, digits, unit of the difference).
STEP_MEASURES: tuple[tuple[str, str, int, str], ...] = (
    (C.ASLEEP_MIN, "Asleep", 0, " min"),
    (C.EFFICIENCY, "Efficiency", 1, " pp"),
    (C.WITHDRAWAL, "Withdrawal", 1, ""),
    (C.CRAVINGS, "Cravings", 1, ""),
)


@dataclass(frozen=True)
class StepCell:
    """One measure of one step, formatted: the difference after - before, its 95 % interval,
    the days on each side, and whether the interval leaves zero out."""

    diff: str  # "−4 min", or "—" below the minimum days
    interval: str  # "−56…+45", or "" without an estimate
    n: str  # "n 7/5" (days before / after)
    clear: bool


@dataclass(frozen=True)
class StepRow:
    step_date: dt.date
    dose: str  # "2.00 → 1.75 g"
    running: bool  # the week after the step is not over (as of the review's last day)
    cells: tuple[StepCell, ...]  # one per STEP_MEASURES


def step_rows(step_effects: Sequence[Mapping[str, Any]]) -> tuple[StepRow, ...]:
    """WeeklyReview.step_effects (step_effects_json's shape) as formatted rows, oldest first:
    what the Review screen's table shows."""
    rows: list[StepRow] = []
    for step in step_effects:
        before, after = step.get("before_g"), step.get("after_g")
        dose = (
            f"{before:.2f} → {after:.2f} g"
            if isinstance(before, int | float) and isinstance(after, int | float)
            else "-"
        )
        cells: list[StepCell] = []
        for measure, _, digits, unit in STEP_MEASURES:
            m = step.get("measures", {}).get(measure) or {}
            n = f"n {m.get('n_before', 0)}/{m.get('n_after', 0)}"
            diff, low, high = m.get("diff"), m.get("ci_low"), m.get("ci_high")
            if diff is None:
                cells.append(StepCell("—", "", n, False))
                continue
            interval = (
                f"{_signed(low, digits)}…{_signed(high, digits)}"
                if low is not None and high is not None
                else ""
            )
            clear = low is not None and high is not None and (low > 0 or high < 0)
            cells.append(StepCell(f"{_signed(diff, digits)}{unit}", interval, n, clear))
        day = step["step_date"]
        rows.append(
            StepRow(
                step_date=day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)),
                dose=dose,
                running=not step.get("complete", False),
                cells=tuple(cells),
            )
        )
    return tuple(rows)


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
            plan_daily_g=_plan_mean(config, nxt_start, nxt_end, today or end),
            advice=advice.action,
            headline=advice.headline(),
            reasons=advice.reasons,
        ),
        reflection=_reflection(reflections, week),
        isi=_isi_summary(isi, week, ws),
        step_effects=tuple(_recent_steps(daily, config, start, last_day)),
    )
