"""`taperdash sources` and `taperdash sync`: new files picked up, unchanged files skipped,
removed folders reported with one line, failures make the exit code 1."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.core.store import config as config_mod
from dashboard.core.store import ingest
from dashboard.core.store.disk import Store
from tests.importers.databases import builders as b

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "phone-exports"
    folder.mkdir()
    return folder


def test_add_list_remove(cli: Cli, home: Path, drop: Path, tmp_path: Path) -> None:
    rc, out, _ = cli("sources", "add", str(drop))
    assert (rc, out) == (0, f"added {drop.resolve()}; `taperdash sync` imports what is new in it\n")
    assert cli("sources", "add", str(drop) + "/")[1] == f"{drop.resolve()} is already a source\n"
    assert config_mod.load(home).sources == (str(drop.resolve()),)
    rc, out, _ = cli("sources", "list")
    assert (rc, out) == (0, f"{drop.resolve()}\n")
    rc, _, err = cli("sources", "add", str(tmp_path / "nowhere"))
    assert rc == 2 and err == f"taperdash: {tmp_path / 'nowhere'}: no such folder\n"
    rc, out, _ = cli("sources", "remove", str(drop))
    assert rc == 0 and "removed" in out
    assert config_mod.load(home).sources == ()
    rc, _, err = cli("sources", "remove", str(drop))
    assert rc == 2 and "not a source" in err


def test_a_broken_config_is_never_overwritten(cli: Cli, home: Path, drop: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text("timezone = 'Europe/Berlin'\nsources = [\n")
    rc, _, err = cli("sources", "add", str(drop))
    assert rc == 2 and "config.toml" in err
    assert (home / "config.toml").read_text() == "timezone = 'Europe/Berlin'\nsources = [\n"


def test_sync_imports_new_files_and_skips_unchanged(
    cli: Cli, home: Path, drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("sources", "add", str(drop))[0] == 0
    name, data = b.health_connect()
    (drop / name).write_bytes(data)
    rc, out, _ = cli("sync")
    assert rc == 0, out
    assert out.splitlines()[-1] == "sync: 1 folder(s), 1 file(s): 1 imported"
    assert Store(home).read("sleep_sessions").height == 5

    # nothing new: not one file is read again (the ledger's path+size+mtime check)
    reads: list[str] = []
    real = ingest.read_one
    monkeypatch.setattr(ingest, "read_one", lambda *a: reads.append(a[2]) or real(*a))
    rc, out, _ = cli("sync")
    assert (rc, out) == (0, "sync: 1 folder(s), 1 file(s): 1 unchanged\n")
    assert reads == []

    # a new file in the folder is picked up; the old one stays unchanged
    gb_name, gb_data = b.gadgetbridge()
    (drop / gb_name).write_bytes(gb_data)
    rc, out, _ = cli("sync")
    assert rc == 0
    assert out.splitlines()[-1] == "sync: 1 folder(s), 2 file(s): 1 imported, 1 unchanged"
    assert reads == ["Gadgetbridge"]


def test_a_removed_folder_is_one_line_and_the_rest_syncs(
    cli: Cli, home: Path, drop: Path, tmp_path: Path
) -> None:
    other = tmp_path / "watch"
    other.mkdir()
    name, data = b.gadgetbridge()
    (other / name).write_bytes(data)
    (drop / "a.db").write_bytes(b.health_connect()[1])
    assert cli("sources", "add", str(drop))[0] == 0
    assert cli("sources", "add", str(other))[0] == 0
    shutil.rmtree(drop)
    rc, out, _ = cli("sync")
    assert rc == 0
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("missing")] == [
        f"missing   {drop.resolve()}: folder not found (deleted or not mounted); skipped "
        f"(`taperdash sources remove {drop.resolve()}` stops syncing it)"
    ]
    assert lines[-1] == "sync: 1 folder(s), 1 file(s): 1 imported"
    assert cli("sources", "list")[1] == f"{drop.resolve()}  (missing)\n{other.resolve()}\n"


def test_a_failed_file_makes_sync_exit_1(cli: Cli, home: Path, drop: Path) -> None:
    _, data = b.gadgetbridge()
    (drop / "Gadgetbridge").write_bytes(data[: len(data) // 3])
    (drop / "health_connect_export.db").write_bytes(b.health_connect()[1])
    assert cli("sources", "add", str(drop))[0] == 0
    rc, out, _ = cli("sync")
    assert rc == 1
    failed = [line for line in out.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "Gadgetbridge: truncated SQLite database" in failed[0]
    assert Store(home).read("sleep_sessions").height == 5  # the good file still went in


def test_a_changed_file_is_imported_again(cli: Cli, home: Path, drop: Path) -> None:
    hc = b.HealthConnect()
    hc.night(b.SAMSUNG, b.at(dt.date(2026, 10, 19), 23), b.SAMSUNG_NIGHT)
    path = drop / "health_connect_export.db"
    path.write_bytes(hc.build()[1])
    assert cli("sources", "add", str(drop))[0] == 0
    assert cli("sync")[0] == 0
    path.write_bytes(b.health_connect()[1])  # the next scheduled export: more nights
    os.utime(path, ns=(2_000_000_000 * 10**9, 2_000_000_000 * 10**9))
    rc, out, _ = cli("sync")
    assert rc == 0 and out.splitlines()[-1] == "sync: 1 folder(s), 1 file(s): 1 imported"
    assert Store(home).read("sleep_sessions").height == 5  # replaced by key, not doubled


def test_sync_without_sources_is_a_usage_error(cli: Cli) -> None:
    rc, _, err = cli("sync")
    assert rc == 2 and "no sources to sync" in err


def test_another_apps_database_in_a_source_is_skipped_not_failed(cli: Cli, drop: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    (drop / "notes.db").write_bytes(conn.serialize())
    assert cli("sources", "add", str(drop))[0] == 0
    rc, out, _ = cli("sync")
    assert rc == 0
    assert out.splitlines()[-1] == "sync: 1 folder(s), 1 file(s): 1 skipped"
    assert cli("sync")[1] == "sync: 1 folder(s), 1 file(s): 1 unchanged\n"


def test_an_unchanged_zip_is_not_opened_again(
    cli: Cli, home: Path, drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importers import detect

    (drop / "Health Connect.zip").write_bytes(b.zipped([b.health_connect()]))
    assert cli("sources", "add", str(drop))[0] == 0
    rc, out, _ = cli("sync")
    assert rc == 0 and out.splitlines()[-1] == "sync: 1 folder(s), 1 file(s): 1 imported"
    opened: list[str] = []
    real = detect._archive
    monkeypatch.setattr(
        detect,
        "_archive",
        lambda data, display, depth: opened.append(display) or real(data, display, depth),
    )
    rc, out, _ = cli("sync")
    assert (rc, out) == (0, "sync: 1 folder(s), 1 file(s): 1 unchanged\n")
    assert opened == []
    # a changed archive is opened and its members settle on their own (here: the same bytes)
    (drop / "Health Connect.zip").write_bytes(
        b.zipped([b.health_connect(), ("notes.txt", b"hello\n")])
    )
    rc, out, _ = cli("sync")
    assert rc == 0 and len(opened) == 1
    assert out.splitlines()[-1] == "sync: 1 folder(s), 2 file(s): 1 skipped, 1 unchanged"
