"""Column names and schema of the daily frame (one row per local day; see daily.py).

Kept apart from daily.py so plan.py, links.py and review.py can name columns without importing
the module that builds the frame (plan.py is imported by daily.py).
"""

from __future__ import annotations

import polars as pl

from dashboard.core.store.schema import UTC
from importers.model import schema

DATE = "date"
# doses (leaf-gram equivalents: grams x potency)
DOSE_G = "dose_g"
DOSES_N = "doses_n"
MAX_SINGLE_G = "max_single_g"
FIRST_DOSE_AT = "first_dose_at"  # local wall time
LAST_DOSE_AT = "last_dose_at"
MEAN_INTERVAL_MIN = "mean_interval_min"
STRAINS = "strains"
# plan
PLAN_G = "plan_g"
ON_HOLD = "on_hold"
PLAN_DIFF_G = "plan_diff_g"
ADHERENT = "adherent"
REFERENCE_G = "reference_g"  # the planned dose, or before/without a plan the 7-day median
TAPER_STEP = "taper_step"
# check-in
CHECKED_IN = "checked_in"
WITHDRAWAL = "withdrawal_score"
CRAVINGS = "cravings"
MOOD = "mood"
INSOMNIA_RATING = "insomnia_rating"
SUPPLEMENTS = "supplements"
EXERCISE = "exercise"
MINDFULNESS = "mindfulness"
SUPPORT = "support"
TRIGGERS = "triggers"
# activity
STEPS = "steps"
ACTIVE_MIN = "active_min"
RESTING_HR = "resting_hr"
WORKOUT_MIN = "workout_min"
WORKOUTS_N = "workouts_n"
WORKOUT_EARLY_MIN = "workout_early_min"  # started before 18:00 local
WORKOUT_LATE_MIN = "workout_late_min"  # started at or after 18:00 local
# the night of the day (night = local date of sleep start - 12 h)
SLEEP_SOURCE = "sleep_source"
SLEEP_START = "sleep_start"
SLEEP_END = "sleep_end"
BEDTIME_MIN = "bedtime_min"  # local clock time of the sleep start, minutes after noon
ASLEEP_MIN = "asleep_min"
IN_BED_MIN = "in_bed_min"
EFFICIENCY = "efficiency"
LATENCY_MIN = "latency_min"
AWAKENINGS = "awakenings"
WASO_MIN = "waso_min"
LIGHT_MIN = "light_min"
DEEP_MIN = "deep_min"
REM_MIN = "rem_min"
SLEEP_SCORE = "sleep_score"
INSOMNIA_NIGHT = "insomnia_night"
LAST_DOSE_BEFORE_SLEEP_MIN = "last_dose_before_sleep_min"
LATE_DOSE = "late_dose"

LOCAL = pl.Datetime("us")

DAILY = schema(
    {
        DATE: pl.Date,
        DOSE_G: pl.Float64,
        DOSES_N: pl.Int32,
        MAX_SINGLE_G: pl.Float64,
        FIRST_DOSE_AT: LOCAL,
        LAST_DOSE_AT: LOCAL,
        MEAN_INTERVAL_MIN: pl.Float64,
        STRAINS: pl.List(pl.String),
        PLAN_G: pl.Float64,
        ON_HOLD: pl.Boolean,
        PLAN_DIFF_G: pl.Float64,
        ADHERENT: pl.Boolean,
        REFERENCE_G: pl.Float64,
        TAPER_STEP: pl.Boolean,
        CHECKED_IN: pl.Boolean,
        WITHDRAWAL: pl.Int16,
        CRAVINGS: pl.Int8,
        MOOD: pl.Int8,
        INSOMNIA_RATING: pl.Int8,
        SUPPLEMENTS: pl.List(pl.String),
        EXERCISE: pl.Boolean,
        MINDFULNESS: pl.Boolean,
        SUPPORT: pl.Boolean,
        TRIGGERS: pl.List(pl.String),
        STEPS: pl.Int64,
        ACTIVE_MIN: pl.Float64,
        RESTING_HR: pl.Float64,
        WORKOUT_MIN: pl.Float64,
        WORKOUTS_N: pl.Int32,
        WORKOUT_EARLY_MIN: pl.Float64,
        WORKOUT_LATE_MIN: pl.Float64,
        SLEEP_SOURCE: pl.String,
        SLEEP_START: UTC,
        SLEEP_END: UTC,
        BEDTIME_MIN: pl.Float64,
        ASLEEP_MIN: pl.Float64,
        IN_BED_MIN: pl.Float64,
        EFFICIENCY: pl.Float64,
        LATENCY_MIN: pl.Float64,
        AWAKENINGS: pl.Int32,
        WASO_MIN: pl.Float64,
        LIGHT_MIN: pl.Float64,
        DEEP_MIN: pl.Float64,
        REM_MIN: pl.Float64,
        SLEEP_SCORE: pl.Float64,
        INSOMNIA_NIGHT: pl.Boolean,
        LAST_DOSE_BEFORE_SLEEP_MIN: pl.Float64,
        LATE_DOSE: pl.Boolean,
    }
)
