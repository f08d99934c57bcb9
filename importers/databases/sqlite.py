"""Opening an exported SQLite database safely, and reading it by column name.

The import pipeline hands a reader the file's bytes (a zip member has no path of its own), so
the bytes go to a private temporary file that is removed afterwards; a file on disk too large
to hold in memory is opened in place. Either way the database is opened read-only and
immutable (`mode=ro&immutable=1`): SQLite never writes to it, not even a journal or -wal file,
and the user's export stays byte-for-byte what it was.

Any damage SQLite reports while reading (a truncated file, a corrupt page, not a database at
all) becomes one ImportRefused line; nothing of that file reaches the store.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from importers.model import ImportRefused, ImportResult
from importers.registry import ReadContext

MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100


def is_sqlite(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _check_header(head: bytes, size: int) -> None:
    """Refuses what SQLite itself would read without complaint: a file cut short.

    SQLite reads pages lazily, so a truncated file often opens and fails (or silently returns
    fewer rows) only when a query reaches the missing pages. The header says how many pages the
    file has (bytes 28-31, valid when the change counter at 24 equals the one at 92)."""
    if not is_sqlite(head):
        raise ImportRefused(
            "not a SQLite database (the file does not begin with 'SQLite format 3')"
        )
    if size < HEADER_BYTES:
        raise ImportRefused(f"truncated SQLite database ({size} bytes, the header alone is 100)")
    raw_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if raw_size == 1 else raw_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ImportRefused(f"damaged SQLite database (page size {raw_size} in the header)")
    pages = struct.unpack(">I", head[28:32])[0]
    counter, valid_for = head[24:28], head[92:96]
    if pages and counter == valid_for and pages * page_size > size:
        raise ImportRefused(
            f"truncated SQLite database: the header says {pages * page_size} bytes, "
            f"the file has {size}"
        )
    if size % page_size:
        raise ImportRefused(
            f"truncated SQLite database: {size} bytes is not a whole number of "
            f"{page_size}-byte pages"
        )


def _connect(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    conn.row_factory = sqlite3.Row
    # a damaged page can hold text that is not UTF-8: read it as what it is, never a crash
    conn.text_factory = _text
    # the file is someone else's: its schema's views and triggers get no say in what runs
    with contextlib.suppress(sqlite3.DatabaseError):
        conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _said(exc: BaseException) -> str:
    """SQLite's complaint on one line: a malformed schema quotes its SQL, newlines and all."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:159] + "…"


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def ident(name: str) -> str:
    """A table or column name quoted for SQL (names come from the file: quotes are doubled)."""
    return '"' + name.replace('"', '""') + '"'


@contextlib.contextmanager
def opened(data: bytes) -> Iterator[Database]:
    """The database in `data`, read-only; the temporary copy is gone when the block ends."""
    _check_header(data[:HEADER_BYTES], len(data))
    folder = tempfile.mkdtemp(prefix="taperdash-db-")  # 0700: the copy is private
    path = Path(folder) / "export.db"
    conn: sqlite3.Connection | None = None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        conn = _connect(path)
        yield Database(conn)
    except sqlite3.DatabaseError as exc:
        raise ImportRefused(f"damaged SQLite database ({_said(exc)})") from None
    except UnicodeDecodeError:
        # SQLite's own message quoted bytes of the damaged file that are not text
        raise ImportRefused("damaged SQLite database (its schema is not readable text)") from None
    finally:
        if conn is not None:
            conn.close()
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            os.rmdir(folder)


@contextlib.contextmanager
def opened_path(path: Path) -> Iterator[Database]:
    """A database file on disk, opened in place (read-only, immutable: never written)."""
    with path.open("rb") as fh:
        head = fh.read(HEADER_BYTES)
    _check_header(head, path.stat().st_size)
    conn = _connect(path)
    try:
        yield Database(conn)
    except sqlite3.DatabaseError as exc:
        raise ImportRefused(f"damaged SQLite database ({_said(exc)})") from None
    except UnicodeDecodeError:
        raise ImportRefused("damaged SQLite database (its schema is not readable text)") from None
    finally:
        conn.close()


# what a value no clock can hold raises on its way to a datetime (fromtimestamp), and a row's
# own complaint (RowError) when it is met outside a per-row collector
VALUE_ERRORS: tuple[type[Exception], ...] = (OverflowError, ValueError, OSError)


@contextlib.contextmanager
def impossible_values_refused() -> Iterator[None]:
    """A record with an impossible value (a timestamp past year 9999, a row the reader cannot
    place) refuses the file with one line, like any other damage."""
    from importers.vendors._csv import RowError

    try:
        yield
    except RowError as exc:
        raise ImportRefused(f"a record cannot be read ({_said(exc)})") from None
    except VALUE_ERRORS as exc:
        raise ImportRefused(f"a record holds an impossible value ({_said(exc)})") from None


@dataclass
class Database:
    conn: sqlite3.Connection

    def __post_init__(self) -> None:
        self._columns: dict[str, tuple[str, ...]] = {}
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        # greenDAO writes UPPER_SNAKE, Health Connect lower_snake; SQLite names are
        # case-insensitive, so look them up that way
        self.tables: dict[str, str] = {str(r[0]).lower(): str(r[0]) for r in rows}

    @property
    def user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def has(self, table: str) -> bool:
        return table.lower() in self.tables

    def columns(self, table: str) -> tuple[str, ...]:
        """Column names as upper case (older databases got some columns by ALTER TABLE, so
        readers select by name, never by position)."""
        key = table.lower()
        if key not in self._columns:
            real = self.tables.get(key)
            if real is None:
                self._columns[key] = ()
            else:
                info = self.conn.execute(f"PRAGMA table_info({ident(real)})").fetchall()
                self._columns[key] = tuple(str(r[1]).upper() for r in info)
        return self._columns[key]

    def pick(self, table: str, *aliases: str) -> str | None:
        """The first of `aliases` the table has, as the table spells it."""
        have = self.columns(table)
        for alias in aliases:
            if alias.upper() in have:
                return alias.upper()
        return None

    def require(self, table: str, *names: str) -> None:
        missing = [n for n in names if n.upper() not in self.columns(table)]
        if missing:
            raise ImportRefused(
                f"table {self.tables.get(table.lower(), table)} lacks column(s) "
                f"{', '.join(missing)}: an unknown schema version (user_version {self.user_version})"
            )

    def select(
        self,
        table: str,
        columns: Sequence[str | None],
        *,
        where: str = "",
        order: str = "",
        params: Sequence[Any] = (),
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of `columns` (a None column reads as NULL: an older database without it)."""
        real = self.tables[table.lower()]
        cols = ", ".join(ident(c) if c else "NULL" for c in columns)
        sql = f"SELECT {cols} FROM {ident(real)}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        try:
            for row in self.conn.execute(sql, tuple(params)):
                yield tuple(row)
        except sqlite3.DatabaseError as exc:
            raise ImportRefused(f"damaged SQLite database, table {real} ({_said(exc)})") from None


@contextlib.contextmanager
def opened_stream(fh: BinaryIO) -> Iterator[Database]:
    """A stream reader's file: opened in place when it is a file on disk (a database too large
    to copy into memory), else read whole."""
    name = getattr(fh, "name", None)
    if isinstance(name, str) and Path(name).is_file():
        with opened_path(Path(name)) as db:
            yield db
    else:
        with opened(fh.read()) as db:
            yield db


def readers(
    read_db: Callable[[Database, ReadContext], ImportResult],
) -> tuple[
    Callable[[bytes, str, ReadContext], ImportResult],
    Callable[[BinaryIO, str, ReadContext, Callable[[int], None] | None], ImportResult],
]:
    """A database format's `read` (bytes) and `read_stream` (a file, copied to a private
    temp file) around its `read_db`, with impossible values refused in one line."""

    def read(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
        with opened(data) as db, impossible_values_refused():
            return read_db(db, ctx)

    def read_stream(
        fh: BinaryIO, name: str, ctx: ReadContext, progress: Callable[[int], None] | None
    ) -> ImportResult:
        with opened_stream(fh) as db, impossible_values_refused():
            return read_db(db, ctx)

    return read, read_stream
