"""The on-disk store: one Parquet file per table, committed atomically, serialised by a lock.

Layout of the home (0700; every file 0600):
    config.toml                 the user's settings (config.py)
    .lock                       flock'ed by every writer
    data/manifest.json          {"schema_version", "generation", "tables": {name: file}}
    data/<table>.<gen>.parquet  the current file of each table

A commit writes the changed tables as new files (temp name, fsync, rename), then replaces the
manifest the same way and fsyncs the folder. The manifest is the single switch: a crash at any
instant leaves either the old or the new set of tables, so an import of one file is never
half-stored across tables, and a dose acknowledged after `commit()` returned is on disk.
Files no longer named by the manifest, and temp files of writers killed mid-commit, are removed
after the switch; a reader that raced with that removal re-reads the manifest.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from dashboard.core.errors import StoreError
from dashboard.core.store.files import make_private_dir, write_private
from dashboard.core.store.home import DATA, ENV_HOME, MANIFEST, default_home  # noqa: F401  (re-exported)
from dashboard.core.store.schema import SCHEMA_VERSION, TABLES, conform


class Store:
    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.data = self.home / DATA

    # -- setup -------------------------------------------------------------------------
    def ensure(self) -> Store:
        make_private_dir(self.home)
        make_private_dir(self.data)
        return self

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    # -- reading -----------------------------------------------------------------------
    def manifest(self) -> dict:
        path = self.data / MANIFEST
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return {"schema_version": SCHEMA_VERSION, "generation": 0, "tables": {}}
        try:
            man = json.loads(raw)
            version = int(man["schema_version"])
            man["tables"] = dict(man["tables"])
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{path}: the store's manifest is unreadable ({exc})") from exc
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.home} was written by a newer taperdash (data version {version}; this one "
                f"reads up to {SCHEMA_VERSION}): upgrade taperdash; nothing was changed"
            )
        return man

    def read(self, table: str) -> pl.DataFrame:
        """The whole table, cast to its schema; an empty frame if it was never written."""
        schema = TABLES[table]
        for _ in range(5):
            name = self.manifest()["tables"].get(table)
            if name is None:
                return pl.DataFrame(schema=schema)
            try:
                # an open file, not a path: Polars would read '[' in a home's path as a glob
                with (self.data / name).open("rb") as fh:
                    frame = pl.read_parquet(fh)
            except FileNotFoundError:
                continue  # a writer replaced it between our two reads
            except (OSError, pl.exceptions.ComputeError) as exc:
                raise StoreError(
                    f"{self.data / name}: table {table} is unreadable ({exc})"
                ) from exc
            # Older homes lack columns added since: conform adds them as nulls (the migration).
            return conform(frame, schema)
        raise StoreError(f"{self.data}: the table {table} keeps changing under us; try again")

    def signature(self, ignore: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
        """Cheap change detector for the dashboard: the file behind each table, minus `ignore`
        (the Review screen's own reflection saves need no reload of everything else)."""
        tables = self.manifest()["tables"]
        return tuple(sorted((t, f) for t, f in tables.items() if t not in ignore))

    # -- writing -----------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.ensure()
        fd = os.open(self.home / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Everything put inside lands together when the block ends without an exception."""
        with self.lock():
            tx = Transaction(self)
            yield tx
            tx.commit()

    def save_config_text(self, text: str) -> None:
        with self.lock():
            write_private(self.config_path, text.encode("utf-8"))


class Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._manifest = store.manifest()
        self._pending: dict[str, pl.DataFrame] = {}

    def read(self, table: str) -> pl.DataFrame:
        if table in self._pending:
            return self._pending[table]
        return self.store.read(table)

    def put(self, table: str, frame: pl.DataFrame) -> None:
        schema = TABLES[table]
        if dict(frame.schema) != dict(schema):
            frame = conform(frame, schema)
        self._pending[table] = frame

    def commit(self) -> None:
        if not self._pending:
            return
        try:
            self._write()
        except OSError as exc:
            # the manifest still names the old files (a new one is written last, atomically),
            # so the store is as it was; the temp files go at the next commit
            raise StoreError(
                f"{self.store.data}: could not write ({exc.strerror or exc}); nothing was changed"
            ) from exc
        self._collect(set(self._manifest["tables"].values()))

    def _write(self) -> None:
        data = self.store.data
        man = self._manifest
        gen = int(man.get("generation", 0)) + 1
        tables = dict(man["tables"])
        for table, frame in self._pending.items():
            name = f"{table}.{gen:08d}.parquet"
            tmp = data / f".{name}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o600)
                frame.write_parquet(fh, compression="zstd", statistics=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, data / name)
            tables[table] = name
        new = {"schema_version": SCHEMA_VERSION, "generation": gen, "tables": tables}
        write_private(data / MANIFEST, json.dumps(new, indent=1, sort_keys=True).encode())
        self._manifest = new
        self._pending = {}

    def _collect(self, keep: set[str]) -> None:
        # under the lock no other commit is under way: a temp file here is a killed writer's
        for path in self.store.data.iterdir():
            stale_tmp = path.name.startswith(".") and path.name.endswith(".tmp")
            if (path.suffix == ".parquet" and path.name not in keep) or stale_tmp:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
