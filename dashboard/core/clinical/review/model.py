"""The weekly review's data: frozen dataclasses, and `to_json()` in the shape ARCHITECTURE.md
gives ("CLI and JSON contracts")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dashboard.core.analysis.links import Link

if TYPE_CHECKING:
    from dashboard.core.clinical.isi import IsiSummary


DISCLAIMER = (
    "Not medical advice. This is a summary of self-tracked data, to discuss with a clinician;"
    " talk to one before changing how you taper."
)


STEP_WEEKS = 4  # the review shows the taper steps of the last four weeks


STEADY_SHOWN = 5  # a review is read in a few minutes: the rest are one command away


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
    advice: str  # one of plan.ACTIONS: continue | hold | smaller_step | over_plan | no_data
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


def _r(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    return round(value, digits) if digits else float(round(value))


def _x100(value: float | None) -> float | None:
    return None if value is None else value * 100
