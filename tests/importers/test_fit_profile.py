"""The number->name table of importers.fit_profile, checked against fitparse 1.2.0 itself."""

from __future__ import annotations

import datetime as dt

import fitparse
import pytest
from fitparse.profile import FIELD_TYPES, MESSAGE_TYPES

from importers import fit_profile as fp
from importers.fit import _decode_all, _segments
from importers.model import STAGES
from sample_data.fitwrite import write_sleep_fit

T0 = dt.datetime(2026, 1, 10, 22, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sleep_bytes() -> bytes:
    stages = [
        (T0, "awake"),
        (T0 + dt.timedelta(minutes=10), "light"),
        (T0 + dt.timedelta(hours=2), "rem"),
    ]
    return write_sleep_fit(None, stages, T0, T0 + dt.timedelta(hours=7), 60, score=81, awakenings=3)


@pytest.mark.parametrize("num", sorted(fp.UNKNOWN_TO_FITPARSE))
def test_fitparse_does_not_know_these_messages(num: int) -> None:
    assert num not in MESSAGE_TYPES


@pytest.mark.parametrize("num", sorted(fp.KNOWN_TO_FITPARSE))
def test_known_messages_match_fitparse_names_and_scales(num: int) -> None:
    ours = fp.KNOWN_TO_FITPARSE[num]
    theirs = MESSAGE_TYPES[num]
    assert ours.name == theirs.name
    for fnum, spec in ours.fields.items():
        if fnum == fp.TIMESTAMP and fnum not in theirs.fields:
            continue
        field = theirs.fields[fnum]
        assert spec.name == field.name, (num, fnum)
        assert spec.scale == (field.scale or 1.0), (num, fnum)


def test_fitparse_returns_sleep_messages_unnamed_and_our_table_names_them(
    sleep_bytes: bytes,
) -> None:
    seen = {}
    for message in fitparse.FitFile(sleep_bytes).get_messages():
        seen.setdefault(message.name, {f.name: f.raw_value for f in message.fields})
    # what fitparse gives: numbers only
    assert "unknown_275" in seen and "unknown_346" in seen and "unknown_273" in seen
    assert set(seen["unknown_275"]) == {"unknown_253", "unknown_0"}
    assert seen["unknown_346"]["unknown_6"] == 81
    assert seen["unknown_346"]["unknown_11"] == 3
    # what our table makes of the same bytes
    msgs = _decode_all(_segments(sleep_bytes)[0])[0]
    by_name = {fp.MESSAGES[m.num].name: m for m in msgs}
    assert set(by_name["sleep_level"].raw) == {"timestamp", "sleep_level"}
    assessment = by_name["sleep_assessment"]
    assert assessment.int("overall_sleep_score") == 81
    assert assessment.int("awakenings_count") == 3
    assert assessment.num_("average_stress_during_sleep") == pytest.approx(25.5)
    assert by_name["sleep_data_info"].int("sample_length") == 60


def test_sleep_assessment_field_numbers() -> None:
    fields = {n: s.name for n, s in fp.UNKNOWN_TO_FITPARSE[346].fields.items()}
    assert fields == {
        0: "combined_awake_score",
        1: "awake_time_score",
        2: "awakenings_count_score",
        3: "deep_sleep_score",
        4: "sleep_duration_score",
        5: "light_sleep_score",
        6: "overall_sleep_score",
        7: "sleep_quality_score",
        8: "sleep_recovery_score",
        9: "rem_sleep_score",
        10: "sleep_restlessness_score",
        11: "awakenings_count",
        14: "interruptions_score",
        15: "average_stress_during_sleep",
    }
    assert fp.UNKNOWN_TO_FITPARSE[346].fields[15].scale == 100


def test_sleep_levels_map_to_canonical_stages() -> None:
    assert fp.SLEEP_LEVEL_STAGE == {0: "unknown", 1: "awake", 2: "light", 3: "deep", 4: "rem"}
    assert set(fp.SLEEP_LEVEL_STAGE.values()) <= set(STAGES)
    assert fp.UNKNOWN_TO_FITPARSE[275].fields[0].name == "sleep_level"
    assert fp.UNKNOWN_TO_FITPARSE[275].fields[253].name == "timestamp"


def test_sport_table_follows_fitparse_except_documented_merges() -> None:
    names = FIELD_TYPES["sport"].values
    merged = {0: "other", 21: "cycling"}  # generic -> other, e_biking -> cycling
    for num, name in fp.SPORT_NAMES.items():
        assert name == merged.get(num, names[num]), num
    sub = FIELD_TYPES["sub_sport"].values
    assert {sub[n] for n in fp.SUB_SPORT_NAMES} == {"strength_training", "yoga", "pilates"}


def test_file_and_activity_type_numbers_follow_fitparse() -> None:
    files = FIELD_TYPES["file"].values
    assert files[fp.FILE_ACTIVITY] == "activity"
    assert {files[n] for n in fp.FILE_MONITORING} == {
        "monitoring_a",
        "monitoring_daily",
        "monitoring_b",
    }
    assert fp.FILE_SLEEP not in files  # the reason we carry our own number
    kinds = FIELD_TYPES["activity_type"].values
    assert kinds[fp.ACTIVITY_WALKING] == "walking" and kinds[fp.ACTIVITY_RUNNING] == "running"
    assert kinds[fp.ACTIVITY_SEDENTARY] == "sedentary"
