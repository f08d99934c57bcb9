"""Data and settings from another version of taperdash.

- An older home (Parquet files lacking columns added since, some stored with narrower or wider
  types) reads through every command, and the next writes (log, checkin, import) keep the old
  rows and store the whole current schema.
- A config.toml this version does not understand (unknown key, bad TOML, bad value), or a store
  written by a newer taperdash: every subcommand exits 2 with one line on stderr and no
  traceback, and nothing is changed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from dashboard.core.store.disk import Store
from dashboard.core.store.schema import SCHEMA_VERSION, TABLES
from tests.reliability.helpers import sleep_fit, taperdash_command

Cli = Callable[..., tuple[int, str, str]]
DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
TODAY = (DEMO / "TODAY").read_text().strip()

# columns an older taperdash did not write (the current reader must add them as nulls)
OLDER = {
    "doses": ("potency", "note", "updated_at"),
    "checkins": ("insomnia", "supplements", "updated_at"),
    "sleep_sessions": ("waso_min", "score", "is_nap"),
    "activities": ("avg_hr", "max_hr"),
    "daily_activity": ("stress",),
}
# and columns it stored with another type
RETYPED = {"doses": {"utc_offset_min": pl.Int64, "grams": pl.Float32}}


def _age(home: Path) -> dict[str, int]:
    """Rewrites the home's tables as an older version would have left them."""
    data = home / "data"
    man = json.loads((data / "manifest.json").read_text())
    heights = {}
    for table, name in man["tables"].items():
        frame = pl.read_parquet(data / name)
        frame = frame.drop([c for c in OLDER.get(table, ()) if c in frame.columns])
        frame = frame.with_columns(pl.col(c).cast(t) for c, t in RETYPED.get(table, {}).items())
        frame.write_parquet(data / name)
        heights[table] = frame.height
    return heights


@pytest.fixture
def old_home(cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    rc, _, err = cli(
        "import", *(str(DEMO / n) for n in ("garmin", "oura", "doses.csv", "checkins.csv"))
    )
    assert rc == 0, err
    heights = _age(home)
    assert all(heights[t] for t in OLDER)
    return heights


def test_an_older_home_reads_everywhere(
    cli: Cli, home: Path, tmp_path: Path, old_home: dict[str, int]
) -> None:
    store = Store(home)
    for table, schema in TABLES.items():
        frame = store.read(table)
        assert frame.schema == schema, table
        for col in OLDER.get(table, ()):
            assert frame[col].null_count() == frame.height, (table, col)
    for args in (
        ["review", "--format", "json"],
        ["links", "--json"],
        ["plan", "show"],
        ["export", "--out", str(tmp_path / "out")],
    ):
        rc, _, err = cli(*args)
        assert rc == 0 and not err, (args, err)
    json.loads(cli("review", "--format", "json")[1])


async def test_an_older_home_opens_in_the_dashboard(home: Path, old_home: dict[str, int]) -> None:
    from dashboard.app import TaperdashApp

    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


def test_the_next_writes_to_an_older_home_keep_old_rows_and_store_the_whole_schema(
    cli: Cli, home: Path, tmp_path: Path, old_home: dict[str, int]
) -> None:
    old_doses = Store(home).read("doses")
    assert cli("log", "1.5", "--note", "after the upgrade")[0] == 0
    assert cli("checkin", "--mood", "4", "--date", TODAY)[0] == 0
    fit = tmp_path / "new_night.fit"
    fit.write_bytes(sleep_fit(9000))
    rc, out, err = cli("import", str(fit))
    assert rc == 0, out + err

    data = home / "data"
    man = json.loads((data / "manifest.json").read_text())
    for table in ("doses", "checkins", "sleep_sessions"):
        on_disk = pl.read_parquet(data / man["tables"][table])
        assert dict(on_disk.schema) == dict(TABLES[table]), (
            f"{table}: the write kept the old layout"
        )
    store = Store(home)
    doses = store.read("doses")
    assert doses.height == old_home["doses"] + 1
    assert doses.filter(pl.col("note") == "after the upgrade").height == 1
    # the old rows are all there, unchanged where they had values
    kept = doses.join(old_doses, on="id", how="semi")
    assert kept.height == old_doses.height
    assert kept.sort("id")["grams"].to_list() == old_doses.sort("id")["grams"].to_list()
    assert store.read("checkins").height >= old_home["checkins"]
    assert store.read("sleep_sessions").height == old_home["sleep_sessions"] + 1
    # and it all still reads through the analysis
    assert cli("review", "--format", "json")[0] == 0
    assert cli("links", "--json")[0] == 0


# -- settings and stores this version does not understand ------------------------------------

BAD_CONFIGS = {
    "unknown key": ("colour = 'green'\n", "unknown setting 'colour'"),
    "unknown key in a section": (
        "[plan]\nstart_dose_g = 8.0\nspeed = 3\n",
        "unknown setting 'speed'",
    ),
    "bad toml": ("timezone = 'Europe/Berlin\n", "config.toml"),
    "wrong type": ("week_start = 1\n", "week_start"),
    "unknown zone": ("timezone = 'Mars/Olympus'\n", "unknown time zone"),
}


def _commands(tmp_path: Path) -> list[list[str]]:
    some = tmp_path / "one.fit"
    some.write_bytes(sleep_fit(1))
    return [
        ["log", "2"],
        ["checkin", "--mood", "5"],
        ["import", str(some)],
        ["plan", "show"],
        ["plan", "set", "--start-dose", "8", "--rate", "10"],
        ["review"],
        ["links", "--json"],
        ["export", "--out", str(tmp_path / "out")],
    ]


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_a_config_this_version_does_not_understand_is_one_line_and_exit_2(
    cli: Cli, home: Path, tmp_path: Path, case: str
) -> None:
    text, words = BAD_CONFIGS[case]
    Store(home).ensure()
    (home / "config.toml").write_text(text)
    for args in _commands(tmp_path):
        rc, out, err = cli(*args)
        assert rc == 2, (args, rc, out, err)
        assert err.count("\n") == 1 and err.startswith("taperdash: ") and words in err, (args, err)
        assert not out.strip(), (args, out)
    assert (home / "config.toml").read_text() == text  # never rewritten
    assert Store(home).read("doses").height == 0 and not (tmp_path / "out").exists()


def test_the_real_script_with_an_unknown_key_prints_one_line_no_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store(home).ensure()
    (home / "config.toml").write_text("colour = 'green'\n")
    proc = subprocess.run(
        [*taperdash_command(), "--home", str(home), "log", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"taperdash: {home / 'config.toml'}: unknown setting 'colour'"
    ]
    assert proc.stdout == ""


def test_a_store_from_a_newer_version_is_refused_by_every_command(
    cli: Cli, home: Path, tmp_path: Path
) -> None:
    assert cli("log", "2", "--note", "before")[0] == 0
    man_path = home / "data" / "manifest.json"
    man = json.loads(man_path.read_text())
    man["schema_version"] = SCHEMA_VERSION + 1
    man_path.write_text(json.dumps(man))
    files = {p.name: p.read_bytes() for p in (home / "data").iterdir()}
    # `plan show` / `plan set` read and write only config.toml, never the store: not refused
    for args in (a for a in _commands(tmp_path) if a[0] != "plan"):
        rc, out, err = cli(*args)
        assert rc == 2, (args, rc, out, err)
        assert err.count("\n") == 1 and "newer taperdash" in err, (args, err)
    assert {p.name: p.read_bytes() for p in (home / "data").iterdir()} == files  # nothing changed


def test_an_unreadable_table_is_one_line(cli: Cli, home: Path) -> None:
    assert cli("log", "2")[0] == 0
    man = json.loads((home / "data" / "manifest.json").read_text())
    (home / "data" / man["tables"]["doses"]).write_bytes(b"PAR1 not parquet at all")
    for args in (["log", "2"], ["review"], ["links", "--json"]):
        rc, _, err = cli(*args)
        assert rc == 2 and err.count("\n") == 1 and "unreadable" in err, (args, err)
