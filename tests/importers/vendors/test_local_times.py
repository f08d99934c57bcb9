"""Every vendor's sleep sessions: start + utc_offset_min is the wall clock the file gave, and
the night is the night rule applied to it (importers.model.night_of_py). The builders write
each main night at 23:00 local (Whoop's last nights in New York, at UTC-04:00)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from importers.model import end_offset, local_of_py, night_of_py
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import read

SLEEP_FORMATS: list[tuple[str, Callable[[], tuple[str, bytes]], dict[str, Any]]] = [
    ("whoop-sleeps", b.whoop_sleeps, {}),
    ("oura-csv", b.oura_csv, {}),
    ("oura-app", b.oura_app, {}),
    ("oura-json", b.oura_json, {}),
    ("withings-sleep", b.withings_sleep, {}),
    ("samsung-sleep", b.samsung_sleep, {}),
    ("garmin-connect-sleep-json", b.garmin_sleep, {}),
    ("fitbit-sleep-json", b.fitbit_json, {}),
    ("fitbit-csv", b.fitbit_csv, {}),
    ("fitbit-google", b.google_sleeps, {}),
    ("sleep-as-android", b.saa, {}),
]


@pytest.mark.parametrize(("fmt", "build", "kw"), SLEEP_FORMATS, ids=[f[0] for f in SLEEP_FORMATS])
def test_start_and_offset_give_the_files_wall_clock(
    fmt: str, build: Callable[[], tuple[str, bytes]], kw: dict[str, Any]
) -> None:
    sessions = read(fmt, build(), **kw).tables["sleep_sessions"]
    main = sessions.filter(~sessions["is_nap"])
    assert sorted(main["night"].to_list()) == list(b.NIGHTS), fmt
    for row in main.iter_rows(named=True):
        local = local_of_py(row["start"], row["utc_offset_min"])
        assert local == b.local_start(row["night"]), (fmt, row)
        # the night across the end of summer time ends at 07:00 in the new offset
        off = end_offset(row["start"], row["end"], row["utc_offset_min"], b.BERLIN)
        assert local_of_py(row["end"], off) == b.local_end(row["night"]), (fmt, row)


def test_whoop_rows_keep_their_own_offset_when_the_person_travels() -> None:
    sessions = read("whoop-sleeps", b.whoop_sleeps()).tables["sleep_sessions"].sort("start")
    main = sessions.filter(~sessions["is_nap"])
    assert main["utc_offset_min"].to_list() == [120] * 4 + [-240] * 3
    first_ny = main.row(4, named=True)
    assert first_ny["start"] == dt.datetime(2026, 10, 24, 3, 0, tzinfo=dt.UTC)  # 23:00 at -04:00


def test_a_row_without_an_offset_falls_back_to_the_configured_zone() -> None:
    start = dt.datetime(2026, 1, 5, 22, 0, tzinfo=dt.UTC)
    assert local_of_py(start, None, b.BERLIN) == dt.datetime(2026, 1, 5, 23, 0)
    assert local_of_py(start, 60) == dt.datetime(2026, 1, 5, 23, 0)
    assert night_of_py(start, None, b.BERLIN) == dt.date(2026, 1, 5)
