"""Archives: zip-slip, absolute paths, symlinks, nesting depth and bombs are refused by name."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from importers import detect


def _zip(members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    return buf.getvalue()


def _walk(tmp_path: Path, blob: bytes) -> dict[str, str | None]:
    path = tmp_path / "export.zip"
    path.write_bytes(blob)
    return {e.display.split("!", 1)[1]: e.error for e in detect.walk([path])}


def test_safe_members_come_through_and_nested_zips_are_opened(tmp_path: Path) -> None:
    inner = _zip({"night.csv": b"a,b\n1,2\n"})
    got = _walk(
        tmp_path, _zip({"DI_CONNECT/a.fit": b"x", "inner.zip": inner, "__MACOSX/._a": b"junk"})
    )
    assert got == {"DI_CONNECT/a.fit": None, "inner.zip!night.csv": None}


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ("../../etc/cron.d/evil", "zip-slip"),
        ("a/../../evil.csv", "zip-slip"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/evil.csv", "absolute path"),
        ("..\\evil.csv", "zip-slip"),
    ],
)
def test_escaping_members_are_refused(tmp_path: Path, member: str, words: str) -> None:
    got = _walk(tmp_path, _zip({member: b"x", "ok.csv": b"a\n1\n"}))
    assert got["ok.csv"] is None
    assert words in (got[member] or "")


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    got = _walk(tmp_path, _zip({"link": b"/etc/passwd"}, symlinks=("link",)))
    assert got["link"] == "symbolic link in archive"


def test_nesting_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    blob = _zip({"deep.csv": b"a\n1\n"})
    for i in range(detect.MAX_ZIP_DEPTH + 1):
        blob = _zip({f"level{i}.zip": blob})
    path = tmp_path / "export.zip"
    path.write_bytes(blob)
    errors = [e.error for e in detect.walk([path])]
    assert errors == [f"archive nested deeper than {detect.MAX_ZIP_DEPTH} levels"]


def test_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    got = _walk(tmp_path, _zip({"bomb.csv": b"0" * (50 << 20), "ok.csv": b"a\n1\n"}))
    assert "zip bomb" in (got["bomb.csv"] or "")
    assert got["ok.csv"] is None


def test_member_that_lies_about_its_size_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(detect, "MAX_MEMBER_BYTES", 1000)
    monkeypatch.setattr(detect, "MAX_RATIO", 10**9)
    got = _walk(tmp_path, _zip({"big.csv": b"1" * 5000}))
    assert "limit" in (got["big.csv"] or "")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    [entry] = list(detect.walk([path]))
    assert entry.error and entry.error.startswith("not a readable zip archive")


def test_cli_refuses_bad_members_and_imports_the_rest(cli, tmp_path: Path) -> None:
    blob = _zip(
        {
            "../evil.csv": b"taken_at,grams\n2026-01-01T08:00+01:00,3\n",
            "doses.csv": b"taken_at,grams\n2026-01-02T08:00+01:00,2\n",
        }
    )
    path = tmp_path / "export.zip"
    path.write_bytes(blob)
    rc, out, _ = cli("import", str(path))
    assert rc == 1
    assert "failed    " in out and "zip-slip" in out
    assert "imported  " in out and "1 dose\n" in out


def test_one_sqlite_magic() -> None:
    from importers.databases import sqlite

    # detect's zip scan and the database sniffers agree on what a SQLite file starts with
    assert detect.SQLITE_MAGIC is sqlite.MAGIC
