"""Finds the files behind the paths a user gives and sniffs each one's format.

Folders are walked; `.zip` archives (Garmin's export is a zip of zips) are read in memory,
never extracted to disk. A member that would escape its folder (absolute path, `..`), a
symlink, an archive nested too deep, or a member that inflates past the limit is refused
with one line; the rest of the archive still goes in.
"""

from __future__ import annotations

import io
import os
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from importers.databases.sqlite import MAGIC as SQLITE_MAGIC
from importers.registry import HEAD_BYTES, Format

MAX_MEMBER_BYTES = 1 << 30  # 1 GiB inflated per member (an Apple Health export.xml can be large)
MAX_ARCHIVE_BYTES = 4 << 30  # 4 GiB inflated per archive, all members together
MAX_RATIO = 200  # a member inflating more than this over its compressed size is a bomb
MAX_ZIP_DEPTH = 3
MAX_NAME_CHARS = 1024  # a member name longer than this is refused (the format allows 65535)
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class Entry:
    """One file to import. `load()` gives its bytes; `error` is set for a refused entry."""

    display: str  # the path as the user would name it: folder/file or archive.zip!member
    size: int
    mtime_ns: int | None  # None for archive members (they are hashed)
    load: Callable[[], bytes]
    error: str | None = None
    fs_path: Path | None = None
    explicit: bool = False  # named by the user, not found by walking a folder or archive
    # for an archive member: the archive on disk it came from (path, size, mtime_ns), so the
    # import can remember a whole archive as unchanged once every member went in
    archive: tuple[Path, int, int] | None = None


# Whether a file on disk (path, size, mtime_ns) is known unchanged: an archive that is need not
# be opened at all (a sync folder's Health Connect.zip is read once, not at every sync).
Unchanged = Callable[[Path, int, int], bool]


def _refused(display: str, why: str) -> Entry:
    def _nothing() -> bytes:
        return b""

    return Entry(display=display, size=0, mtime_ns=None, load=_nothing, error=why)


def walk(
    paths: list[str | os.PathLike[str]], unchanged: Unchanged | None = None
) -> Iterator[Entry]:
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            root = path.resolve()
            # os.walk does not descend into linked folders (followlinks=False)
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for fn in sorted(filenames):
                    if fn in SKIP_NAMES or fn.startswith("."):
                        continue
                    found = Path(dirpath) / fn
                    if found.is_symlink() and not _inside(found, root):
                        # a link in an export must not read the rest of the disk (a link to
                        # /etc/passwd had its first line printed)
                        yield _refused(
                            str(found), "symbolic link to a file outside the folder: not followed"
                        )
                        continue
                    yield from _file(found, str(found), unchanged=unchanged)
        elif path.exists():
            yield from _file(path, str(raw), explicit=True, unchanged=unchanged)
        else:
            yield _refused(str(raw), "no such file or folder")


def _inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _file(
    path: Path, display: str, explicit: bool = False, unchanged: Unchanged | None = None
) -> Iterator[Entry]:
    try:
        st = path.stat()
    except OSError as exc:
        yield _refused(display, f"cannot read: {exc.strerror}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield _refused(display, "not a regular file")
        return
    if path.suffix.lower() == ".zip":
        if unchanged is not None and unchanged(path, st.st_size, st.st_mtime_ns):
            # the whole archive went in before and has not changed: the entry for the file
            # itself, which the import recognises by its size and mtime without reading it
            yield Entry(
                display=display,
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                load=path.read_bytes,
                fs_path=path,
                explicit=explicit,
            )
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield _refused(display, f"cannot read: {exc.strerror}")
            return
        for entry in _archive(data, display, depth=1):
            entry.archive = (path, st.st_size, st.st_mtime_ns)
            yield entry
        return

    def _load(p: Path = path) -> bytes:
        return p.read_bytes()

    yield Entry(
        display=display,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        load=_load,
        fs_path=path,
        explicit=explicit,
    )


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly bytes that are neither UTF-8 text nor printable: nothing to show."""
    if b"\x00" in data:
        return True
    text = data.decode("utf-8", errors="replace")
    odd = sum(1 for ch in text if ch == "\ufffd" or (_hidden(ch) and ch not in "\t\r\n"))
    return odd > max(2, len(text) // 20)


def snippet(data: bytes, limit: int = 40) -> str | None:
    """How a file begins, safe to print: its first line, escaped and cut to `limit` characters;
    None for a binary file (its bytes are not echoed at all)."""
    head = data[:400]
    if looks_binary(head):
        return None
    line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
    return shown(line, limit)


def _hidden(ch: str) -> bool:
    # control (newline, ESC, NUL ...), format (bidi overrides, zero-width) and line separators
    return unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}


def shown(name: str, limit: int = 120) -> str:
    """A name safe to print on one line: control and format characters (newlines, terminal
    escapes, NUL, bidi overrides) written as \\x.. / \\u...., and a long name cut to `limit`."""
    text = "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") if _hidden(ch) else ch
        for ch in name
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unsafe_member(name: str) -> str | None:
    if "\x00" in name:
        return "member name contains a NUL byte"
    if any(_hidden(ch) for ch in name):
        return "member name contains a control character"
    if len(name) > MAX_NAME_CHARS:
        return f"member name is {len(name)} characters long (limit {MAX_NAME_CHARS})"
    if "\\" in name:
        name = name.replace("\\", "/")
    p = PurePosixPath(name)
    if p.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return "absolute path in archive"
    if ".." in p.parts:
        return "path escapes the archive folder (zip-slip)"
    return None


def _archive(data: bytes, display: str, depth: int) -> Iterator[Entry]:
    if depth > MAX_ZIP_DEPTH:
        yield _refused(display, f"archive nested deeper than {MAX_ZIP_DEPTH} levels")
        return
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a central directory entry asks for a zip version zipfile lacks
        yield _refused(display, f"not a readable zip archive ({exc})")
        return
    databases = _databases(zf, infos)
    if len(databases) > 1:
        # an export holds one database; with two, which is the person's is a guess
        shown_names = ", ".join(shown(n, 60) for n in databases[:3])
        yield _refused(
            display,
            f"archive holds {len(databases)} SQLite databases ({shown_names}); "
            "import them one at a time",
        )
        return
    budget = MAX_ARCHIVE_BYTES
    for info in infos:
        if not info.filename:  # zipfile's is_dir() would raise IndexError
            yield _refused(
                f"{display}!{shown(info.orig_filename)}", "archive member with an empty name"
            )
            continue
        if info.is_dir():
            continue
        member = f"{display}!{info.filename}"
        base = PurePosixPath(info.filename.replace("\\", "/")).name
        if base in SKIP_NAMES or base.startswith(".") or "__MACOSX" in info.filename:
            continue
        why = _unsafe_member(info.orig_filename)  # orig: zipfile cuts the name at a NUL
        if why is None and stat.S_ISLNK(info.external_attr >> 16):
            why = "symbolic link in archive"
        if why is None and info.flag_bits & 0x1:
            why = "encrypted member"
        if why is None and info.file_size > MAX_MEMBER_BYTES:
            why = (
                f"member would inflate to {info.file_size} bytes, over the {MAX_MEMBER_BYTES} limit"
            )
        if (
            why is None
            and info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > (1 << 20)
        ):
            why = f"member inflates {info.file_size // info.compress_size}x (zip bomb?)"
        if why is None and info.file_size > budget:
            why = "archive inflates past its total limit (zip bomb?)"
        if why:
            yield _refused(f"{display}!{shown(info.orig_filename)}", why)
            continue
        try:
            blob = _inflate(zf, info, min(MAX_MEMBER_BYTES, budget))
        except _TooBig:
            yield _refused(member, "member inflates past the limit (zip bomb?)")
            continue
        except _INFLATE_ERRORS as exc:
            yield _refused(member, f"cannot inflate archive member ({exc})")
            continue
        budget -= len(blob)
        if base.lower().endswith(".zip"):
            yield from _archive(blob, member, depth + 1)
            continue

        def _load(b: bytes = blob) -> bytes:
            return b

        yield Entry(display=member, size=len(blob), mtime_ns=None, load=_load)


# names an exported database has (Gadgetbridge's has no extension)
DATABASE_SUFFIXES = {"", ".db", ".sqlite", ".sqlite3"}


def _databases(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[str]:
    """Members that are SQLite databases, by their first bytes (only names a database has are
    opened, so a Garmin export's thousands of FIT files cost nothing here)."""
    found = []
    for info in infos:
        if not info.filename or info.is_dir() or info.file_size < len(SQLITE_MAGIC):
            continue
        if PurePosixPath(info.filename.replace("\\", "/")).suffix.lower() not in DATABASE_SUFFIXES:
            continue
        if _unsafe_member(info.orig_filename) or info.flag_bits & 0x1:
            continue  # refused on its own below
        try:
            with zf.open(info) as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except _INFLATE_ERRORS:
            continue
        if head == SQLITE_MAGIC:
            found.append(info.filename)
    return found


class _TooBig(Exception):
    pass


# what a damaged member's stream raises (zlib.error is not an OSError; lzma may be absent)
_INFLATE_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    zlib.error,
)
try:
    import lzma

    _INFLATE_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover (a Python built without lzma)
    pass


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Inflates in chunks, so a header that lies about the size cannot blow up memory."""
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise _TooBig
    return bytes(out)


def sniff(name: str, head: bytes, formats: dict[str, Format]) -> Format | None:
    ordered = [f for f in formats.values() if not f.fallback]
    ordered += [f for f in formats.values() if f.fallback]
    for fmt in ordered:
        try:
            if fmt.sniff(name, head[:HEAD_BYTES]):
                return fmt
        except Exception:  # a sniffer must never sink the import; the next one gets a try
            continue
    return None


def explain(name: str, head: bytes, formats: dict[str, Format]) -> str | None:
    """For a file no format claimed: the closest format's line on what it lacked, or None."""
    best: tuple[int, str] | None = None
    for fmt in formats.values():
        if fmt.explain is None:
            continue
        try:
            answer = fmt.explain(name, head[:HEAD_BYTES])
        except Exception:  # like a sniffer, an explainer must never sink the import
            continue
        if answer is not None and (best is None or answer[0] > best[0]):
            best = answer
    return best[1] if best else None
