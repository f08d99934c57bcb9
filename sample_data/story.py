"""The demo history as a pure, seeded simulation: the truth every writer renders.

One person, Europe/Berlin, 16 weeks from Monday 2026-03-02 (the switch to summer time on
2026-03-29 falls inside, so offsets change mid-story). A week of logging at ~14 g/day, then a
proportional taper of 15 %/week; the cut in plan week 6 hits hard (a rough week) and is
followed by a one-week hold; the taper ends at 1.75 g/day. A Garmin watch records sleep and
steps for the first half; then an Oura ring takes over sleep and steps (the watch stays in
use for runs and walks, and on the wrist for the ring's first three nights, so a few nights
and days come from both devices).

Planted effects, so the Links screen has something true to say:
- the three nights from each cut on (night of the cut day, +1, +2) sleep less, with longer
  latency, more wake and less deep sleep; the rough week's cut far more so;
- a day with >= 30 min of workouts gives a longer, more efficient night;
- withdrawal (SOWS), cravings and mood follow the cuts; magnesium and valerian are taken on
  bad nights (so they look harmful: confounding, on purpose; they have no planted effect).

`build_story(seed, weeks, years)`: with `years`, a prehistory of use, self-tapers, relapses
and a jump-off is prepended, so the same 16 weeks end a multi-year history. Every random
draw comes from a stream named after what it drives (and the day), so changing one part of
the model does not reshuffle the others.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Berlin"
DEMO_START = dt.date(2026, 3, 2)  # a Monday; summer time starts 2026-03-29
DEMO_WEEKS = 16
START_DOSE_G = 14.0
RATE_PCT = 15.0
TARGET_G = 1.5
STEP_G = 0.25

SOWS_KEYS = (
    "anxious",
    "yawning",
    "perspiring",
    "tearing",
    "runny_nose",
    "goosebumps",
    "shaking",
    "hot_flushes",
    "cold_flushes",
    "aches",
    "restless",
    "nauseous",
    "vomiting",
    "twitching",
    "cramps",
    "craving_use",
)
# (resting level, gain per unit of withdrawal): restlessness, yawning and aches dominate
# kratom withdrawal; vomiting is rare.
_SOWS_SHAPE = {
    "anxious": (0.6, 1.6),
    "yawning": (0.5, 1.5),
    "perspiring": (0.2, 1.1),
    "tearing": (0.1, 0.8),
    "runny_nose": (0.3, 1.4),
    "goosebumps": (0.0, 0.9),
    "shaking": (0.0, 0.7),
    "hot_flushes": (0.1, 1.1),
    "cold_flushes": (0.1, 1.0),
    "aches": (0.3, 1.6),
    "restless": (0.5, 1.8),
    "nauseous": (0.0, 0.7),
    "vomiting": (0.0, 0.25),
    "twitching": (0.1, 1.2),
    "cramps": (0.0, 0.6),
    "craving_use": (0.8, 1.6),
}
# Withdrawal after a cut, by days since the cut: it peaks on day 1-2 (kratom's half-life is
# about a day) and is mostly gone within a week.
_WITHDRAWAL_CURVE = (0.45, 1.0, 0.9, 0.6, 0.35, 0.2, 0.1)
# Minutes of sleep lost on the nights after a cut (night of the cut day = 0).
_SLEEP_LOSS_CURVE = (38.0, 55.0, 40.0, 12.0, 5.0)
EXERCISE_BONUS_MIN = 32.0
OVERLAP_DAYS = 3  # days the watch and the ring both record, after the switch  # asleep minutes gained after a day with >= 30 min of workouts

STRAINS_EARLY = ("White Maeng Da", "Green Malay", "Red Bali")
STRAINS_LATE = ("Green Malay", "Red Bali")
TRIGGERS = (
    "stress at work",
    "argument at home",
    "poor sleep",
    "boredom",
    "friends using",
    "payday",
    "back pain",
    "found an old bag",
    "long commute",
    "lonely evening",
)


def rng(seed: int, *names: object) -> random.Random:
    # random.Random seeds a str through SHA-512, so this is stable across runs and machines
    # (unlike hash(), which PYTHONHASHSEED salts).
    return random.Random(":".join(str(n) for n in (seed, *names)))


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def round_step(x: float, step: float) -> float:
    # Python's round (half to even), as dashboard/core/analysis/plan.py rounds
    return round(round(x / step) * step, 6)


# -- the truth ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    start: dt.date
    end: dt.date  # inclusive


@dataclass(frozen=True)
class Plan:
    start_dose_g: float
    rate_pct: float
    start: dt.date
    target_g: float
    step_g: float
    holds: tuple[Hold, ...]

    def in_hold(self, day: dt.date) -> bool:
        return any(h.start <= day <= h.end for h in self.holds)

    def planned_g(self, day: dt.date) -> float | None:
        """The plan's dose on `day`, by the rule dashboard/core/analysis/plan.py applies (a test holds
        the two together): a step after every 7 days not on hold, each step the current dose
        x (1 - rate) rounded to the scale, at least one scale step down, never below the
        target. So a hold pauses the schedule and it resumes where it left off."""
        if day < self.start:
            return None
        dose = max(round_step(self.start_dose_g, self.step_g), self.target_g)
        active = 0
        d = self.start
        while d <= day:
            if not self.in_hold(d):
                if active and active % 7 == 0 and dose > self.target_g:
                    nxt = round_step(dose * (1 - self.rate_pct / 100), self.step_g)
                    if nxt >= dose:
                        nxt = round(dose - self.step_g, 6)
                    dose = max(nxt, self.target_g)
                active += 1
            d += dt.timedelta(days=1)
        return dose


@dataclass(frozen=True)
class Dose:
    id: int
    taken_at: dt.datetime  # aware, local zone
    grams: float
    strain: str
    form: str  # powder | capsule | tea | extract | other
    potency: float
    note: str
    deleted: bool = False

    @property
    def leaf_g(self) -> float:
        return self.grams * self.potency


@dataclass(frozen=True)
class Checkin:
    date: dt.date
    sows: tuple[int, ...] | None  # SOWS_KEYS order, or None when the items were skipped
    cravings: int | None
    mood: int | None
    insomnia: int | None  # self-rating 0-4 of the night that ended this morning
    supplements: tuple[str, ...]  # taken this evening
    exercise: bool | None
    mindfulness: bool | None
    support: bool | None
    triggers: tuple[str, ...]
    note: str

    @property
    def withdrawal_score(self) -> int | None:
        return None if self.sows is None else sum(self.sows)


@dataclass(frozen=True)
class Segment:
    offset_min: int  # from the start of the night (in bed)
    minutes: int
    stage: str  # awake | light | deep | rem


@dataclass(frozen=True)
class Night:
    night: dt.date  # the day whose evening the night starts on
    device: str  # garmin | oura
    start: dt.datetime  # in bed, aware UTC, whole seconds
    segments: tuple[Segment, ...]
    score: int  # the vendor's sleep score

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.time_in_bed_min)

    @property
    def time_in_bed_min(self) -> int:
        return sum(s.minutes for s in self.segments)

    def stage_min(self, stage: str) -> int:
        return sum(s.minutes for s in self.segments if s.stage == stage)

    @property
    def asleep_min(self) -> int:
        return self.time_in_bed_min - self.stage_min("awake")

    @property
    def latency_min(self) -> int:
        return self.segments[0].minutes if self.segments[0].stage == "awake" else 0

    @property
    def final_wake_min(self) -> int:
        return self.segments[-1].minutes if self.segments[-1].stage == "awake" else 0

    @property
    def waso_min(self) -> int:
        return self.stage_min("awake") - self.latency_min - self.final_wake_min

    @property
    def awakenings(self) -> int:
        return sum(1 for s in self.segments[1:-1] if s.stage == "awake")

    @property
    def efficiency(self) -> float:
        return self.asleep_min / self.time_in_bed_min


@dataclass(frozen=True)
class Activity:
    id: int
    day: dt.date
    start: dt.datetime  # aware UTC, whole seconds
    sport: str  # running | walking | cycling
    duration_s: int
    distance_m: float
    calories: int
    avg_hr: int
    max_hr: int
    seed: int  # drives the per-second samples a writer draws

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.duration_s)


@dataclass(frozen=True)
class DailyActivity:
    date: dt.date
    device: str  # garmin | oura
    steps: int
    active_min: int
    resting_hr: int
    stress: int  # 0-100, Garmin's daily average
    workout_steps: int  # the part of `steps` taken in recorded workouts
    workout_min: int  # the part of `active_min` spent in recorded workouts


@dataclass(frozen=True)
class Day:
    date: dt.date
    planned_g: float | None
    intended_g: float  # what the person aims at (the plan when there is one)
    actual_g: float  # leaf-gram equivalents actually logged (deleted entries excluded)
    cut: bool  # a taper step: the aimed-at dose fell by >= 5 %
    hold: bool
    rough: bool
    withdrawal: float  # latent severity, ~0 at rest, ~1 at an ordinary cut's peak
    exercise_min: int


@dataclass(frozen=True)
class Story:
    seed: int
    timezone: str
    start: dt.date
    today: dt.date  # the last day: the demo's "today"
    demo_start: dt.date  # first day of the 16-week story (== start without a prehistory)
    switch: dt.date | None  # first day the Oura ring records (None: Garmin throughout)
    plan: Plan
    days: tuple[Day, ...]
    doses: tuple[Dose, ...]
    checkins: tuple[Checkin, ...]
    nights: tuple[Night, ...]
    activities: tuple[Activity, ...]
    daily: tuple[DailyActivity, ...]
    cut_days: tuple[dt.date, ...] = field(default=())

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def main_nights(self) -> list[Night]:
        """One night per date: the watch's where both devices recorded it."""
        seen: dict[dt.date, Night] = {}
        for n in self.nights:
            if n.night not in seen or n.device == "garmin":
                seen[n.night] = n
        return [seen[k] for k in sorted(seen)]


# -- the dose trajectory -------------------------------------------------------------------------


@dataclass
class _Intent:
    planned: float | None
    intended: float
    hold: bool = False
    rough: bool = False
    amp: float = 1.0  # how hard a cut on this day lands


def _demo_plan(start: dt.date, weeks: int) -> tuple[Plan, dt.date | None]:
    plan_start = start + dt.timedelta(days=7)
    plan_weeks = weeks - 1
    holds: tuple[Hold, ...] = ()
    rough_cut: dt.date | None = None
    if weeks >= 6:
        # the cut of plan week ~40 % in lands hard; the week after it is held
        r = max(1, round(plan_weeks * 0.4))
        rough_cut = plan_start + dt.timedelta(days=7 * r)
        holds = (Hold(rough_cut + dt.timedelta(days=7), rough_cut + dt.timedelta(days=13)),)
    plan = Plan(START_DOSE_G, RATE_PCT, plan_start, TARGET_G, STEP_G, holds)
    return plan, rough_cut


def _demo_intents(
    start: dt.date, n_days: int, plan: Plan, rough_cut: dt.date | None
) -> list[_Intent]:
    out = []
    for i in range(n_days):
        day = start + dt.timedelta(days=i)
        planned = plan.planned_g(day)
        rough = rough_cut is not None and 0 <= (day - rough_cut).days < 7
        out.append(
            _Intent(
                planned=planned,
                intended=START_DOSE_G if planned is None else planned,
                hold=plan.in_hold(day),
                rough=rough,
                amp=2.4 if day == rough_cut else 1.0,
            )
        )
    return out


def _prehistory_intents(seed: int, n_days: int) -> list[_Intent]:
    """Years before the demo: steady use, self-tapers without a plan, relapses, one jump-off
    and months clean, ending back at the demo's starting dose."""
    r = rng(seed, "prehistory")
    out: list[_Intent] = []
    level = r.uniform(10.0, 12.0)
    while len(out) < n_days:
        phase = r.choices(("use", "taper"), weights=(1, 1))[0] if out else "use"
        if phase == "use":
            for _ in range(r.randint(70, 200)):
                out.append(_Intent(None, round_step(level + r.uniform(-0.5, 0.5), 0.5)))
                if len(out) % 7 == 0:
                    level = clamp(level + r.uniform(-0.6, 0.8), 9.0, 15.0)
        else:
            rate = r.uniform(0.10, 0.22)
            floor = r.uniform(1.0, 3.0)
            dose = level
            while dose > floor:
                dose = round_step(dose * (1 - rate), 0.25)
                out.extend(_Intent(None, dose) for _ in range(7))
                if r.random() < 0.12:  # a held week
                    out.extend(_Intent(None, dose, hold=True) for _ in range(7))
            if r.random() < 0.4:
                # jump off: weeks clean, then back to it
                out.append(_Intent(None, 0.0))
                out.extend(_Intent(None, 0.0) for _ in range(r.randint(30, 150)))
                dose = 0.0
            else:
                out.extend(_Intent(None, dose) for _ in range(r.randint(14, 60)))
            # relapse: back up over a few weeks
            level = r.uniform(9.0, 14.0)
            ramp = r.randint(14, 40)
            for k in range(ramp):
                out.append(
                    _Intent(None, round_step(max(1.0, dose) + (level - dose) * (k + 1) / ramp, 0.5))
                )
    out = out[:n_days]
    # the last month before the demo settles at the demo's starting dose
    for k in range(max(0, n_days - 30), n_days):
        out[k] = _Intent(None, START_DOSE_G)
    return out


# -- the simulation ------------------------------------------------------------------------------


def build_story(seed: int = 7, weeks: int = DEMO_WEEKS, years: int = 0) -> Story:
    zone = ZoneInfo(TIMEZONE)
    demo_start = DEMO_START
    n_demo = 7 * weeks
    plan, rough_cut = _demo_plan(demo_start, weeks)
    intents = _demo_intents(demo_start, n_demo, plan, rough_cut)
    start = demo_start
    if years:
        n_total = (
            demo_start
            + dt.timedelta(days=n_demo)
            - _years_before(demo_start + dt.timedelta(days=n_demo), years)
        ).days
        n_pre = max(0, n_total - n_demo)
        start = demo_start - dt.timedelta(days=n_pre)
        intents = _prehistory_intents(seed, n_pre) + intents
    n = len(intents)
    dates = [start + dt.timedelta(days=i) for i in range(n)]
    today = dates[-1]
    demo_index = (demo_start - start).days
    # the ring arrives half-way through the 16 weeks (with a prehistory: the same date)
    switch_index = demo_index + n_demo // 2
    switch = dates[switch_index] if switch_index < n else None

    # cuts and the withdrawal they bring
    cut = [False] * n
    amp = [0.0] * n
    for i in range(1, n):
        prev, cur = intents[i - 1].intended, intents[i].intended
        if prev > 0 and cur <= prev * 0.95:
            cut[i] = True
            rel = (prev - cur) / prev
            amp[i] = min(3.5, rel / (RATE_PCT / 100)) * intents[i].amp
    withdrawal = [0.0] * n
    sleep_loss = [0.0] * n
    for i in range(n):
        if not cut[i]:
            continue
        # a jump-off to zero lingers for weeks, not days
        stretch = 3 if intents[i].intended == 0 else 1
        for k, w in enumerate(_WITHDRAWAL_CURVE):
            for s in range(stretch):
                j = i + k * stretch + s
                if j < n:
                    withdrawal[j] += amp[i] * w
        for k, loss in enumerate(_SLEEP_LOSS_CURVE):
            if i + k < n:
                sleep_loss[i + k] += amp[i] * loss
    noise_w = rng(seed, "withdrawal")
    for i in range(n):
        base = 0.12 if intents[i].intended > 0 else 0.05
        withdrawal[i] = max(0.0, withdrawal[i] + base + noise_w.gauss(0, 0.07))
        if intents[i].rough:
            withdrawal[i] += 0.5  # life piles on: the rough week is not only the cut

    activities, exercise_min = _activities(seed, dates, intents, withdrawal, zone, demo_index)
    doses = _doses(seed, dates, intents, withdrawal, zone, demo_index)
    actual = [0.0] * n
    for d in doses:
        if not d.deleted:
            actual[(d.taken_at.date() - start).days] += d.leaf_g
    nights = _nights(seed, dates, withdrawal, sleep_loss, exercise_min, zone, switch_index)
    checkins = _checkins(seed, dates, intents, withdrawal, exercise_min, nights, doses, actual)
    daily = _daily(seed, dates, withdrawal, activities, switch_index, demo_index)

    days = tuple(
        Day(
            date=dates[i],
            planned_g=intents[i].planned,
            intended_g=intents[i].intended,
            actual_g=round(actual[i], 3),
            cut=cut[i],
            hold=intents[i].hold,
            rough=intents[i].rough,
            withdrawal=round(withdrawal[i], 4),
            exercise_min=exercise_min[i],
        )
        for i in range(n)
    )
    return Story(
        seed=seed,
        timezone=TIMEZONE,
        start=start,
        today=today,
        demo_start=demo_start,
        switch=switch,
        plan=plan,
        days=days,
        doses=tuple(doses),
        checkins=tuple(checkins),
        nights=tuple(nights),
        activities=tuple(activities),
        daily=tuple(daily),
        cut_days=tuple(dates[i] for i in range(n) if cut[i]),
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def local(day: dt.date, minutes: float, zone: ZoneInfo, second: int = 0) -> dt.datetime:
    """The aware local time `minutes` after midnight of `day` (may run past midnight).
    Wall-clock arithmetic: a time in the spring-forward gap lands an hour later, as a
    phone's clock would show it."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=int(minutes), seconds=second)
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(dt.UTC).astimezone(zone)


# -- workouts ------------------------------------------------------------------------------------


def _activities(
    seed: int,
    dates: list[dt.date],
    intents: list[_Intent],
    withdrawal: list[float],
    zone: ZoneInfo,
    demo_index: int,
) -> tuple[list[Activity], list[int]]:
    out: list[Activity] = []
    minutes = [0] * len(dates)
    for i, day in enumerate(dates):
        r = rng(seed, "activity", day.isoformat())
        wd = day.weekday()
        # fitness builds over the story: the person leans on running to get through the taper
        progress = clamp((i - demo_index) / 112, 0.0, 1.0) if i >= demo_index else 0.3
        low = withdrawal[i] > 1.2  # too sick to run
        in_demo = i >= demo_index
        planned: list[tuple[str, float]] = []
        # before the demo's 16 weeks the person ran less and did not record walks; they took
        # up running in earnest to get through the taper
        p_run = (0.25 if low else 0.8) if in_demo else 0.45
        p_walk = (0.15 if low else 0.3 + 0.25 * progress) if in_demo else 0.0
        if wd in (1, 3, 6) and r.random() < p_run:
            planned.append(
                ("running", 18 * 60 + r.uniform(-20, 50) if wd != 6 else 9 * 60 + r.uniform(0, 90))
            )
        elif r.random() < p_walk:
            planned.append(("walking", r.choice((12 * 60 + 30, 19 * 60 + 15)) + r.uniform(-15, 15)))
        if not in_demo and wd == 5 and r.random() < 0.4:
            planned.append(("cycling", 10 * 60 + r.uniform(0, 60)))
        for sport, at_min in planned:
            if sport == "running":
                dur = r.uniform(26, 58) + 6 * progress
                speed = r.uniform(2.65, 3.05) + 0.2 * progress  # m/s
                avg_hr = round(r.gauss(150 - 4 * progress, 4))
                max_hr = avg_hr + r.randint(12, 24)
                kcal_min = r.uniform(10, 12.5)
            elif sport == "walking":
                # some walks are short: not every workout makes a 30-minute day
                dur = r.uniform(18, 65)
                speed = r.uniform(1.25, 1.55)
                avg_hr = round(r.gauss(102, 6))
                max_hr = avg_hr + r.randint(8, 20)
                kcal_min = r.uniform(4, 5.5)
            else:
                dur = r.uniform(45, 100)
                speed = r.uniform(6.0, 7.6)
                avg_hr = round(r.gauss(135, 6))
                max_hr = avg_hr + r.randint(15, 30)
                kcal_min = r.uniform(8, 10)
            duration_s = int(dur * 60)
            start = local(day, at_min, zone, second=r.randrange(60)).astimezone(dt.UTC)
            out.append(
                Activity(
                    id=len(out) + 1,
                    day=day,
                    start=start,
                    sport=sport,
                    duration_s=duration_s,
                    distance_m=round(speed * duration_s, 1),
                    calories=round(kcal_min * dur),
                    avg_hr=avg_hr,
                    max_hr=max_hr,
                    seed=r.randrange(1 << 31),
                )
            )
            minutes[i] += duration_s // 60
    return out, minutes


# -- doses ---------------------------------------------------------------------------------------


def _doses(
    seed: int,
    dates: list[dt.date],
    intents: list[_Intent],
    withdrawal: list[float],
    zone: ZoneInfo,
    demo_index: int,
) -> list[Dose]:
    raw: list[tuple[dt.datetime, float, str, str, float, str, bool]] = []
    for i, day in enumerate(dates):
        r = rng(seed, "doses", day.isoformat())
        it = intents[i]
        if it.intended <= 0:
            continue
        total = it.intended
        note_day = ""
        if it.planned is None:
            total = max(0.5, total + r.gauss(0, 0.6))  # no plan: dosing by feel
        elif it.rough and r.random() < 0.7:
            total += r.choice((0.5, 0.75, 1.0, 1.5))  # the rough week: over plan
            note_day = "rescue dose"
        elif r.random() < 0.06:
            total += r.choice((0.5, 1.0))  # a slip
            note_day = "slipped"
        elif r.random() < 0.25:
            total += r.choice((-0.25, 0.25))  # a scale and a spoon are not exact
        total = max(0.25, total)
        n_doses = 4 if total >= 8 else 3 if total >= 3.5 else 2
        # morning heaviest; the evening dose is what keeps the night bearable
        shares = [1.35, 1.0, 0.9, 0.85][:n_doses]
        shares = [s * r.uniform(0.85, 1.15) for s in shares]
        norm = sum(shares)
        grams = [round(total * s / norm, 1) for s in shares]
        grams[-1] = round(max(0.1, total - sum(grams[:-1])), 1)
        slots = [7 * 60 + 40, 12 * 60 + 30, 16 * 60 + 30, 20 * 60 + 45]
        if n_doses == 3:
            slots = [7 * 60 + 40, 13 * 60, 19 * 60 + 30]
        elif n_doses == 2:
            slots = [8 * 60, 16 * 60]
        in_demo = i >= demo_index
        strains = STRAINS_EARLY if (i - demo_index) < 49 or not in_demo else STRAINS_LATE
        for k, g in enumerate(grams):
            at_min = slots[k] + r.gauss(0, 25) + (50 if day.weekday() >= 5 and k == 0 else 0)
            if k == n_doses - 1 and n_doses >= 3 and r.random() < 0.2:
                at_min += 75  # a late one, close to bedtime
            at = local(day, at_min, zone)
            # a stimulating white in the morning (while there are three), a sedating red at night
            if k == n_doses - 1:
                strain = "Red Bali"
            elif k == 0 and len(strains) == 3:
                strain = strains[0]
            else:
                strain = "Green Malay"
            form, potency, grams_logged = "powder", 1.0, g
            note = ""
            if k == 1 and day.weekday() < 5 and r.random() < 0.3:
                # capsules at work: 0.5 g each, so the dose is a multiple of 0.5
                caps = max(1, round(g / 0.5))
                form, grams_logged = "capsule", caps * 0.5
                note = f"{caps} caps at work"
            elif k == n_doses - 1 and r.random() < 0.08:
                form = "tea"
            elif in_demo and i - demo_index < 7 and day.weekday() == 5 and k == 2:
                # before the taper: an extract shot instead of leaf (4x leaf potency)
                form, potency, grams_logged = "extract", 4.0, round(g / 4.0, 2)
                strain = "Green Malay"
                note = "extract shot"
            if note_day and k == n_doses - 1:
                note = note_day
            raw.append((at, grams_logged, strain, form, potency, note, False))
        # a typo caught at once: 10x the dose logged, deleted, logged again
        if r.random() < 0.015:
            at, g, strain, form, potency, _note, _ = raw[-1]
            raw[-1] = (at, round(g * 10, 1), strain, form, potency, "typo", True)
            raw.append((at + dt.timedelta(minutes=1), g, strain, form, potency, "", False))
    raw.sort(key=lambda x: x[0])
    return [Dose(k + 1, *row) for k, row in enumerate(raw)]


# -- nights --------------------------------------------------------------------------------------


def _hypnogram(
    r: random.Random, sleep_min: int, waso: int, awakenings: int, deep_factor: float
) -> list[str]:
    """Minute-by-minute stages from sleep onset to the final wake: ~90-minute cycles, deep
    early, REM late; `awakenings` wake bouts totalling `waso` minutes cut into it."""
    minutes: list[str] = []
    cycle = 0
    total = sleep_min + waso
    while len(minutes) < total:
        length = max(60, round(r.gauss(92, 10)))
        deep = max(0.0, (0.38 - 0.1 * cycle) * deep_factor) * length
        rem = min(0.45, 0.1 + 0.08 * cycle) * length
        light = length - deep - rem
        part = [("light", light * 0.6), ("deep", deep), ("light", light * 0.4), ("rem", rem)]
        for stage, m in part:
            minutes.extend([stage] * round(m))
        cycle += 1
    minutes = minutes[:total]
    if awakenings and waso:
        lens = [1.0 + r.random() for _ in range(awakenings)]
        s = sum(lens)
        bouts = [max(1, round(waso * x / s)) for x in lens]
        bouts[-1] = max(1, waso - sum(bouts[:-1]))
        # bouts land in sleep, away from the edges, and do not touch each other
        room = total - 30
        spots = sorted(r.sample(range(20, 20 + room), k=min(awakenings, room)))
        cursor = 0
        for spot, bout in zip(spots, bouts, strict=False):
            spot = max(spot, cursor + 2)
            for m in range(spot, min(total - 2, spot + bout)):
                minutes[m] = "awake"
            cursor = spot + bout
    return minutes


def _segments(stages: list[str]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for m, stage in enumerate(stages):
        if out and out[-1].stage == stage:
            last = out[-1]
            out[-1] = Segment(last.offset_min, last.minutes + 1, stage)
        else:
            out.append(Segment(m, 1, stage))
    return tuple(out)


def _score(asleep: int, deep: int, rem: int, waso: int, latency: int) -> int:
    s = 100 - max(0, 470 - asleep) * 0.16 - max(0, 70 - deep) * 0.2 - max(0, 90 - rem) * 0.12
    s -= max(0, waso - 10) * 0.35 + max(0, latency - 15) * 0.3
    return round(clamp(s, 25, 99))


def _nights(
    seed: int,
    dates: list[dt.date],
    withdrawal: list[float],
    sleep_loss: list[float],
    exercise_min: list[int],
    zone: ZoneInfo,
    switch_index: int,
) -> list[Night]:
    out: list[Night] = []
    for i, day in enumerate(dates[:-1]):  # tonight (the last day's) has not happened yet
        r = rng(seed, "night", day.isoformat())
        # the first nights with the ring, the watch stays on too: two sources, one night
        device = "garmin" if i < switch_index + OVERLAP_DAYS else "oura"
        if r.random() < 0.03:
            continue  # watch on the charger / ring forgotten
        w = withdrawal[i]
        ex = exercise_min[i] >= 30
        weekend = day.weekday() in (4, 5)  # Friday and Saturday nights
        bed = 23 * 60 - 5 + r.gauss(0, 22) + (40 if weekend else 0) - (12 if ex else 0)
        latency = max(2, round(r.gauss(11 + 14 * w - (4 if ex else 0), 4)))
        waso = max(0, round(r.gauss(14 + 18 * w - (5 if ex else 0), 6)))
        awakenings = 0 if waso == 0 else max(1, min(waso // 2, round(r.gauss(1.5 + 2.2 * w, 0.8))))
        asleep = r.gauss(432 - sleep_loss[i] - 10 * w + (EXERCISE_BONUS_MIN if ex else 0), 22)
        asleep = round(clamp(asleep, 180, 560))
        stages = _hypnogram(r, asleep, waso, awakenings, deep_factor=clamp(1 - 0.25 * w, 0.4, 1.0))
        final_wake = max(1, round(r.gauss(4, 2)))
        stages = ["awake"] * latency + stages + ["awake"] * final_wake
        segs = _segments(stages)
        start = local(day, bed, zone, second=r.randrange(60)).astimezone(dt.UTC)
        night = Night(night=day, device=device, start=start, segments=segs, score=0)
        score = _score(
            night.asleep_min,
            night.stage_min("deep"),
            night.stage_min("rem"),
            night.waso_min,
            night.latency_min,
        )
        night = Night(night=day, device=device, start=start, segments=segs, score=score)
        out.append(night)
        if switch_index <= i < switch_index + OVERLAP_DAYS:
            out.append(_second_opinion(night, rng(seed, "night-ring", day.isoformat())))
    return out


def _second_opinion(n: Night, r: random.Random) -> Night:
    """The same night as another device scores it: bedtime detected a few minutes apart,
    short wakes missed, some light sleep called deep or REM."""
    stages: list[str] = []
    for s in n.segments:
        stage = s.stage
        if stage == "awake" and s.minutes <= 3 and stages:
            stage = "light"
        elif stage == "light" and s.minutes <= 12 and r.random() < 0.2:
            stage = r.choice(("deep", "rem"))
        stages.extend([stage] * s.minutes)
    shift = r.randint(-4, 4)  # minutes the ring puts bedtime earlier (+) or later (-)
    if shift > 0:
        stages = ["awake"] * shift + stages
    elif shift < 0 and stages[: 1 - shift].count("awake") == 1 - shift:
        stages = stages[-shift:]
    else:
        shift = 0
    segs = _segments(stages)
    start = n.start - dt.timedelta(minutes=shift)
    night = Night(night=n.night, device="oura", start=start, segments=segs, score=0)
    score = _score(
        night.asleep_min,
        night.stage_min("deep"),
        night.stage_min("rem"),
        night.waso_min,
        night.latency_min,
    )
    return replace(night, score=score)


# -- check-ins -----------------------------------------------------------------------------------


def _checkins(
    seed: int,
    dates: list[dt.date],
    intents: list[_Intent],
    withdrawal: list[float],
    exercise_min: list[int],
    nights: list[Night],
    doses: list[Dose],
    actual: list[float],
) -> list[Checkin]:
    # the night a person rates is the one they slept, once: the watch's where both recorded it
    by_night = {n.night: n for n in nights if n.device == "oura"}
    by_night.update({n.night: n for n in nights if n.device == "garmin"})
    notes_by_day: dict[dt.date, list[str]] = {}
    for d in doses:
        if d.note in ("slipped", "rescue dose") and not d.deleted:
            notes_by_day.setdefault(d.taken_at.date(), []).append(d.note)
    out: list[Checkin] = []
    for i, day in enumerate(dates):
        r = rng(seed, "checkin", day.isoformat())
        it = intents[i]
        w = withdrawal[i]
        skip = 0.02 if it.rough else 0.08
        if r.random() < skip:
            continue
        last = by_night.get(day - dt.timedelta(days=1))
        deficit_h = 0.0 if last is None else max(0.0, (420 - last.asleep_min) / 60)
        sows: tuple[int, ...] | None = None
        if r.random() > 0.12:
            sows = tuple(
                int(
                    clamp(round(_SOWS_SHAPE[k][0] + _SOWS_SHAPE[k][1] * w + r.gauss(0, 0.45)), 0, 4)
                )
                for k in SOWS_KEYS
            )
        slipped = day in notes_by_day
        bad = w > 0.8 or slipped or (last is not None and last.asleep_min < 330)
        cravings = int(clamp(round(1.5 + 3.2 * w + (2 if slipped else 0) + r.gauss(0, 1.0)), 0, 10))
        mood = int(
            clamp(
                round(
                    7.2
                    - 2.0 * w
                    - 0.6 * deficit_h
                    + (0.6 if exercise_min[i] >= 30 else 0)
                    + r.gauss(0, 0.9)
                ),
                0,
                10,
            )
        )
        insomnia = None
        if last is not None:
            poor = (420 - last.asleep_min) / 60 + last.latency_min / 30 + last.waso_min / 30
            insomnia = int(clamp(round(poor + r.gauss(0, 0.5)), 0, 4))
        supplements: list[str] = []
        if r.random() < (0.75 if w > 0.6 else 0.3):
            supplements.append("magnesium")
        if w > 0.7 and r.random() < 0.6:
            supplements.append("valerian")
        triggers: tuple[str, ...] = ()
        note = ""
        if bad or cravings >= 7:
            triggers = tuple(sorted(r.sample(TRIGGERS, k=r.choice((1, 1, 2)))))
            if it.rough:
                triggers = tuple(sorted({*triggers, "stress at work"}))
            note = r.choice(
                (
                    "Restless legs all evening.",
                    "Bad day; stuck to the plan anyway.",
                    "Could not settle; walked around the block at midnight.",
                    "Yawning and runny nose since lunch.",
                    "Irritable, snapped at someone, apologised.",
                    "",
                )
            )
            if "rescue dose" in notes_by_day.get(day, ()):
                note = "Needed a rescue dose tonight. Asking for a hold."
            elif slipped:
                note = "Took more than planned. Tomorrow back on plan."
        elif it.hold and r.random() < 0.4:
            note = "Holding this week. Feels right."
        elif r.random() < 0.05:
            note = r.choice(("Good day.", "Slept well, clear head.", "Cooked a proper dinner."))
        if i >= 1 and intents[i - 1].intended > it.intended > 0 and not note:
            note = f"Step down to {it.intended:g} g today."
        out.append(
            Checkin(
                date=day,
                sows=sows,
                cravings=cravings,
                mood=mood,
                insomnia=insomnia,
                supplements=tuple(supplements),
                exercise=exercise_min[i] >= 20,
                mindfulness=r.random() < (0.2 + 0.3 * min(1.0, i / max(1, len(dates)))),
                support=r.random() < (0.5 if it.rough else 0.12),
                triggers=triggers,
                note=note,
            )
        )
    return out


# -- daily activity -----------------------------------------------------------------------------


def _daily(
    seed: int,
    dates: list[dt.date],
    withdrawal: list[float],
    activities: list[Activity],
    switch_index: int,
    demo_index: int,
) -> list[DailyActivity]:
    by_day: dict[dt.date, list[Activity]] = {}
    for a in activities:
        by_day.setdefault(a.day, []).append(a)
    out = []
    for i, day in enumerate(dates):
        r = rng(seed, "daily", day.isoformat())
        w = withdrawal[i]
        progress = clamp((i - demo_index) / 112, 0.0, 1.0) if i >= demo_index else 0.3
        steps = max(
            800, round(r.gauss(6200 - 900 * min(w, 2) + (1500 if day.weekday() >= 5 else 0), 1300))
        )
        active = max(0, round(r.gauss(22, 8)))
        w_steps = w_min = 0
        for a in by_day.get(day, []):
            spm = {"running": 165, "walking": 108, "cycling": 0}[a.sport]
            w_steps += round(spm * a.duration_s / 60 * r.uniform(0.95, 1.03))
            w_min += a.duration_s // 60
        day_activity = DailyActivity(
            date=day,
            device="garmin" if i < switch_index + OVERLAP_DAYS else "oura",
            steps=steps + w_steps,
            active_min=active + w_min,
            resting_hr=round(r.gauss(61 - 4 * progress + 3 * w, 1.5)),
            stress=int(clamp(round(r.gauss(27 + 14 * w, 5)), 5, 95)),
            workout_steps=w_steps,
            workout_min=w_min,
        )
        out.append(day_activity)
        if switch_index <= i < switch_index + OVERLAP_DAYS:
            # the ring counts steps its own way: a few percent off the watch, same day
            k = r.uniform(0.92, 1.08)
            out.append(
                replace(
                    day_activity,
                    device="oura",
                    steps=round(day_activity.steps * k),
                    workout_steps=round(w_steps * k),
                    resting_hr=day_activity.resting_hr - 1,
                )
            )
    return out


# -- summaries the tests and the README use ------------------------------------------------------


def planted_effects(story: Story) -> dict[str, float]:
    """Mean asleep minutes of the nights the story says should differ (the truth, before any
    writer or importer touches it)."""
    cut_window = set()
    for c in story.cut_days:
        for k in range(3):
            cut_window.add(c + dt.timedelta(days=k))
    ex = {d.date for d in story.days if d.exercise_min >= 30}

    def mean(xs: list[int]) -> float:
        return sum(xs) / len(xs) if xs else math.nan

    nights = story.main_nights()
    after_cut = [n.asleep_min for n in nights if n.night in cut_window]
    other = [n.asleep_min for n in nights if n.night not in cut_window]
    ex_n = [n.asleep_min for n in nights if n.night in ex]
    no_ex = [n.asleep_min for n in nights if n.night not in ex]
    return {
        "after_cut_min": mean(after_cut),
        "other_nights_min": mean(other),
        "exercise_min": mean(ex_n),
        "no_exercise_min": mean(no_ex),
        "n_after_cut": len(after_cut),
        "n_exercise": len(ex_n),
    }
