"""A night two apps wrote to Health Connect is stored once per app and counted once: the daily
frame takes the one source_priority ranks first (and the same for the day's steps)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.store import ingest
from dashboard.core.store.config import DEFAULT_PRIORITY, Config
from dashboard.core.store.disk import Store
from importers.registry import ReadContext
from tests.importers.databases import builders as b

NIGHT = dt.date(2026, 10, 20)
SAMSUNG = f"health_connect:{b.SAMSUNG}"
OURA = f"health_connect:{b.OURA}"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = tmp_path / "health_connect_export.db"
    db.write_bytes(b.health_connect()[1])
    store = Store(tmp_path / "home")
    out = ingest.import_paths(store, [str(db)], ReadContext(tz=b.BERLIN))
    assert [o.status for o in out] == ["imported"]
    return store


def _day(store: Store, cfg: Config) -> dict:
    frame = daily_frame(
        store.read("doses"),
        store.read("checkins"),
        store.read("sleep_sessions"),
        store.read("activities"),
        store.read("daily_activity"),
        cfg,
        end=dt.date(2026, 10, 25),
    )
    rows = frame.filter(frame[C.DATE] == NIGHT)
    assert rows.height == 1
    return rows.row(0, named=True)


def test_both_apps_are_kept_in_the_store(store: Store) -> None:
    s = store.read("sleep_sessions")
    assert sorted(s.filter(s["night"] == NIGHT)["source"].to_list()) == [OURA, SAMSUNG]


@pytest.mark.parametrize(
    ("first", "asleep", "steps"),
    [(SAMSUNG, 430.0, 4200), (OURA, 435.0, 3500)],
)
def test_the_app_ranked_first_wins_the_night_and_the_steps(
    store: Store, first: str, asleep: float, steps: int
) -> None:
    cfg = Config(timezone="Europe/Berlin", source_priority=(first, *DEFAULT_PRIORITY))
    day = _day(store, cfg)
    assert day[C.SLEEP_SOURCE] == first
    assert day[C.ASLEEP_MIN] == asleep  # one night's minutes, never the two added up
    assert day[C.STEPS] == steps


def test_without_a_listed_app_the_choice_is_still_one_night(store: Store) -> None:
    day = _day(store, Config(timezone="Europe/Berlin"))
    assert day[C.SLEEP_SOURCE] in (OURA, SAMSUNG)
    assert day[C.ASLEEP_MIN] in (430.0, 435.0)
