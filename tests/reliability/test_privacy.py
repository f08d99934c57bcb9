"""Privacy: nothing reaches for the network, everything written is the user's alone (0700 / 0600
under umask 000), and exported CSVs cannot run as spreadsheet formulas yet import back intact.

The network is blocked two ways: in-process (monkeypatched socket module) around the CLI's
import, log, checkin, plan set, links, review, export and a headless dashboard that visits
every screen and exports a review; and in subprocesses running the installed `taperdash`
script with a sitecustomize.py that blocks sockets (tests/reliability/netguard.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.app import TaperdashApp
from dashboard.cli import main
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import TABLES, conform
from dashboard.screens import SCREENS
from tests.reliability import netguard
from tests.reliability.helpers import taperdash_command

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
TODAY = (DEMO / "TODAY").read_text().strip()
RISKY = ("=", "+", "-", "@", "\t", "\r")


def cli_steps(out: Path) -> list[list[str]]:
    """Every subcommand that reads or writes the home, as a user would run them."""
    return [
        [
            "import",
            *(
                str(DEMO / n)
                for n in ("garmin/sleep", "garmin/activity", "oura", "doses.csv", "checkins.csv")
            ),
        ],
        ["log", "2.5", "--strain", "red", "--note", "privacy check"],
        ["checkin", "--mood", "5", "--cravings", "3", "--note", "calm"],
        ["plan", "set", "--start-dose", "8", "--rate", "10"],
        [
            "diary",
            "--bedtime",
            "23:10",
            "--latency",
            "20",
            "--awakenings",
            "2",
            "--waso",
            "15",
            "--wake",
            "06:40",
            "--out-of-bed",
            "07:00",
            "--quality",
            "3",
        ],
        ["isi", "--items", "1", "2", "1", "2", "1", "1", "0"],
        ["relapse", "set", "--trigger", "stress", "--contact", "a friend"],
        ["relapse", "slip", "1.0", "--note", "slip"],
        ["links", "--json"],
        ["review", "--format", "json"],
        ["export", "--out", str(out)],
    ]


def assert_private(root: Path) -> list[Path]:
    """Every folder under `root` (itself included) is 0700 and every file 0600."""
    seen = [root]
    assert stat.S_IMODE(root.stat().st_mode) == 0o700, root
    for path in root.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not path.is_symlink(), path
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"
        seen.append(path)
    return seen


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_the_guard_catches_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without this the tests below could pass by blocking nothing."""
    attempts = netguard.install(monkeypatch.setattr)
    with pytest.raises(OSError, match="network blocked"):
        urllib.request.urlopen("http://example.invalid/", timeout=1)
    assert attempts


async def test_cli_and_dashboard_never_touch_the_network_and_write_private_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, umask_000: None
) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    attempts = netguard.install(monkeypatch.setattr)
    home, out = tmp_path / "home", tmp_path / "out"
    for args in cli_steps(out):
        assert main(["--home", str(home), *args]) == 0, args
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(110, 34)) as pilot:
        for key in [str(i + 1) for i in range(len(SCREENS))]:
            await pilot.press(key)  # each screen mounts and starts its workers
            await pilot.pause()
        await pilot.press(str(1 + [m for m, _, _ in SCREENS].index("review")))
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("e")
        for _ in range(3):
            await pilot.pause()
    assert attempts == []
    exports = sorted(p.suffix for p in (home / "exports").iterdir())
    assert exports == [".md", ".svg"], "the Review screen's export did not run"
    written = assert_private(home)
    assert {"config.toml", ".lock", "manifest.json"} <= {p.name for p in written}
    assert len([p for p in written if p.suffix == ".parquet"]) >= 5
    assert len(assert_private(out)) >= len(TABLES)
    assert (
        main(["--home", str(home), "export", "--out", str(out / "pq"), "--format", "parquet"]) == 0
    )
    assert_private(out)


SITECUSTOMIZE_TAIL = "\ninstall()\n"


@pytest.fixture(scope="module")
def subprocess_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, list[tuple[list[str], int, str]]]:
    """Every CLI step in its own `taperdash` process, under umask 000 and a socket blocker."""
    root = tmp_path_factory.mktemp("privacy-subprocess")
    site = root / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(Path(netguard.__file__).read_text() + SITECUSTOMIZE_TAIL)
    env = {**os.environ, "PYTHONPATH": str(site), "TAPERDASH_TODAY": TODAY}
    home, out = root / "home", root / "out"
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import urllib.request as u; u.urlopen('http://example.invalid/', timeout=1)",
        ],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0),
        check=False,
    )
    assert "NETWORK ATTEMPT" in probe.stderr, "the sitecustomize blocker is not loaded"
    runs = []
    for args in cli_steps(out):
        proc = subprocess.run(
            [*taperdash_command(), "--home", str(home), *args],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=lambda: os.umask(0),
            timeout=120,
            check=False,
        )
        runs.append((args, proc.returncode, proc.stderr))
    return home, out, runs


def test_cli_subprocesses_never_touch_the_network(subprocess_run: tuple[Path, Path, list]) -> None:
    _, _, runs = subprocess_run
    for args, rc, err in runs:
        assert "NETWORK ATTEMPT" not in err, (args, err)
        assert rc == 0 and "Traceback" not in err, (args, rc, err)


def test_cli_subprocesses_under_umask_000_write_private_files(
    subprocess_run: tuple[Path, Path, list],
) -> None:
    home, out, _ = subprocess_run
    written = {p.name for p in assert_private(home)}
    assert {"config.toml", ".lock", "manifest.json"} <= written
    assert {f"{t}.csv" for t in ("doses", "checkins", "sleep_sessions")} <= {
        p.name for p in assert_private(out)
    }


# -- formulas ------------------------------------------------------------------------------


def _value(dtype: pl.DataType, k: int, text: str) -> object:
    if dtype == pl.String:
        return text
    if dtype == pl.List(pl.String):
        return [text, "plain"]
    if dtype == pl.Date:
        return dt.date(2026, 3, 1) + dt.timedelta(days=k)
    if isinstance(dtype, pl.Datetime):
        return dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC) + dt.timedelta(days=k)
    if dtype == pl.Boolean:
        return False
    if dtype.is_integer():
        return k + 1
    if dtype.is_float():
        return 1.5 + k
    raise AssertionError(f"a column type this test does not know: {dtype} (is it text?)")


def hostile_tables() -> dict[str, pl.DataFrame]:
    """Every table, one row per risky first character, every text cell starting with it."""
    out = {}
    for table, schema in TABLES.items():
        rows = [
            {
                c: _value(t, k, f"{p}HYPERLINK(\"http://x/?{table}.{c}\") 'quoted' |calc")
                for c, t in schema.items()
            }
            for k, p in enumerate(RISKY)
        ]
        out[table] = conform(pl.DataFrame(rows, schema=schema), schema)
    return out


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_exported_csvs_never_start_a_text_cell_with_a_formula(
    cli: Callable[..., tuple[int, str, str]], home: Path, tmp_path: Path
) -> None:
    with Store(home).transaction() as tx:
        for table, frame in hostile_tables().items():
            tx.put(table, frame)
    rc, _, err = cli("export", "--out", str(tmp_path / "out"))
    assert rc == 0, err
    files = sorted((tmp_path / "out").glob("*.csv"))
    assert {p.stem for p in files} == set(TABLES) - {"imports"}
    checked = 0
    for path in files:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for row in rows[1:]:
            for col, cell in zip(rows[0], row, strict=True):
                if cell[:1] in RISKY:
                    assert _is_number(cell), f"{path.name}: {col} starts a formula: {cell!r}"
                if "HYPERLINK" in cell:
                    checked += 1
                    assert cell.startswith("'"), f"{path.name}: {col}: {cell!r}"
    text_columns = sum(
        1
        for t, s in TABLES.items()
        if t != "imports"
        for d in s.values()
        if d in (pl.String, pl.List(pl.String))
    )
    assert checked == text_columns * len(RISKY)


def test_risky_text_round_trips_through_export_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = hostile_tables()
    doses = tables["doses"].with_columns(
        pl.lit("powder").alias("form"),
        pl.lit(False).alias("deleted"),
        pl.lit(60, pl.Int32).alias("utc_offset_min"),
    )
    checkins = tables["checkins"].with_columns(
        pl.lit(None, pl.Int8).alias(c)
        for c in tables["checkins"].columns
        if c.startswith("sows_") or c in ("cravings", "mood", "insomnia")
    )
    checkins = checkins.with_columns(pl.lit(None, pl.Int16).alias("withdrawal_score"))
    src, dst = tmp_path / "src", tmp_path / "dst"
    with Store(src).transaction() as tx:
        tx.put("doses", doses)
        tx.put("checkins", checkins)
    assert main(["--home", str(src), "export", "--out", str(tmp_path / "out")]) == 0
    rc = main(
        [
            "--home",
            str(dst),
            "import",
            str(tmp_path / "out" / "doses.csv"),
            str(tmp_path / "out" / "checkins.csv"),
        ]
    )
    assert rc == 0, capsys.readouterr()
    back = Store(dst).read("doses").sort("taken_at")
    for col in ("taken_at", "utc_offset_min", "grams", "strain", "note", "potency"):
        assert back[col].to_list() == doses.sort("taken_at")[col].to_list(), col
    # list items are trimmed on import (a supplement's name has no leading tab), the rest exact
    items = [
        pl.col(c).list.eval(pl.element().str.strip_chars()) for c in ("supplements", "triggers")
    ]
    want = checkins.select("date", *items, "note").sort("date")
    assert_frame_equal(Store(dst).read("checkins").select(want.columns).sort("date"), want)
    assert want["note"].str.starts_with("\t").any() and want["note"].str.starts_with("\r").any()
