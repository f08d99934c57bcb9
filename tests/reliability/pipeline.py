"""The import contract every input must keep, shared by the pipeline fuzz and the replay of
tests/data/regressions/: one outcome, a one-line message that is not a crash report, a time
bound, and a refused file that changes no data table."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from dashboard.core.store import ingest, logcsv
from dashboard.core.store.disk import Store
from importers.detect import _hidden
from importers.registry import ReadContext
from tests.importers.vendors import builders as b
from tests.reliability.helpers import assert_same_tables, snapshot

SECONDS_PER_INPUT = 10.0
CTX = ReadContext(tz=ZoneInfo("Europe/Berlin"), options={"generic_csv": b.GENERIC_MAPPING})
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
STATUSES = {"imported", "skipped", "duplicate", "failed"}

# what the inputs came to, for the report (printed by the fuzz's last test with -s)
SEEN: collections.Counter[str] = collections.Counter()
REFUSALS: collections.Counter[str] = collections.Counter()


def taperdash_csvs() -> list[tuple[str, bytes]]:
    doses = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "taken_at": [NOW - dt.timedelta(days=40, hours=h) for h in (0, 5, 30)],
            "utc_offset_min": [60, 60, -300],
            "grams": [3.0, 2.5, 0.75],
            "strain": ["red bali", "=cmd|' /C calc'!A0", None],
            "form": ["powder", "capsule", "tea"],
            "potency": [1.0, 1.0, 2.5],
            "note": ["after work", "+1 extra", "tab\there"],
            "created_at": [NOW] * 3,
            "updated_at": [NOW] * 3,
            "deleted": [False, False, True],
        }
    )
    checkins = pl.DataFrame(
        {
            "date": [dt.date(2026, 10, 1), dt.date(2026, 10, 2)],
            "cravings": [4, 7],
            "mood": [6, 3],
            "supplements": [["magnesium", "@valerian"], []],
            "triggers": [["-stress"], ["work"]],
            "note": ["fine", "=SUM(A1:A2)"],
        }
    )
    from dashboard.core.store.schema import CHECKINS, DOSES, conform

    return [
        ("doses.csv", logcsv.doses_to_csv(conform(doses, DOSES))),
        ("checkins.csv", logcsv.checkins_to_csv(conform(checkins, CHECKINS))),
    ]


class _Hang(Exception):
    pass


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    def _alarm(signum: int, frame: object) -> None:
        raise _Hang(f"no outcome within {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def seeded_home(root: Path) -> Path:
    """A home holding a little of everything: doses, check-ins, nights, steps, workouts."""
    home = root / "home"
    folder = root / "seed"
    folder.mkdir()
    for name, data in (*taperdash_csvs(), b.garmin_sleep(), b.withings_steps(), b.whoop_workouts()):
        (folder / name).write_bytes(data)
    outcomes = ingest.import_paths(Store(home), [str(folder)], CTX, now=NOW)
    assert all(o.status == "imported" for o in outcomes), [o.line() for o in outcomes]
    snap = snapshot(home)
    assert all(
        snap[t].height
        for t in ("doses", "checkins", "sleep_sessions", "daily_activity", "activities")
    )
    return home


def kind_of(message: str) -> str:
    """A refusal's kind: its message with the file name, numbers and quoted values taken out."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "…", message)
    text = re.sub(r"\d+", "N", text)
    text = re.sub(r"^\S+\.(csv|fit|json|xml|txt): ", "", text)
    return text[:70]


def check_one(home: Path, name: str, data: bytes, where: Path) -> ingest.Outcome:
    """Imports one file into `home` and asserts the contract; returns its outcome."""
    outcomes = check_many(home, name, data, where)
    assert len(outcomes) == 1, [o.line() for o in outcomes]
    return outcomes[0]


def check_many(home: Path, name: str, data: bytes, where: Path) -> list[ingest.Outcome]:
    """Imports one file (an archive may hold several) and asserts the contract for each entry;
    when every entry is refused or a duplicate, no data table changed."""
    store = Store(home)
    path = where / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    before = snapshot(home)
    ledger_before = store.read("imports").height
    with time_bound(SECONDS_PER_INPUT):
        outcomes = ingest.import_paths(store, [str(path)], CTX, now=NOW)
    assert outcomes, "no outcome at all"
    for out in outcomes:
        assert out.status in STATUSES, out.line()
        msg = out.message
        assert "\n" not in msg and "\r" not in msg, f"message is not one line: {msg!r}"
        assert not any(_hidden(ch) for ch in out.line()), (
            f"output line has control characters: {out.line()!r}"
        )
        assert "this is a bug" not in msg, f"a reader crashed: {out.line()}"
        SEEN[out.status] += 1
        if out.status == "failed":
            assert msg.strip(), "a refusal must say why"
            REFUSALS[f"{out.format or 'unrecognised'}: {kind_of(msg)}"] += 1
    after = snapshot(home)  # every table still reads
    ledger = store.read("imports")
    if all(o.status in ("failed", "duplicate") for o in outcomes):
        assert_same_tables(before, after, f"refused {name} ({[o.message for o in outcomes]})")
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        assert ledger.filter(pl.col("status") == "failed").height >= len(failed)
        assert ledger.height > ledger_before
    return outcomes
