"""Zip archives that lie or hide things: each bad member is refused with one clear line naming it,
the other members still go in, and nothing of the bad member reaches the store.

(zip-slip, absolute paths, symlinks, nesting depth and bombs are in tests/importers/test_detect.py;
these are the central directory lying about a member, encrypted members, unsupported methods,
names with NUL, control characters or of absurd length, and a truncated archive.)
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.core.store.disk import Store

GOOD = b"taken_at,grams,note\n2026-01-02T08:00+01:00,2,from-ok\n"
BAD = b"taken_at,grams,note\n" + b"".join(
    f"2026-01-{d:02d}T09:00+01:00,3,from-bad\n".encode() for d in range(3, 28)
)

Cli = Callable[..., tuple[int, str, str]]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            # zipfile cuts a name at NUL when writing: write a stand-in, patch the bytes after
            info = zipfile.ZipInfo(name.replace("\x00", "\x01"), date_time=(2026, 1, 1, 0, 0, 0))
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    blob = buf.getvalue()
    for name, _ in members:
        if "\x00" in name:
            blob = blob.replace(name.replace("\x00", "\x01").encode(), name.encode())
    return blob


def _central(blob: bytes) -> list[int]:
    """Offsets of the central directory entries."""
    off = struct.unpack_from("<I", blob, blob.rfind(b"PK\x05\x06") + 16)[0]
    out = []
    while blob[off : off + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", blob, off + 28)
        out.append(off)
        off += 46 + n + m + k
    return out


def _patch(blob: bytes, *edits: tuple[int, str, int]) -> bytes:
    out = bytearray(blob)
    for off, fmt, value in edits:
        struct.pack_into(fmt, out, off, value)
    return bytes(out)


def _base() -> bytes:
    return _zip([("bad.csv", BAD), ("ok.csv", GOOD)])


def _cd(field: int) -> int:
    return _central(_base())[0] + field


# the central directory entry of bad.csv: flags +8, method +10, crc +16, compressed size +20,
# size +24, local header offset +42; the local header: flags +6
LIES: dict[str, tuple[bytes, str]] = {
    "crc": (_patch(_base(), (_cd(16), "<I", 0xDEADBEEF)), "Bad CRC-32"),
    "size smaller than the data": (_patch(_base(), (_cd(24), "<I", 10)), "Bad CRC-32"),
    "compressed size smaller": (_patch(_base(), (_cd(20), "<I", 5)), "Bad CRC-32"),
    "local header offset": (_patch(_base(), (_cd(42), "<I", 3)), "file header"),
    "unknown compression method": (_patch(_base(), (_cd(10), "<H", 99)), "compression method"),
    "encrypted (flag bit 0)": (
        _patch(_base(), (6, "<H", 1), (_cd(8), "<H", 1)),
        "encrypted member",
    ),
}


def _import(cli: Cli, tmp_path: Path, blob: bytes) -> tuple[int, list[str]]:
    path = tmp_path / "export.zip"
    path.write_bytes(blob)
    rc, out, err = cli("import", str(path))
    assert "Traceback" not in err
    return rc, out.splitlines()


def _notes(home: Path) -> list[str]:
    return sorted(Store(home).read("doses")["note"].to_list())


@pytest.mark.parametrize("lie", list(LIES))
def test_central_directory_lies_refuse_that_member_only(
    cli: Cli, home: Path, tmp_path: Path, lie: str
) -> None:
    blob, words = LIES[lie]
    rc, lines = _import(cli, tmp_path, blob)
    assert rc == 1
    failed = [ln for ln in lines if ln.startswith("failed")]
    assert len(failed) == 1 and "export.zip!" in failed[0] and words in failed[0], lines
    assert any(ln.startswith("imported") and ln.rstrip().endswith("1 dose") for ln in lines), lines
    assert _notes(home) == ["from-ok"]  # nothing of the refused member


def test_a_size_that_lies_upwards_still_yields_the_checked_bytes(
    cli: Cli, home: Path, tmp_path: Path
) -> None:
    """The central directory claims more bytes than the member holds: the deflate stream ends
    first and the CRC still matches, so the member's true content is what goes in."""
    blob = _patch(_base(), (_cd(24), "<I", 10**6))
    rc, lines = _import(cli, tmp_path, blob)
    assert rc == 0, lines
    assert _notes(home) == ["from-bad"] * 25 + ["from-ok"]


def test_truncated_archive_is_one_line(cli: Cli, home: Path, tmp_path: Path) -> None:
    blob = _base()
    rc, lines = _import(cli, tmp_path, blob[: len(blob) // 2])
    assert rc == 1
    assert lines[0].startswith("failed") and "not a readable zip archive" in lines[0]
    assert _notes(home) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("a\x00../../evil.csv", "NUL"),
        ("evil.csv\nimported  fake.csv: 999 doses", "control character"),
        ("tab\there.csv", "control character"),
        ("esc\x1b[31mred.csv", "control character"),
        ("x" * 5000 + ".csv", "name is 5004 characters long"),
    ],
    ids=["nul", "newline", "tab", "escape", "very-long"],
)
def test_hostile_member_names_are_refused_on_one_line(
    cli: Cli, home: Path, tmp_path: Path, name: str, words: str
) -> None:
    rc, lines = _import(cli, tmp_path, _zip([(name, BAD), ("ok.csv", GOOD)]))
    assert rc == 1
    assert len(lines) == 3, lines  # the refusal, the good member, the summary: no injected line
    failed, imported = lines[0], lines[1]
    assert failed.startswith("failed") and words in failed, failed
    assert failed.isprintable() and len(failed) < 400, failed
    assert imported.startswith("imported") and imported.endswith("ok.csv: 1 dose")
    assert _notes(home) == ["from-ok"]


def test_duplicate_member_names_are_each_read_once(cli: Cli, home: Path, tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        blob = _zip([("same.csv", GOOD), ("same.csv", GOOD)])
    rc, lines = _import(cli, tmp_path, blob)
    assert rc == 0
    assert [ln.split()[0] for ln in lines[:2]] == ["imported", "duplicate"]
    assert _notes(home) == ["from-ok"]


def test_file_names_on_disk_cannot_forge_output_lines(cli: Cli, home: Path, tmp_path: Path) -> None:
    """A folder (say, an export unpacked by hand) with a file whose name holds a newline and a
    terminal escape: the name is printed escaped, on its own single line."""
    folder = tmp_path / "unpacked"
    folder.mkdir()
    (folder / "a\nimported  fake.csv: 999 doses\x1b[2J.csv").write_bytes(GOOD)
    (folder / "ok.csv").write_bytes(GOOD.replace(b"08:00", b"09:00"))
    rc, out, err = cli("import", str(folder))
    assert rc == 0 and "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 3, lines
    assert all(ln.isprintable() for ln in lines), lines
    assert "\\x0aimported  fake.csv: 999 doses\\x1b[2J.csv: 1 dose" in lines[0]
    assert _notes(home) == ["from-ok", "from-ok"]
