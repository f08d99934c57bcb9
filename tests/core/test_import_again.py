"""Folder imports (issue 20, points 4 and 5): a file skipped or failed before is read again, and
a folder walk neither follows a link out of the folder nor echoes a file's bytes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from dashboard.core.store.disk import Store

Cli = Callable[..., tuple[int, str, str]]

STEPS = "date,value\n2026-11-30,8123\n2026-12-01,9001\n"
DOSES_ONE_BAD = "taken_at,grams\n2026-12-01T08:00:00+01:00,3.5\n2026-12-01T12:00:00+01:00,-4\n"


def lines(out: str) -> dict[str, str]:
    return {
        Path(ln.split(": ", 1)[0].split()[-1]).name: ln for ln in out.splitlines() if ": " in ln
    }


def test_a_skipped_file_is_read_again_and_a_forced_format_reads_it(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    # Withings' steps file renamed: `date,value` alone says nothing, so auto skips it
    (folder / "export.csv").write_text(STEPS)
    rc, out, _ = cli("import", str(folder))
    assert rc == 0 and lines(out)["export.csv"].startswith("skipped")
    rc, out, _ = cli("import", str(folder))
    line = lines(out)["export.csv"]
    assert line.startswith("skipped") and "skipped before: not a format taperdash reads" in line
    assert "duplicate" not in out
    import json

    rc, out, _ = cli("import", str(folder), "--json")
    (again,) = json.loads(out)["files"]
    assert (again["status"], again["again"]) == ("skipped", True)
    ledger = Store(_home(tmp_path)).read("imports")  # the reason itself, not "skipped before"
    assert ledger["message"].str.starts_with("not a format").all()
    rc, out, _ = cli("import", str(folder), "--format", "withings-steps")
    assert rc == 0 and lines(out)["export.csv"].startswith("imported"), out
    assert Store(_home(tmp_path)).read("daily_activity").height == 2


def _home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_a_failed_file_is_retried_and_an_imported_one_stays_a_duplicate(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / "doses.csv").write_text(DOSES_ONE_BAD)
    (folder / "steps.csv").write_text(STEPS)  # named for steps: imported
    rc, out, _ = cli("import", str(folder))
    assert rc == 1 and lines(out)["doses.csv"].startswith("failed")
    rc, out, _ = cli("import", str(folder))
    assert rc == 1
    assert "failed before: " in lines(out)["doses.csv"]
    assert lines(out)["steps.csv"].startswith("duplicate")  # only imported files are
    rc, out, _ = cli("import", str(folder), "--skip-bad-rows")
    assert rc == 0 and lines(out)["doses.csv"].startswith("imported"), out
    assert Store(_home(tmp_path)).read("doses")["grams"].to_list() == [3.5]


def test_a_link_out_of_the_folder_is_not_followed(cli: Cli, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "passwd"
    outside.parent.mkdir()
    outside.write_text("root-secret:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "export"
    folder.mkdir()
    os.symlink(outside, folder / "passwd")
    (folder / "inner.csv").write_text(STEPS)
    os.symlink(folder / "inner.csv", folder / "steps.csv")  # inside the folder: followed
    rc, out, err = cli("import", str(folder))
    assert "root-secret" not in out + err
    assert "symbolic link to a file outside the folder: not followed" in lines(out)["passwd"]
    assert lines(out)["steps.csv"].startswith("imported")
    assert rc == 1


def test_unknown_files_are_named_without_echoing_their_bytes(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "blob.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "long.txt").write_text("A" * 30 + "\x1b[31m" + "B" * 100 + "\nsecond line\n")
    rc, out, _ = cli("import", str(folder))
    assert rc == 0
    blob = lines(out)["blob.bin"]
    assert blob.endswith("not a format taperdash reads; it looks binary"), blob
    assert "PNG" not in blob and "IHDR" not in blob
    text = lines(out)["long.txt"]
    shown = text.split("it begins: ", 1)[1]
    assert shown == "'" + "A" * 30 + "\\x1b[31mB…'"  # 40 characters, the escape written out
    assert "second line" not in out and "\x1b" not in out
