"""Bad databases: one line naming the file and what is wrong, nothing written, exit 1, and the
user's file never changed (it is opened read-only and immutable)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.core.store.disk import Store
from importers.model import WEARABLE_TABLES, ImportRefused, ImportResult
from tests.importers.databases import builders as b
from tests.importers.databases.util import read

Cli = Callable[..., tuple[int, str, str]]
WEARABLE = ("sleep_sessions", "sleep_stages", "activities", "daily_activity")


def _stored(home: Path) -> int:
    store = Store(home)
    return sum(store.read(t).height for t in WEARABLE)


def _one_failed_line(out: str, name: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith("failed")]
    assert len(lines) == 1, out
    assert name in lines[0]
    assert "Traceback" not in out
    return lines[0]


def test_not_sqlite(cli: Cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "Gadgetbridge.db"
    f.write_bytes(b"this is not a database\n" * 10)
    rc, out, err = cli("import", "--format", "gadgetbridge", str(f))
    assert rc == 1
    line = _one_failed_line(out, "Gadgetbridge.db")
    assert "not a SQLite database" in line
    assert err == "" and _stored(home) == 0


def test_truncated_database(cli: Cli, home: Path, tmp_path: Path) -> None:
    _, data = b.gadgetbridge()
    f = tmp_path / "Gadgetbridge"
    f.write_bytes(data[: len(data) // 2])
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    line = _one_failed_line(out, "Gadgetbridge")
    assert "truncated SQLite database" in line
    assert _stored(home) == 0


def test_zip_with_two_databases(cli: Cli, home: Path, tmp_path: Path) -> None:
    hc = b.health_connect()
    f = tmp_path / "Health Connect.zip"
    f.write_bytes(b.zipped([hc, ("health_connect_export (1).db", hc[1])]))
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    line = _one_failed_line(out, "Health Connect.zip")
    assert "archive holds 2 SQLite databases" in line
    assert _stored(home) == 0


def test_missing_tables(cli: Cli, home: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('hello')")
    f = tmp_path / "Gadgetbridge"
    f.write_bytes(conn.serialize())
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    assert "not a Gadgetbridge database" in _one_failed_line(out, "Gadgetbridge")
    assert _stored(home) == 0


def test_good_zip_imports_and_file_is_untouched(cli: Cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "Health Connect.zip"
    f.write_bytes(b.zipped([b.health_connect()]))
    db = tmp_path / "Gadgetbridge"
    db.write_bytes(b.gadgetbridge()[1])
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    rc, out, _ = cli("import", str(f), str(db))
    assert rc == 0, out
    assert "imported  " in out and "5 nights" in out and "7 nights" in out
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("Gadget")) == [
        "Gadgetbridge"  # no -journal, -wal or -shm beside it
    ]
    rc, out, _ = cli("import", str(f), str(db))
    assert rc == 0 and out.endswith("2 file(s): 2 duplicate\n")


def test_large_database_is_opened_in_place(
    cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.core.store import ingest

    monkeypatch.setattr(ingest, "STREAM_FROM_BYTES", 1)
    db = tmp_path / "Gadgetbridge.db"
    db.write_bytes(b.gadgetbridge()[1])
    rc, out, _ = cli("import", str(db))
    assert rc == 0, out
    assert "7 nights" in out


_GOOD = b.gadgetbridge()[1]
_HC = b.health_connect()[1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(["gadgetbridge", "health-connect"]),
    cut=st.integers(min_value=0, max_value=len(_GOOD) - 1),
    flips=st.lists(st.tuples(st.integers(0, len(_GOOD) - 1), st.integers(1, 255)), max_size=8),
    truncate=st.booleans(),
)
def test_fuzz_damaged_databases_give_one_line_or_data(
    which: str, cut: int, flips: list[tuple[int, int]], truncate: bool
) -> None:
    good = _GOOD if which == "gadgetbridge" else _HC
    data = bytearray(good[:cut] if truncate else good)
    for pos, bit in flips:
        if pos < len(data):
            data[pos] ^= bit
    try:
        res = read(which, ("Gadgetbridge", bytes(data)))
    except ImportRefused as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    # damage SQLite did not notice (a flipped value) still gives well-formed frames
    _well_formed(res)


def _well_formed(res: ImportResult) -> None:
    """Each frame is a wearable table with exactly its schema, and its values are sane."""
    for name, frame in res.tables.items():
        assert name in WEARABLE_TABLES, name
        assert frame.schema == WEARABLE_TABLES[name], (name, frame.schema)
    sessions = res.tables.get("sleep_sessions")
    if sessions is not None and sessions.height:
        assert sessions.filter(pl.col("end") <= pl.col("start")).is_empty()
        assert sessions.filter(pl.col("asleep_min") > pl.col("time_in_bed_min") + 1).is_empty()
        assert sessions.filter(pl.col("efficiency").is_between(0, 1).not_()).is_empty()
        assert sessions.filter(pl.col("utc_offset_min").abs() > 14 * 60).is_empty()
        for column in ("time_in_bed_min", "asleep_min", "awake_min", "light_min", "deep_min"):
            assert sessions.filter(pl.col(column).is_between(0, 1440).not_()).is_empty(), column
    stages = res.tables.get("sleep_stages")
    if stages is not None and stages.height:
        assert stages.filter(pl.col("end") < pl.col("start")).is_empty()
    days = res.tables.get("daily_activity")
    if days is not None and days.height:
        assert days.filter(pl.col("steps") < 0).is_empty()
        assert days.filter(pl.col("active_min").is_between(0, 1440).not_()).is_empty()


def test_the_good_databases_are_well_formed() -> None:
    for which, good in (("gadgetbridge", _GOOD), ("health-connect", _HC)):
        res = read(which, ("Gadgetbridge", good))
        assert res.rows(), which
        _well_formed(res)


def test_unknown_sqlite_named_on_the_command_line(cli: Cli, home: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    f = tmp_path / "backup.db"
    f.write_bytes(conn.serialize())
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    line = _one_failed_line(out, "backup.db")
    assert "a SQLite database of no known export" in line and "--format gadgetbridge" in line


def test_seeded_mutations_never_crash_a_reader() -> None:
    """A fixed sample of damaged files (found by a longer run of this loop: bytes that are not
    UTF-8 in the schema made SQLite's own error message undecodable)."""
    import random

    rng = random.Random(7)
    goods = {"gadgetbridge": _GOOD, "health-connect": _HC}
    for _ in range(150):
        which = rng.choice(sorted(goods))
        data = bytearray(goods[which])
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randrange(1, 40)):
            if data:
                data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
        try:
            res = read(which, ("Gadgetbridge", bytes(data)))
        except ImportRefused as exc:
            assert str(exc) and "\n" not in str(exc)
            continue
        _well_formed(res)
