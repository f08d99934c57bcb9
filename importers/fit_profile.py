"""The FIT messages and fields taperdash reads, by number.

The FIT reader works on message and field *numbers* and raw (unscaled) values, never on
fitparse's rendered names: fitparse 1.2.0 predates Garmin's sleep messages (it returns them as
`unknown_275` with fields `unknown_0`, ...), and its rendering applies the wrong scale to
`monitoring.cycles` when the activity type sits in a packed byte (it divides steps by 2). So
this one table names everything we read; tests/importers/test_fit_profile.py checks it against
fitparse's own profile (names and scales of the messages fitparse knows) and checks that
fitparse indeed reports the others as unknown.

Sources: the FIT SDK profile (21.x) for the messages fitparse knows, FORMATS.md (Garmin FIT)
and real Forerunner 55 / fenix files for the sleep and wellness messages it does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldSpec:
    name: str
    scale: float = 1.0  # value = raw / scale, as in the FIT profile


@dataclass(frozen=True)
class MessageSpec:
    name: str
    fields: dict[int, FieldSpec] = field(default_factory=dict)


def _f(**named: int | tuple[int, float]) -> dict[int, FieldSpec]:
    out: dict[int, FieldSpec] = {}
    for name, spec in named.items():
        num, scale = spec if isinstance(spec, tuple) else (spec, 1.0)
        out[num] = FieldSpec(name, scale)
    return out


TIMESTAMP = 253

# Messages fitparse 1.2.0 does not know: it yields them as unknown_<num>.
UNKNOWN_TO_FITPARSE: dict[int, MessageSpec] = {
    211: MessageSpec(
        "monitoring_hr_data",
        # field 0 is Garmin's 7-day rolling average; field 1 is the figure for that day alone
        _f(timestamp=253, resting_heart_rate=0, current_day_resting_heart_rate=1),
    ),
    273: MessageSpec(
        "sleep_data_info",
        # its timestamp is the sync time, not the sleep start; field 2 is that instant's local time
        _f(timestamp=253, sample_length=1, local_timestamp=2),
    ),
    275: MessageSpec("sleep_level", _f(timestamp=253, sleep_level=0)),
    297: MessageSpec("respiration_rate", _f(timestamp=253, respiration_rate=(0, 100.0))),
    346: MessageSpec(
        "sleep_assessment",
        _f(
            combined_awake_score=0,
            awake_time_score=1,
            awakenings_count_score=2,
            deep_sleep_score=3,
            sleep_duration_score=4,
            light_sleep_score=5,
            overall_sleep_score=6,
            sleep_quality_score=7,
            sleep_recovery_score=8,
            rem_sleep_score=9,
            sleep_restlessness_score=10,
            awakenings_count=11,
            interruptions_score=14,
            average_stress_during_sleep=(15, 100.0),
        ),
    ),
}

# Messages fitparse knows; only the fields we read. Names and scales equal fitparse's profile.
KNOWN_TO_FITPARSE: dict[int, MessageSpec] = {
    0: MessageSpec(
        "file_id",
        _f(type=0, manufacturer=1, product=2, serial_number=3, time_created=4, number=5),
    ),
    18: MessageSpec(
        "session",
        _f(
            timestamp=253,
            start_time=2,
            sport=5,
            sub_sport=6,
            total_elapsed_time=(7, 1000.0),
            total_timer_time=(8, 1000.0),
            total_distance=(9, 100.0),
            total_calories=11,
            avg_heart_rate=16,
            max_heart_rate=17,
        ),
    ),
    21: MessageSpec("event", _f(timestamp=253, event=0, event_type=1, data=3)),
    34: MessageSpec("activity", _f(timestamp=253, num_sessions=1, local_timestamp=5)),
    55: MessageSpec(
        "monitoring",
        _f(
            timestamp=253,
            # raw cycles are steps for walking/running; the profile's scale 2 is for the
            # strokes sub-field, so the reader uses the raw value (see module docstring)
            cycles=(3, 2.0),
            active_time=(4, 1000.0),
            activity_type=5,
            current_activity_type_intensity=24,
            timestamp_16=26,
            heart_rate=27,
        ),
    ),
    103: MessageSpec("monitoring_info", _f(timestamp=253, local_timestamp=0)),
    227: MessageSpec("stress_level", _f(stress_level_value=0, stress_level_time=1)),
}

MESSAGES: dict[int, MessageSpec] = {**KNOWN_TO_FITPARSE, **UNKNOWN_TO_FITPARSE}

# file_id.type values (FIT profile `file`; 49 is Garmin's sleep file, absent from fitparse)
FILE_ACTIVITY = 4
FILE_MONITORING = frozenset({15, 28, 32})  # monitoring_a, monitoring_daily, monitoring_b
FILE_SLEEP = 49
FILE_TYPE_NAMES: dict[int, str] = {
    1: "device",
    2: "settings",
    3: "sport settings",
    4: "activity",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood pressure",
    15: "monitoring_a",
    20: "activity summary",
    28: "monitoring_daily",
    32: "monitoring_b",
    34: "segment",
    35: "segment list",
    40: "exd configuration",
    44: "metrics",
    49: "sleep",
}

# event.event value of the sleep start/stop events in sleep files (not in fitparse's enum)
EVENT_SLEEP = 74
EVENT_TYPE_START = 0
EVENT_TYPE_STOP = frozenset({1, 4})  # stop, stop_all

# sleep_level.sleep_level -> canonical stage (importers.model.STAGES)
SLEEP_LEVEL_STAGE: dict[int, str] = {
    0: "unknown",  # unmeasurable
    1: "awake",
    2: "light",
    3: "deep",
    4: "rem",
}
STAGED_LEVELS = frozenset({2, 3, 4})

# activity_type (monitoring, monitoring_info): FIT profile `activity_type`
ACTIVITY_GENERIC = 0
ACTIVITY_RUNNING = 1
ACTIVITY_WALKING = 6
ACTIVITY_SEDENTARY = 8
ACTIVITY_ALL = 254
STEP_ACTIVITIES = frozenset({ACTIVITY_WALKING, ACTIVITY_RUNNING})
# Types whose active_time is not exercise: counted neither as active minutes nor steps.
INACTIVE_ACTIVITIES = frozenset({ACTIVITY_GENERIC, ACTIVITY_SEDENTARY, ACTIVITY_ALL})

SPORT_TRANSITION = 3
SPORT_MULTISPORT = 18
# sub_sport bike_to_run_transition, run_to_bike_transition, swim_to_bike_transition
SUB_SPORT_TRANSITIONS = frozenset({32, 33, 34})

# session.sport / sub_sport -> taperdash sport (model.SPORTS_HINT); others keep the FIT name
SPORT_NAMES: dict[int, str] = {
    0: "other",
    1: "running",
    2: "cycling",
    3: "transition",
    4: "fitness_equipment",
    5: "swimming",
    6: "basketball",
    7: "soccer",
    8: "tennis",
    9: "american_football",
    10: "training",
    11: "walking",
    12: "cross_country_skiing",
    13: "alpine_skiing",
    14: "snowboarding",
    15: "rowing",
    16: "mountaineering",
    17: "hiking",
    18: "multisport",
    19: "paddling",
    21: "cycling",  # e_biking
    30: "inline_skating",
    31: "rock_climbing",
    33: "ice_skating",
    35: "snowshoeing",
    37: "stand_up_paddleboarding",
    38: "surfing",
    41: "kayaking",
    47: "boxing",
    48: "floor_climbing",
}
SUB_SPORT_NAMES: dict[int, str] = {
    20: "strength",  # strength_training
    43: "yoga",
    44: "pilates",
}
