"""Hand corrections of nights: applied on top of the imported row, kept, and undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import nights
from dashboard.core.clinical.overrides import (
    InvalidOverride,
    add_override,
    apply_overrides,
    fix_night,
    resolve_ref,
    undo,
    undo_override,
)
from dashboard.core.store.config import Config
from dashboard.core.store.disk import Store
from dashboard.core.views.bundle import load_bundle
from tests.core.conftest import sessions

D0 = dt.date(2026, 1, 5)
NOW = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
U = dt.UTC


def table() -> pl.DataFrame:
    # Night D0: 23:00 -> 07:00 UTC, 420 min asleep; night D0+1: 400 min asleep.
    return sessions(
        [
            {"night": D0, "asleep": 420.0, "in_bed": 480.0, "id": "a"},
            {"night": D0 + dt.timedelta(days=1), "asleep": 400.0, "in_bed": 450.0, "id": "b"},
        ]
    )


def test_new_times_recompute_time_in_bed_and_cap_sleep() -> None:
    o, id_ = add_override(
        pl.DataFrame(), "garmin", "a", "times", NOW,
        start=dt.datetime(2026, 1, 6, 0, 0, tzinfo=U), end=dt.datetime(2026, 1, 6, 6, 0, tzinfo=U),
    )  # fmt: skip
    assert id_ == 1
    row = apply_overrides(table(), o).filter(pl.col("source_id") == "a").row(0, named=True)
    assert row["start"] == dt.datetime(2026, 1, 6, 0, 0, tzinfo=U)
    assert row["time_in_bed_min"] == 360.0
    assert row["asleep_min"] == 360.0  # 420 asleep cannot fit in 360 in bed
    assert row["awake_min"] == 0.0
    assert row["efficiency"] == 1.0
    assert row["night"] == D0  # 00:00 on the 6th minus 12 h is still the 5th


def test_a_longer_window_keeps_the_devices_sleep() -> None:
    o, _ = add_override(
        pl.DataFrame(), "garmin", "a", "times", NOW,
        start=dt.datetime(2026, 1, 5, 22, 0, tzinfo=U), end=dt.datetime(2026, 1, 6, 8, 0, tzinfo=U),
    )  # fmt: skip
    row = apply_overrides(table(), o).row(0, named=True)
    assert (row["time_in_bed_min"], row["asleep_min"], row["awake_min"]) == (600.0, 420.0, 180.0)
    assert row["efficiency"] == pytest.approx(0.7)


def test_nap_and_not_sleep_take_the_night_out_of_the_series(config: Config) -> None:
    o, _ = add_override(pl.DataFrame(), "garmin", "a", "nap", NOW)
    o, _ = add_override(o, "garmin", "b", "not_sleep", NOW)
    fixed = apply_overrides(table(), o)
    assert fixed.select("source_id", "is_nap").rows() == [("a", True)]
    assert nights(fixed, config).is_empty()


def test_undo_brings_the_imported_night_back_and_keeps_the_record() -> None:
    o, _ = add_override(pl.DataFrame(), "garmin", "a", "not_sleep", NOW)
    o = undo_override(o, 1)
    assert o["undone"].to_list() == [True]  # kept, marked
    assert apply_overrides(table(), o).equals(table())
    with pytest.raises(InvalidOverride, match="already undone"):
        undo_override(o, 1)
    with pytest.raises(InvalidOverride, match="no correction with id 9"):
        undo_override(o, 9)


def test_the_latest_time_correction_wins_and_undoing_it_restores_the_one_before() -> None:
    first = (dt.datetime(2026, 1, 5, 23, 30, tzinfo=U), dt.datetime(2026, 1, 6, 6, 30, tzinfo=U))
    second = (dt.datetime(2026, 1, 6, 0, 0, tzinfo=U), dt.datetime(2026, 1, 6, 7, 0, tzinfo=U))
    o, _ = add_override(pl.DataFrame(), "garmin", "a", "times", NOW, start=first[0], end=first[1])
    o, _ = add_override(
        o, "garmin", "a", "times", NOW + dt.timedelta(minutes=1), start=second[0], end=second[1]
    )
    assert apply_overrides(table(), o).row(0, named=True)["start"] == second[0]
    assert apply_overrides(table(), undo_override(o, 2)).row(0, named=True)["start"] == first[0]


@pytest.mark.parametrize(
    ("kind", "times", "words"),
    [
        ("times", (None, None), "needs both"),
        ("times", ((2026, 1, 6, 7), (2026, 1, 6, 6)), "must end after"),
        ("times", ((2026, 1, 5, 7), (2026, 1, 6, 6)), "too long"),
        ("times", ((2026, 3, 1, 0), (2026, 3, 1, 6)), "in the future"),
        ("nap", ((2026, 1, 6, 0), (2026, 1, 6, 6)), "takes no times"),
        ("lunch", (None, None), "kind must be"),
    ],
)
def test_bad_corrections_are_refused(kind: str, times: tuple, words: str) -> None:
    start, end = (None if t is None else dt.datetime(*t, tzinfo=U) for t in times)
    with pytest.raises(InvalidOverride, match=words):
        add_override(pl.DataFrame(), "garmin", "a", kind, NOW, start=start, end=end)


def test_a_source_with_a_colon_is_resolved_against_the_table() -> None:
    t = sessions(
        [{"night": D0, "asleep": 400.0, "source": "apple_health:Anna's Watch", "id": "x:1"}]
    )
    assert resolve_ref(t, "apple_health:Anna's Watch:x:1") == ("apple_health:Anna's Watch", "x:1")
    with pytest.raises(InvalidOverride, match="no night"):
        resolve_ref(t, "garmin:x:1")


def test_the_bundle_shows_corrected_nights_and_the_import_is_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path).ensure()
    with store.transaction() as tx:
        tx.put("sleep_sessions", table())
    (tmp_path / "config.toml").write_text('timezone = "UTC"\n')
    id_, _, _ = fix_night(store, "garmin:b", "not_sleep", NOW)
    bundle = load_bundle(tmp_path, "2026-01-08")
    assert bundle.daily.drop_nulls(C.ASLEEP_MIN)[C.DATE].to_list() == [D0]
    assert store.read("sleep_sessions").height == 2  # the imported rows stay as they were
    undo(store, id_)
    bundle = load_bundle(tmp_path, "2026-01-08")
    assert bundle.daily.drop_nulls(C.ASLEEP_MIN).height == 2
