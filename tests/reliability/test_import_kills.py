"""An import SIGKILLed at any instant stores whole files or nothing of them, never part of one.

A folder of several hundred generated files (staged FIT nights with distinct nights, taperdash
dose CSVs with distinct notes, and a few broken files) is imported into a home that already
holds data, and the `taperdash ... import DIR` process is killed at random instants. After each
kill every table must read, the data that was there before is untouched, and the store holds
exactly the files the ledger says were imported, each file whole (its rows equal to a clean
import's), and nothing from any other file. The next run resumes where the last commit left
off; a last, uninterrupted run brings the store to what one clean import gives.

Half of the runs are the console script as a user runs it (one commit at the end for a folder
this size); the other half lower `ingest.COMMIT_EVERY_ROWS` so many batches commit mid-way and
the kills land between and inside them.

`TAPERDASH_IMPORT_KILLS` sets the number of kills: default 4 here; the full proof is 100:
`TAPERDASH_IMPORT_KILLS=100 pytest tests/reliability/test_import_kills.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.core.store import doses
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import TABLES
from tests.reliability.helpers import (
    dose_csv,
    sleep_fit,
    snapshot,
    taperdash_command,
)

KILLS = int(os.environ.get("TAPERDASH_IMPORT_KILLS", "4"))
N_NIGHTS = 480
N_DOSE_FILES = 60
N_BROKEN = 12
SMALL_BATCH = 120  # rows: a sleep file is 3 to 6 rows, so a commit every ~25-40 files

SMALL_BATCH_IMPORT = """
import sys
from dashboard.core.store import ingest
from dashboard.cli import main
ingest.COMMIT_EVERY_ROWS = int(sys.argv[1])
raise SystemExit(main(sys.argv[2:]))
"""


def _make_folder(root: Path) -> Path:
    folder = root / "export"
    (folder / "sleep").mkdir(parents=True)
    (folder / "logs").mkdir()
    (folder / "broken").mkdir()
    for i in range(N_NIGHTS):
        (folder / "sleep" / f"night_{i:04d}.fit").write_bytes(sleep_fit(i))
    for i in range(N_DOSE_FILES):
        (folder / "logs" / f"doses_{i:03d}.csv").write_bytes(dose_csv(i))
    for i in range(N_BROKEN):
        good = sleep_fit(10_000 + i)
        (folder / "broken" / f"cut_{i:02d}.fit").write_bytes(good[: len(good) // 2])
    return folder


def _seed(home: Path) -> None:
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    store = Store(home)
    for k in range(3):
        doses.add(
            store,
            doses.DoseInput(
                grams=2.5, taken_at=now - dt.timedelta(hours=k), utc_offset_min=60, note=f"seed-{k}"
            ),
            now,
        )


def _run(home: Path, folder: Path, small_batch: bool) -> subprocess.Popen[str]:
    if small_batch:
        cmd = [sys.executable, "-c", SMALL_BATCH_IMPORT, str(SMALL_BATCH)]
    else:
        cmd = taperdash_command()
    return subprocess.Popen(
        [*cmd, "--home", str(home), "import", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _file_of(path: str) -> str:
    return Path(path).name


def _imported(store: Store) -> set[str]:
    ledger = store.read("imports")
    names = [_file_of(p) for p in ledger.filter(pl.col("status") == "imported")["path"]]
    assert len(names) == len(set(names)), "a file was imported twice"
    return set(names)


class Reference:
    """What one clean, uninterrupted import gives, split by the file each row came from."""

    def __init__(self, home: Path) -> None:
        store = Store(home)
        self.tables = snapshot(home)
        self.sessions = store.read("sleep_sessions")
        self.stages = store.read("sleep_stages")
        self.sid_of: dict[str, str] = {}
        ledger = store.read("imports")
        assert ledger.filter(pl.col("status") == "failed").height == N_BROKEN
        # each night file's session: night_i holds the night 2024-01-01 + i
        for sid, night in zip(self.sessions["source_id"], self.sessions["night"], strict=True):
            if sid.startswith("seed"):
                continue
            i = (night - dt.date(2024, 1, 1)).days
            self.sid_of[f"night_{i:04d}.fit"] = sid
        assert len(self.sid_of) == N_NIGHTS

    def check(self, home: Path, seeded: dict[str, pl.DataFrame], where: str) -> int:
        """Asserts the store is the seed plus whole files, exactly those in the ledger."""
        store = Store(home)
        for table in TABLES:
            store.read(table)  # every table reads
        imported = _imported(store)
        nights = {f for f in imported if f.startswith("night_")}
        dose_files = {f for f in imported if f.startswith("doses_")}
        assert not {f for f in imported if f.startswith("cut_")}, (
            f"{where}: a broken file was imported"
        )

        sessions = store.read("sleep_sessions")
        want_sids = {self.sid_of[f] for f in nights}
        assert set(sessions["source_id"]) == want_sids, (
            f"{where}: sessions from files outside the ledger: "
            f"{sorted(set(sessions['source_id']) ^ want_sids)[:5]}"
        )
        key = ["source_id", "start"]
        assert_frame_equal(
            sessions.sort(key), self.sessions.filter(pl.col("source_id").is_in(want_sids)).sort(key)
        )
        assert_frame_equal(
            store.read("sleep_stages").sort(key),
            self.stages.filter(pl.col("source_id").is_in(want_sids)).sort(key),
        )

        notes = store.read("doses")["note"].to_list()
        want_notes = {f"seed-{k}" for k in range(3)}
        for f in dose_files:
            i = int(f[len("doses_") : -len(".csv")])
            want_notes |= {f"f{i}-{j}" for j in range(3)}
        assert sorted(notes) == sorted(want_notes), f"{where}: doses are not whole files"
        seed_now = store.read("doses").filter(pl.col("note").str.starts_with("seed-"))
        assert_frame_equal(seed_now.sort("id"), seeded["doses"].sort("id"))
        for table in ("checkins", "activities", "daily_activity", "reflections"):
            assert store.read(table).height == 0, f"{where}: {table} gained rows"
        return len(imported)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Reference, float]:
    root = tmp_path_factory.mktemp("import-kills")
    folder = _make_folder(root)
    ref_home = root / "reference"
    _seed(ref_home)
    t = time.monotonic()
    proc = _run(ref_home, folder, small_batch=False)
    out, err = proc.communicate(timeout=300)
    took = time.monotonic() - t
    assert proc.returncode == 1, err  # the broken files failed, the rest went in
    assert f"{N_NIGHTS + N_DOSE_FILES} imported" in out and f"{N_BROKEN} failed" in out
    return folder, Reference(ref_home), took


@pytest.mark.slow
def test_import_killed_at_random_instants_stores_whole_files_only(
    tmp_path: Path, world: tuple[Path, Reference, float]
) -> None:
    folder, ref, took = world
    home, pristine = tmp_path / "home", tmp_path / "seeded"
    _seed(pristine)
    shutil.copytree(pristine, home)
    seeded = snapshot(home)
    rng = random.Random(int(os.environ.get("TAPERDASH_KILL_SEED", "9")))
    landed = restarts = 0
    progress: list[int] = []
    for round_ in range(KILLS):
        if progress and progress[-1] == N_NIGHTS + N_DOSE_FILES:
            # all in: start again from the seeded home, so later kills land in real imports
            shutil.rmtree(home)
            shutil.copytree(pristine, home)
            restarts += 1
        small = round_ % 2 == 1
        proc = _run(home, folder, small)
        # from start-up to just past the end of a whole (uninterrupted, one-commit) import
        time.sleep(rng.uniform(0.1, 1.25) * took)
        if proc.poll() is None:
            landed += 1
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        progress.append(
            ref.check(home, seeded, f"round {round_} ({'small' if small else 'one'} batch)")
        )
    # a last run, not killed, finishes the job: the store is what one clean import gives
    # (a test that the harness catches a broken commit: split _Batch.commit into one
    # transaction per table in SMALL_BATCH_IMPORT, and round 0 or 1 fails)
    proc = _run(home, folder, small_batch=False)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert ref.check(home, seeded, "final") == N_NIGHTS + N_DOSE_FILES
    final = snapshot(home)
    for table in ("sleep_sessions", "sleep_stages"):
        assert_frame_equal(final[table], ref.tables[table])
    assert sorted(final["doses"]["note"]) == sorted(ref.tables["doses"]["note"])
    leftovers = [p.name for p in (home / "data").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], "the last commit removes the temp files of killed writers"
    print(
        f"\nimport kills: {KILLS} rounds, {landed} landed mid-run, {restarts} restarts from the seed;"
        f" files stored after each: {progress};"
        f" full import {took:.2f} s; {len(leftovers)} temp files left"
    )
    assert landed >= KILLS // 2, "the kills should mostly land while the import runs"


def test_ledger_rows_name_the_rows_they_brought(world: tuple[Path, Reference, float]) -> None:
    """The ledger's per-file row counts agree with the files' contents in a clean import."""
    folder, ref, _ = world
    ledger = Store(folder.parent / "reference").read("imports")
    by_file = {
        _file_of(p): json.loads(r)
        for p, r, s in zip(ledger["path"], ledger["rows"], ledger["status"], strict=True)
        if s == "imported"
    }
    stages = ref.stages.group_by("source_id").len()
    counts = dict(zip(stages["source_id"], stages["len"], strict=True))
    for name, sid in ref.sid_of.items():
        assert by_file[name] == {"sleep_sessions": 1, "sleep_stages": counts[sid]}
    for i in range(N_DOSE_FILES):
        assert by_file[f"doses_{i:03d}.csv"] == {"doses": 3}
