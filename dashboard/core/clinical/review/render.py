"""The weekly review in words: `to_markdown()` is what a person hands a clinician, `to_text()` is for
the terminal, `step_rows()` the Review screen's per-step table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.regress import BLOCK_DAYS
from dashboard.core.clinical.review.model import (
    DISCLAIMER,
    STEADY_SHOWN,
    LinkChange,
    WeeklyReview,
    _x100,
)
from dashboard.core.weeks import DAY
from dashboard.core.words import hm, signed


def _rows(review: WeeklyReview) -> list[tuple[str, str, str, str]]:
    """(measure, this week, previous week, change) for the summary table."""
    d, s, a, y, p = review.dose, review.sleep, review.activity, review.symptoms, review.previous
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
        ("Nights recorded", f"{s.nights} of {review.days_elapsed}", f"{p.sleep.nights} of 7", ""),
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


def _link_line(lc: LinkChange) -> str:
    """The link's sentence (adjusted figure, plain comparison beside it) and, where the two
    differ by more than the interval, why."""
    note = lc.link.note
    return f"{lc.link.text} Why they differ: {note}." if note else lc.link.text


def _link_groups(review: WeeklyReview) -> tuple[list[LinkChange], list[LinkChange]]:
    return (
        [lc for lc in review.links if lc.change],
        [lc for lc in review.links if not lc.change],
    )


def _title(review: WeeklyReview) -> str:
    # a running week counts whole days only: say which, so today's doses are not looked for
    last = review.start + DAY * (review.days_elapsed - 1)
    running = (
        ""
        if review.complete
        else f" (so far: to {last:%a %d %b})"
        if review.days_elapsed
        else " (no whole day yet)"
    )
    return f"Weekly review {review.week}: {_span(review.start, review.end)}{running}"


def _clinical_lines(review: WeeklyReview) -> list[str]:
    out: list[str] = []
    isi = review.isi
    if isi is not None and isi.latest_total is not None:
        change = f", {isi.change:+d} since the previous" if isi.change is not None else ""
        out.append(
            f"Insomnia Severity Index {isi.latest_total}/28 ({isi.latest_week}):"
            f" {isi.band_text}{change}."
        )
    if isi is not None and isi.due:
        out.append("The Insomnia Severity Index is due this week (taperdash isi --items ...).")
    for step in review.step_effects:
        m = step["measures"].get(C.ASLEEP_MIN, {})
        w = step["measures"].get(C.WITHDRAWAL, {})
        parts = []
        if m.get("diff") is not None:
            parts.append(
                f"asleep {signed(m['diff'], 0)} min ({signed(m['ci_low'], 0)} to {signed(m['ci_high'], 0)})"
            )
        if w.get("diff") is not None:
            parts.append(
                f"withdrawal {signed(w['diff'], 1)} ({signed(w['ci_low'], 1)} to {signed(w['ci_high'], 1)})"
            )
        grams = ""
        if step["before_g"] is not None and step["after_g"] is not None:
            grams = f" {step['before_g']:g} to {step['after_g']:g} g"
        so_far = "" if step["complete"] else ", week after not over yet"
        what = "; ".join(parts) if parts else "not enough days around it yet"
        out.append(f"Step on {step['step_date']}{grams}: week after vs before, {what}{so_far}.")
    return out or ["No ISI answered and no taper step in the last four weeks."]


def _next_lines(review: WeeklyReview) -> list[str]:
    nw = review.next_week
    plan = (
        f"Plan for {nw.week}: {_g(nw.plan_daily_g)} a day."
        if nw.plan_daily_g is not None
        else f"No taper plan set for {nw.week}."
    )
    return [plan, f"Advisor: {nw.headline}", *nw.reasons]


def to_markdown(review: WeeklyReview) -> str:
    out = [f"# {_title(review)}", "", f"_{DISCLAIMER}_", "", "## Summary", ""]
    out += ["| Measure | This week | Previous week | Change |", "|---|---:|---:|---:|"]
    out += [f"| {m} | {a} | {b} | {c} |" for m, a, b, c in _rows(review)]
    out += ["", "Grams are leaf-gram equivalents (grams × potency).", "", "## Flags", ""]
    out += [f"- {f}" for f in review.flags] or ["- None this week."]
    out += ["", "## Links", ""]
    changed, steady = _link_groups(review)
    if changed:
        out += ["Changed this week:", ""]
        out += [f"- {_link_line(lc)}{_change_note(lc)}" for lc in changed]
        out += [""]
    if steady:
        out += ["Strongest links that hold:", ""]
        out += [f"- {_link_line(lc)}" for lc in steady[:STEADY_SHOWN]]
        if len(steady) > STEADY_SHOWN:
            out += [f"- and {len(steady) - STEADY_SHOWN} more (taperdash links)"]
        out += [""]
    if not review.links:
        out += ["No link changed or holds yet.", ""]
    out += [
        "Each link is the difference a cause makes with the other causes, the slow drift over"
        " time and weekends held fixed (one linear model per effect), with a 95 % interval"
        f" from a {BLOCK_DAYS}-day block bootstrap and its n; the plain comparison stands beside it. It"
        " shows co-occurrence, not cause. Links that hold survive a Benjamini-Hochberg"
        " correction for the number of links.",
    ]
    out += ["", "## Insomnia and taper steps", ""]
    out += [f"- {line}" for line in _clinical_lines(review)]
    out += ["", "## Next week", ""]
    out += [f"- {line}" for line in _next_lines(review)]
    if review.reflection is not None:
        r = review.reflection
        out += ["", "## Reflection", ""]
        out += [
            f"- **Triggers:** {r.triggers or '-'}",
            f"- **What helped:** {r.helped or '-'}",
            f"- **Plan for next week:** {r.next_plan or '-'}",
        ]
    out += ["", "---", "", f"_{DISCLAIMER}_", ""]
    return "\n".join(out)


def to_text(review: WeeklyReview) -> str:
    rows = [("", "This week", "Previous", "Change"), *_rows(review)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out = [_title(review), ""]
    for m, a, b, c in rows:
        out.append(
            f"  {m.ljust(widths[0])}  {a.rjust(widths[1])}  {b.rjust(widths[2])}"
            f"  {c.rjust(widths[3])}".rstrip()
        )
    if review.flags:
        out += ["", "Flags:"] + [f"  ! {f}" for f in review.flags]
    changed, steady = _link_groups(review)
    if changed:
        out += ["", "Links that changed:"]
        out += [f"  - {_link_line(lc)}{_change_note(lc)}" for lc in changed]
    if steady:
        out += ["", "Strongest links that hold:"]
        out += [f"  - {_link_line(lc)}" for lc in steady[:STEADY_SHOWN]]
        if len(steady) > STEADY_SHOWN:
            out += [f"  and {len(steady) - STEADY_SHOWN} more: taperdash links"]
    out += ["", "Insomnia and taper steps:"] + [f"  {x}" for x in _clinical_lines(review)]
    out += ["", "Next week:"] + [f"  {line}" for line in _next_lines(review)]
    if review.reflection is not None:
        r = review.reflection
        out += [
            "",
            "Reflection:",
            f"  Triggers: {r.triggers or '-'}",
            f"  What helped: {r.helped or '-'}",
            f"  Plan: {r.next_plan or '-'}",
        ]
    out += ["", DISCLAIMER]
    return "\n".join(out)


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} g"


def _num(value: float | None, digits: int, unit: str = "") -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def _pc(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def _hm(minutes: float | None) -> str:
    return "-" if minutes is None else hm(minutes)


def _pct(value: float | None) -> str:
    return "" if value is None else signed(value, 1, " %")


def _delta(now: float | None, before: float | None, digits: int, unit: str = "") -> str:
    if now is None or before is None:
        return ""
    return signed(now - before, digits, unit)


def _span(start: dt.date, end: dt.date) -> str:
    return f"{start:%a %d %b} to {end:%a %d %b %Y}"


def _change_note(lc: LinkChange) -> str:
    return f" [{lc.change}]" if lc.change else ""


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
                f"{signed(low, digits)}…{signed(high, digits)}"
                if low is not None and high is not None
                else ""
            )
            clear = low is not None and high is not None and (low > 0 or high < 0)
            cells.append(StepCell(f"{signed(diff, digits)}{unit}", interval, n, clear))
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
