"""The import pipeline: paths -> entries -> formats -> frames -> one atomic commit per batch.

Each file ends as exactly one of: imported, skipped (holds nothing we use), duplicate (these
bytes, or this path with this size and mtime, were imported before), failed (one line why).
Only imported files are duplicates: a file skipped or failed before is read again (the reader
may have learnt its format since, or --format names it), and says "skipped before: ..." when
it ends the same way. A forced --format always reads.
A failed file adds nothing but its ledger line; the files around it still go in. Rows that
describe the same thing as stored rows (TABLE_KEYS) replace them, so a changed file updates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import pickle
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from dashboard.core.store import doses as doses_mod
from dashboard.core.store import (
    logcsv,  # noqa: F401  (registers taperdash's own CSV formats)
    sheet_formats,  # noqa: F401  (registers the spreadsheet formats)
)
from dashboard.core.store.config import Config
from dashboard.core.store.disk import Store, Transaction
from dashboard.core.store.schema import IMPORTS, TABLE_KEYS, TABLES, conform
from importers import detect
from importers.model import ImportRefused, ImportResult
from importers.registry import HEAD_BYTES, Format, ReadContext, formats

COMMIT_EVERY_ROWS = 200_000  # bound memory on a years-long first import
STREAM_FROM_BYTES = 64 << 20  # larger files go to a stream reader when their format has one
# "archive": a zip on disk whose members all went in (its own line, so an unchanged archive is
# recognised by size and mtime without opening it)
OK = ("imported", "skipped", "duplicate", "archive")

# Reading (decoding + conforming) a file is pure Python and takes the GIL, so a long import
# reads files of these formats in a pool of processes. Their readers depend on nothing but the
# file's bytes and the ReadContext. Everything else happens here, in file order, so outcomes,
# the ledger and the store are the same as with one process. The pool starts only once reading
# inline has taken POOL_AFTER_S (a small import never pays for starting interpreters);
# TAPERDASH_IMPORT_WORKERS=1 turns it off.
PARALLEL_FORMATS = frozenset({"fit"})
POOL_AFTER_S = 0.5
MAX_READ_WORKERS = 2
BATCH_FILES = 64  # files go to a worker in batches: most are a few hundred bytes
BATCH_BYTES = 256 << 10
IN_FLIGHT_PER_WORKER = 2  # batches


@dataclass
class Outcome:
    path: str
    status: str  # imported | skipped | duplicate | failed
    format: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    message: str = ""
    known: int = 0  # rows that were stored already (the same dose, a day's check-in replaced)
    again: bool = False  # skipped or failed before, read again, and it ended the same way

    def line(self) -> str:
        # paths come from the user's folders and archives: a name must not print a second line
        # or a terminal escape
        return (
            f"{self.status:9} {detect.shown(self.path, 4096)}: {detect.shown(self.message, 4096)}"
        )


Progress = Callable[[Outcome, int], None]  # (outcome, files done so far)
Tables = Callable[[Outcome, dict[str, pl.DataFrame]], None]  # a read file's outcome and frames


def describe_rows(rows: dict[str, int]) -> str:
    from dashboard.core.words import count

    words = {
        "sleep_sessions": ("night", "nights"),
        "sleep_stages": ("stage", "stages"),
        "activities": ("workout", "workouts"),
        "daily_activity": ("day of activity", "days of activity"),
        "doses": ("dose", "doses"),
        "checkins": ("check-in", "check-ins"),
    }
    parts = [count(n, *words.get(t, (t, t))) for t, n in rows.items() if n]
    return ", ".join(parts) if parts else "no rows"


def _begins(data: bytes) -> str:
    # a file's bytes are not echoed: at most 40 escaped characters of its first line
    first = detect.snippet(data, 40)
    return "it looks binary" if first is None else f"it begins: '{first}'"


class _Ledger:
    def __init__(self, table: pl.DataFrame) -> None:
        imported = table.filter(pl.col("status") == "imported")
        self.by_sha: dict[str, str] = dict(zip(imported["sha256"], imported["path"], strict=False))
        # a duplicate line stands for bytes that were imported; older ledgers also called a
        # copy of a skipped file a duplicate: those are read again
        ok = table.filter(
            (pl.col("status") == "imported")
            | ((pl.col("status") == "duplicate") & pl.col("sha256").is_in(list(self.by_sha)))
            # a zip on disk whose every member was settled: unchanged, it is not opened again
            | (pl.col("status") == "archive")
        )
        self.by_stat = {
            (p, s, m)
            for p, s, m in zip(ok["path"], ok["size"], ok["mtime_ns"], strict=False)
            if m is not None
        }
        # what became of bytes that were not imported: (status, message) of the last time
        rest = table.filter(
            pl.col("status").is_in(["skipped", "failed"]) & pl.col("sha256").is_not_null()
        )
        self.before: dict[str, tuple[str, str]] = {
            sha: (status, message or "")
            for sha, status, message in zip(
                rest["sha256"], rest["status"], rest["message"], strict=False
            )
        }


def _reader_bug(fmt: Format, exc: Exception) -> ImportRefused:
    # a reader bug must not sink the rest of the import: it becomes this file's one line
    return ImportRefused(
        f"could not be read as {fmt.name} ({type(exc).__name__}: {exc}); "
        "this is a bug in taperdash, please report it"
    )


def read_one(fmt: Format, data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    try:
        return fmt.read(data, name, ctx)
    except ImportRefused:
        raise
    except Exception as exc:
        raise _reader_bug(fmt, exc) from exc


def read_stream_one(fmt: Format, path: Path, name: str, ctx: ReadContext) -> ImportResult:
    """Files too large to hold in memory (Apple Health's export.xml) go to a stream reader."""
    assert fmt.read_stream is not None
    try:
        with path.open("rb") as fh:
            return fmt.read_stream(fh, name, ctx, None)
    except (ImportRefused, OSError):
        raise
    except Exception as exc:
        raise _reader_bug(fmt, exc) from exc


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


Read = tuple[str | None, list[str], dict[str, pl.DataFrame]]  # skipped, warnings, tables
Answer = tuple[bool, object]  # (True, Read) or (False, the exception reading raised)


def _read_and_validate(fmt: Format, data: bytes, name: str, ctx: ReadContext) -> Read:
    result = read_one(fmt, data, name, ctx)
    return result.skipped, result.warnings, _validate(result)


def _read_in_worker(
    fmt_name: str, items: list[tuple[bytes, str]], ctx: ReadContext
) -> list[Answer]:
    fmt = formats()[fmt_name]
    answers: list[Answer] = []
    for data, name in items:
        try:
            answers.append((True, _read_and_validate(fmt, data, name, ctx)))
        except Exception as exc:  # handed back, raised where the file is settled
            answers.append((False, exc))
    return answers


class _Slot:
    """One file's place in a batch sent to a worker."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.future: Future[list[Answer]] | None = None  # set when its batch is sent
        self.last = False  # the batch's last file

    def done(self) -> bool:
        return self.future is not None and self.future.done()

    def result(self) -> Read:
        assert self.future is not None
        ok, value = self.future.result()[self.index]
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        return value  # type: ignore[return-value]


def _read_workers() -> int:
    raw = os.environ.get("TAPERDASH_IMPORT_WORKERS", "")
    wanted = int(raw) if raw.isdigit() else MAX_READ_WORKERS
    cpus = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
    return max(1, min(wanted, cpus))  # sched_getaffinity: Linux only


class _ReadPool:
    """Worker interpreters that read batches of files: `submit` returns a Future of answers.

    Fresh interpreters (not fork: a forked child of a process running Polars' thread pool can
    deadlock; not multiprocessing's spawn either: it re-runs the caller's main script, which
    breaks any script that calls import_paths without a `__main__` guard). Requests and
    answers are length-prefixed pickles over the workers' stdin/stdout; a thread per worker
    reads the answers, so a worker never blocks on a full pipe.
    """

    _CODE = "from dashboard.core.store.ingest import _worker_main; _worker_main()"

    def __init__(self, workers: int) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        self._procs: list[subprocess.Popen[bytes]] = []
        self._queues: list[deque[Future[list[Answer]]]] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        for _ in range(workers):
            proc = subprocess.Popen(
                [sys.executable, "-c", self._CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            queue: deque[Future[list[Answer]]] = deque()
            thread = threading.Thread(target=self._answers, args=(proc, queue), daemon=True)
            self._procs.append(proc)
            self._queues.append(queue)
            self._threads.append(thread)
            thread.start()

    def submit(
        self, fmt_name: str, items: list[tuple[bytes, str]], ctx: ReadContext
    ) -> Future[list[Answer]]:
        future: Future[list[Answer]] = Future()
        with self._lock:
            k = min(range(len(self._procs)), key=lambda i: len(self._queues[i]))
            self._queues[k].append(future)
        request = pickle.dumps((fmt_name, items, ctx), protocol=pickle.HIGHEST_PROTOCOL)
        stdin = self._procs[k].stdin
        assert stdin is not None
        with contextlib.suppress(OSError):  # a worker that is gone: its reader fails the future
            stdin.write(struct.pack("<Q", len(request)) + request)
            stdin.flush()
        return future

    def _answers(self, proc: subprocess.Popen[bytes], queue: deque[Future[list[Answer]]]) -> None:
        out = proc.stdout
        assert out is not None
        while True:
            head = out.read(8)
            if len(head) < 8:
                break
            ok, value = pickle.loads(out.read(struct.unpack("<Q", head)[0]))
            with self._lock:
                future = queue.popleft()
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        code = proc.wait()
        with self._lock:
            lost = list(queue)
            queue.clear()
        for future in lost:
            future.set_exception(RuntimeError(f"an import worker process ended (exit code {code})"))

    def close(self) -> None:
        for proc in self._procs:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        for proc, thread in zip(self._procs, self._threads, strict=True):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            thread.join(timeout=10)


def _worker_main() -> None:
    """A read worker's loop (see _ReadPool): one request in, one answer out, until EOF."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers goes to the pipe
    while True:
        head = stdin.read(8)
        if len(head) < 8:
            return
        fmt_name, items, ctx = pickle.loads(stdin.read(struct.unpack("<Q", head)[0]))
        try:
            answer: Answer = (True, _read_in_worker(fmt_name, items, ctx))
        except Exception as exc:
            answer = (False, exc)
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that does not pickle
            payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        stdout.write(struct.pack("<Q", len(payload)) + payload)
        stdout.flush()


def read_context(
    cfg: Config,
    *,
    skip_bad_rows: bool = False,
    date_order: str | None = None,
    unit: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> ReadContext:
    """How every import reads files (the CLI's, a sync's, the Imports screen's): the
    configured zone and the config's CSV mappings, plus a command line's sheet flags."""
    from importers.sheets.formats import context_options

    return ReadContext(
        tz=cfg.zone(),
        skip_bad_rows=skip_bad_rows,
        options={
            "generic_csv": cfg.generic_csv,
            **context_options(date_order, unit, columns, mappings=cfg.dose_csv),
        },
    )


def _key(entry: detect.Entry) -> str:
    return str(entry.fs_path.resolve()) if entry.fs_path else entry.display


def import_paths(
    store: Store,
    paths: Iterable[str],
    ctx: ReadContext,
    fmt_name: str = "auto",
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
    on_tables: Tables | None = None,
) -> list[Outcome]:
    """Imports `paths`; with `dry_run`, reads and reports everything and writes nothing.
    `on_tables` sees each read file's frames (the preview shows them)."""
    registry = formats()
    from importers.sheets import formats as sheets
    from importers.vendors import generic

    # sniffers see only a file's head: the generic CSV and spreadsheet sniffers learn the
    # mappings (and --columns) here
    generic.configure(ctx.options.get("generic_csv") or {})
    sheets.configure(ctx.options)
    if fmt_name != "auto" and fmt_name not in registry:
        from dashboard.core.errors import UserError

        raise UserError(
            f"--format {fmt_name!r}: unknown; known: auto, {', '.join(sorted(registry))}"
        )
    from dashboard.core.clock import now_utc

    now = now or now_utc()
    if not dry_run:
        store.ensure()
    ledger = _Ledger(store.read("imports"))
    known = _KnownRows(store, now)
    outcomes: list[Outcome] = []
    batch = _Batch()

    workers = _read_workers()
    pool: _ReadPool | None = None
    inline_s = 0.0  # time spent reading PARALLEL_FORMATS files here, before the pool starts
    # files being read by the pool, oldest first; settled strictly in this order
    pending: deque[tuple[detect.Entry, str, Format, _Slot]] = deque()
    in_flight = 0  # batches sent and not yet settled
    unsent: list[tuple[bytes, str]] = []  # the batch being filled, and its slots
    unsent_slots: list[_Slot] = []
    unsent_fmt = ""

    def send() -> None:
        nonlocal in_flight
        if not unsent:
            return
        assert pool is not None
        future = pool.submit(unsent_fmt, list(unsent), ctx)
        for slot in unsent_slots:
            slot.future = future
        unsent_slots[-1].last = True
        in_flight += 1
        unsent.clear()
        unsent_slots.clear()

    def drain(keep: int = 0) -> None:
        """Settles pending files in order: every one (keep=0), or those already read and then
        the oldest until at most `keep` batches are with the workers."""
        nonlocal in_flight
        while pending and (keep == 0 or pending[0][3].done() or in_flight > keep):
            p_entry, p_sha, p_fmt, slot = pending.popleft()
            if slot.future is None:
                send()
            in_flight -= slot.last
            settle(p_entry, p_sha, p_fmt, slot.result)

    def done(out: Outcome, entry: detect.Entry | None, sha: str | None) -> None:
        drain()  # the files before this one are settled first
        record(out, entry, sha)

    # archives on disk walked in this import -> whether every member of each went in
    archives: dict[tuple[Path, int, int], bool] = {}

    def record(out: Outcome, entry: detect.Entry | None, sha: str | None) -> None:
        message = out.message  # the ledger keeps the reason itself
        if sha is not None and ledger.before.get(sha) == (out.status, message):
            out.message = f"{out.status} before: {message}"  # read again, nothing changed
            out.again = True
        outcomes.append(out)
        if entry is not None and entry.archive is not None:
            archives[entry.archive] = archives.get(entry.archive, True) and out.status in OK
        if entry is not None:
            batch.ledger.append(
                {
                    "sha256": sha,
                    "path": _key(entry) if entry else out.path,
                    "format": out.format,
                    "size": entry.size if entry else None,
                    "mtime_ns": entry.mtime_ns if entry else None,
                    "imported_at": now,
                    "rows": json.dumps(out.rows),
                    "status": out.status,
                    "message": message,
                }
            )
        if progress:
            progress(out, len(outcomes))

    def settle(entry: detect.Entry, sha: str, fmt: Format, read: Callable[[], Read]) -> None:
        try:
            skipped, warnings, tables = read()
        except ImportRefused as exc:
            record(Outcome(entry.display, "failed", fmt.name, message=str(exc)), entry, sha)
            return
        except OSError as exc:
            record(
                Outcome(
                    entry.display, "failed", fmt.name, message=f"cannot read: {exc.strerror or exc}"
                ),
                entry,
                sha,
            )
            return
        if skipped:
            record(Outcome(entry.display, "skipped", fmt.name, message=skipped), entry, sha)
            return
        rows = {t: f.height for t, f in tables.items() if f.height}
        msg = describe_rows(rows)
        already = 0
        if "doses" in rows:
            said, already = known.new_doses(tables["doses"])
            msg += said
        if "checkins" in rows:
            msg += known.changed_checkins(tables["checkins"])
        if warnings:
            msg += f"; {len(warnings)} warning(s): " + " | ".join(warnings[:3])
        if not dry_run:  # a dry run keeps no frames: nothing is committed, memory stays bounded
            batch.add(tables)
        batch.shas[sha] = _key(entry)
        out = Outcome(entry.display, "imported", fmt.name, rows, msg, known=already)
        if on_tables is not None:
            on_tables(out, tables)
        record(out, entry, sha)
        if batch.size >= COMMIT_EVERY_ROWS and not dry_run:
            batch.commit(store, now)

    def unchanged_on_disk(path: Path, size: int, mtime_ns: int) -> bool:
        # a forced --format reads everything again
        return fmt_name == "auto" and (str(path.resolve()), size, mtime_ns) in ledger.by_stat

    try:
        for entry in detect.walk(list(paths), unchanged=unchanged_on_disk):
            if entry.error:
                done(Outcome(entry.display, "failed", message=entry.error), entry, None)
                continue
            forced = fmt_name != "auto"  # the person names the format: always read
            if (
                not forced
                and entry.fs_path
                and (_key(entry), entry.size, entry.mtime_ns) in ledger.by_stat
            ):
                drain()
                outcomes.append(
                    Outcome(entry.display, "duplicate", message="already imported (unchanged)")
                )
                if progress:
                    progress(outcomes[-1], len(outcomes))
                continue
            name = entry.display.rsplit("!", 1)[-1]
            stream = entry.fs_path is not None and entry.size >= STREAM_FROM_BYTES
            try:
                if stream:
                    assert entry.fs_path is not None
                    with entry.fs_path.open("rb") as fh:
                        head = fh.read(HEAD_BYTES)
                    sha = _hash_file(entry.fs_path)
                else:
                    head = entry.load()
                    sha = hashlib.sha256(head).hexdigest()
            except OSError as exc:
                done(
                    Outcome(entry.display, "failed", message=f"cannot read: {exc.strerror or exc}"),
                    entry,
                    None,
                )
                continue
            if any(p_sha == sha for _, p_sha, _, _ in pending):
                drain()  # whether this one is a duplicate depends on how that one ends
            if not forced and (sha in ledger.by_sha or sha in batch.shas):
                seen = ledger.by_sha.get(sha) or batch.shas[sha]
                same = "" if seen == _key(entry) else f" (same content as {seen})"
                done(
                    Outcome(entry.display, "duplicate", message=f"already imported{same}"),
                    entry,
                    sha,
                )
                ledger.by_sha.setdefault(sha, _key(entry))
                continue
            if not head:
                done(Outcome(entry.display, "failed", message="empty file"), entry, sha)
                continue
            fmt = (
                registry[fmt_name]
                if fmt_name != "auto"
                else detect.sniff(name, head[:HEAD_BYTES], registry)
            )
            if fmt is None:
                begins = _begins(head)
                # the closest format and what the file lacked, not every format's name
                near = detect.explain(name, head[:HEAD_BYTES], registry)
                if head.startswith(b"SQLite format 3\x00"):
                    # a database is known by its name or the tables on its first pages; a
                    # renamed export with its schema further in needs to be named
                    near = near or (
                        "a SQLite database of no known export (known by name or the tables on "
                        "its first pages); a renamed Gadgetbridge or Health Connect database "
                        "reads with --format gadgetbridge or --format health-connect"
                    )
                if entry.explicit:
                    why = near or (
                        f"unrecognised format; {begins} (`taperdash formats` lists what it reads)"
                    )
                    done(
                        Outcome(entry.display, "failed", message=why),
                        entry,
                        sha,
                    )
                else:
                    # exports hold many files taperdash has no use for; only a named file must be data
                    done(
                        Outcome(
                            entry.display,
                            "skipped",
                            message=f"not a format taperdash reads; {near or begins}",
                        ),
                        entry,
                        sha,
                    )
                continue

            def read_here(
                entry: detect.Entry = entry,
                fmt: Format = fmt,
                head: bytes = head,
                stream: bool = stream,
            ) -> Read:
                base = Path(entry.display.rsplit("!", 1)[-1]).name
                if stream and fmt.read_stream is not None:
                    assert entry.fs_path is not None
                    result = read_stream_one(fmt, entry.fs_path, base, ctx)
                    return result.skipped, result.warnings, _validate(result)
                return _read_and_validate(fmt, head if not stream else entry.load(), base, ctx)

            if fmt.name in PARALLEL_FORMATS and not stream and workers > 1:
                if pool is None and inline_s >= POOL_AFTER_S:
                    pool = _ReadPool(workers)
                if pool is not None:
                    if unsent and unsent_fmt != fmt.name:
                        send()
                    unsent_fmt = fmt.name
                    slot = _Slot(len(unsent))
                    unsent.append((head, Path(name).name))
                    unsent_slots.append(slot)
                    pending.append((entry, sha, fmt, slot))
                    if len(unsent) >= BATCH_FILES or sum(len(d) for d, _ in unsent) >= BATCH_BYTES:
                        send()
                    drain(keep=workers * IN_FLIGHT_PER_WORKER)
                    continue
                t0 = time.perf_counter()
                settle(entry, sha, fmt, read_here)  # nothing is pending without a pool
                inline_s += time.perf_counter() - t0
                continue
            drain()
            settle(entry, sha, fmt, read_here)
        drain()
    finally:
        if pool is not None:
            pool.close()
    if dry_run:
        return outcomes
    for (path, size, mtime_ns), complete in archives.items():
        if complete:
            batch.ledger.append(
                {
                    "sha256": None,
                    "path": str(path.resolve()),
                    "format": "zip",
                    "size": size,
                    "mtime_ns": mtime_ns,
                    "imported_at": now,
                    "rows": "{}",
                    "status": "archive",
                    "message": "every member went in (each has its own line)",
                }
            )
    batch.commit(store, now)
    return outcomes


class _KnownRows:
    """The doses and check-ins stored plus those this import adds so far, to say how many of
    a file's rows are new (file by file, as _Batch.commit will apply them)."""

    def __init__(self, store: Store, now: dt.datetime) -> None:
        self._store, self._now = store, now
        self._frame: pl.DataFrame | None = None
        self._checkins: pl.DataFrame | None = None

    def new_doses(self, incoming: pl.DataFrame) -> tuple[str, int]:
        """What the line adds, and how many of the file's doses were stored already."""
        if self._frame is None:
            self._frame = self._store.read("doses")
        new = doses_mod.merge_new(self._frame, incoming, self._now)
        self._frame = pl.concat([self._frame, new])
        already = incoming.height - new.height
        if not already:
            return "", 0
        return f" ({new.height} new, {already} already stored)", already

    def changed_checkins(self, incoming: pl.DataFrame) -> str:
        if self._checkins is None:
            self._checkins = self._store.read("checkins")
        days = incoming.unique("date", keep="last")
        changed = _changed_days(self._checkins, days).height
        # later files of this import see this one's days as stored, as the commit will
        self._checkins = pl.concat(
            [self._checkins.join(days.select("date"), on="date", how="anti"), days],
            how="diagonal_relaxed",
        )
        if changed == days.height:
            return ""
        return f" ({changed} new or changed, {days.height - changed} already stored as they are)"


def _validate(result: ImportResult) -> dict[str, pl.DataFrame]:
    out: dict[str, pl.DataFrame] = {}
    for table, frame in result.tables.items():
        if table not in TABLES or table == "imports":
            raise ImportRefused(f"reader returned an unknown table {table!r}")
        try:
            out[table] = conform(frame, TABLES[table])
        except pl.exceptions.PolarsError as exc:
            raise ImportRefused(f"{table}: values do not fit the table ({exc})") from None
    return out


class _Batch:
    def __init__(self) -> None:
        self.frames: dict[str, list[pl.DataFrame]] = {}
        self.ledger: list[dict] = []
        self.shas: dict[str, str] = {}
        self.size = 0

    def add(self, tables: dict[str, pl.DataFrame]) -> None:
        for table, frame in tables.items():
            if frame.height:
                self.frames.setdefault(table, []).append(frame)
                self.size += frame.height

    def commit(self, store: Store, now: dt.datetime) -> None:
        if not self.frames and not self.ledger:
            return
        with store.transaction() as tx:
            for table, parts in self.frames.items():
                if table == "doses":
                    # file by file: a dose in two files of one import (doses.csv beside
                    # doses.parquet) is one dose; only within a file do equal rows count twice
                    for part in parts:
                        merge_into(tx, table, part, now)
                    continue
                merge_into(tx, table, pl.concat(parts, how="vertical_relaxed"), now)
            if self.ledger:
                tx.put(
                    "imports",
                    pl.concat([tx.read("imports"), pl.DataFrame(self.ledger, schema=IMPORTS)]),
                )
        self.frames, self.ledger, self.size = {}, [], 0


def _changed_days(stored: pl.DataFrame, days: pl.DataFrame) -> pl.DataFrame:
    """The check-in days of `days` that the store does not hold exactly so (updated_at aside):
    a day held as it is keeps its row, updated_at too, so importing an export into its own
    home changes nothing."""
    same = [c for c in stored.columns if c != "updated_at"]
    return days.join(stored.select(same), on=same, how="anti", nulls_equal=True)


def merge_into(tx: Transaction, table: str, new: pl.DataFrame, now: dt.datetime) -> None:
    if table == "doses":
        existing = tx.read("doses")
        tx.put("doses", pl.concat([existing, doses_mod.merge_new(existing, new, now)]))
        return
    if table == "checkins":
        existing = tx.read("checkins")
        new = _changed_days(existing, new.unique("date", keep="last", maintain_order=True))
        new = new.with_columns(
            pl.coalesce(pl.col("updated_at"), pl.lit(now, dtype=existing.schema["updated_at"]))
        )
        tx.put(
            "checkins",
            pl.concat([existing.join(new.select("date"), on="date", how="anti"), new]).sort("date"),
        )
        return
    keys = list(TABLE_KEYS[table])
    existing = tx.read(table)
    if table == "daily_activity":
        new = _combine_days(existing, new, keys)
    if table == "sleep_stages":
        # stages belong to their session: a re-imported session brings its whole set
        new_keys = new.select(keys).unique()
    else:
        new = new.unique(keys, keep="last", maintain_order=True)
        new_keys = new.select(keys)
    tx.put(table, pl.concat([existing.join(new_keys, on=keys, how="anti", nulls_equal=True), new]))
    if table in ("sleep_sessions", "sleep_scores"):
        _score_sessions(tx)


def _score_sessions(tx: Transaction) -> None:
    """A score that came in a file of its own (sleep_scores) goes onto its session, whichever
    of the two files was imported first; a session's own score is never replaced."""
    scores = tx.read("sleep_scores")
    if scores.is_empty():
        return
    sessions = tx.read("sleep_sessions")
    keys = ["source", "source_id"]
    joined = sessions.join(
        scores.select(*keys, pl.col("score").alias("_score")).unique(keys, keep="last"),
        on=keys,
        how="left",
    )
    fill = joined["score"].is_null() & joined["_score"].is_not_null()
    if fill.any():
        tx.put(
            "sleep_sessions",
            joined.with_columns(pl.coalesce("score", "_score").alias("score")).drop("_score"),
        )


def _combine_days(existing: pl.DataFrame, new: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Rows for a day already stored keep the larger running totals and any value the new
    file lacks: a watch writes partial-day totals, and files may come in any order."""
    new = new.group_by(keys, maintain_order=True).agg(
        pl.col("steps").max(),
        pl.col("active_min").max(),
        pl.col("resting_hr").last(),
        pl.col("stress").last(),
    )
    old = existing.join(new.select(keys), on=keys, how="semi")
    if old.is_empty():
        return new.select(existing.columns)
    both = new.join(old, on=keys, how="left", suffix="_old")
    return both.select(
        *keys,
        pl.max_horizontal("steps", "steps_old").alias("steps"),
        pl.max_horizontal("active_min", "active_min_old").alias("active_min"),
        pl.coalesce("resting_hr", "resting_hr_old").alias("resting_hr"),
        pl.coalesce("stress", "stress_old").alias("stress"),
    ).select(existing.columns)
