"""The import pipeline: paths -> entries -> formats -> frames -> one atomic commit per batch.

Each file ends as exactly one of: imported, skipped (holds nothing we use), duplicate (the
ledger has seen these bytes, or this path with this size and mtime), failed (one line why).
A failed file adds nothing but its ledger line; the files around it still go in. Rows that
describe the same thing as stored rows (TABLE_KEYS) replace them, so a changed file updates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from dashboard.core import doses as doses_mod
from dashboard.core import logcsv  # noqa: F401  (registers taperdash's own CSV formats)
from dashboard.core.schema import IMPORTS, TABLE_KEYS, TABLES, conform
from dashboard.core.store import Store, Transaction
from importers import detect
from importers.model import ImportRefused, ImportResult
from importers.registry import HEAD_BYTES, Format, ReadContext, formats

COMMIT_EVERY_ROWS = 200_000  # bound memory on a years-long first import
STREAM_FROM_BYTES = 64 << 20  # larger files go to a stream reader when their format has one
OK = ("imported", "skipped", "duplicate")


@dataclass
class Outcome:
    path: str
    status: str  # imported | skipped | duplicate | failed
    format: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    message: str = ""

    def line(self) -> str:
        # paths come from the user's folders and archives: a name must not print a second line
        # or a terminal escape
        return f"{self.status:9} {detect.shown(self.path, 4096)}: {detect.shown(self.message, 4096)}"


Progress = Callable[[Outcome, int], None]  # (outcome, files done so far)


def describe_rows(rows: dict[str, int]) -> str:
    words = {
        "sleep_sessions": "nights",
        "sleep_stages": "stages",
        "activities": "workouts",
        "daily_activity": "days of activity",
        "doses": "doses",
        "checkins": "check-ins",
    }
    parts = [f"{n} {words.get(t, t)}" for t, n in rows.items() if n]
    return ", ".join(parts) if parts else "no rows"


def _first_line(data: bytes) -> str:
    line = data[:200].split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
    printable = "".join(ch if ch.isprintable() else "?" for ch in line)
    return printable[:80]


class _Ledger:
    def __init__(self, table: pl.DataFrame) -> None:
        ok = table.filter(pl.col("status").is_in(OK))
        self.by_sha: dict[str, str] = dict(zip(ok["sha256"], ok["path"], strict=False))
        self.by_stat = {
            (p, s, m)
            for p, s, m in zip(ok["path"], ok["size"], ok["mtime_ns"], strict=False)
            if m is not None
        }


def read_one(fmt: Format, data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    try:
        return fmt.read(data, name, ctx)
    except ImportRefused:
        raise
    except Exception as exc:  # a reader bug must not sink the rest of the import
        raise ImportRefused(
            f"could not be read as {fmt.name} ({type(exc).__name__}: {exc}); "
            "this is a bug in taperdash, please report it"
        ) from exc


def read_stream_one(fmt: Format, path: Path, name: str, ctx: ReadContext) -> ImportResult:
    """Files too large to hold in memory (Apple Health's export.xml) go to a stream reader."""
    assert fmt.read_stream is not None
    try:
        with path.open("rb") as fh:
            return fmt.read_stream(fh, name, ctx, None)
    except (ImportRefused, OSError):
        raise
    except Exception as exc:
        raise ImportRefused(
            f"could not be read as {fmt.name} ({type(exc).__name__}: {exc}); "
            "this is a bug in taperdash, please report it"
        ) from exc


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _key(entry: detect.Entry) -> str:
    return str(entry.fs_path.resolve()) if entry.fs_path else entry.display


def import_paths(
    store: Store,
    paths: Iterable[str],
    ctx: ReadContext,
    fmt_name: str = "auto",
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> list[Outcome]:
    registry = formats()
    from importers.vendors import generic

    # sniffers see only a file's head: the generic CSV sniffer learns the mappings here
    generic.configure(ctx.options.get("generic_csv") or {})
    if fmt_name != "auto" and fmt_name not in registry:
        from dashboard.core.errors import UserError

        raise UserError(f"--format {fmt_name!r}: unknown; known: auto, {', '.join(sorted(registry))}")
    now = now or dt.datetime.now(dt.UTC)
    store.ensure()
    ledger = _Ledger(store.read("imports"))
    outcomes: list[Outcome] = []
    batch = _Batch()

    def done(out: Outcome, entry: detect.Entry | None, sha: str | None) -> None:
        outcomes.append(out)
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
                    "message": out.message,
                }
            )
        if progress:
            progress(out, len(outcomes))

    for entry in detect.walk(list(paths)):
        if entry.error:
            done(Outcome(entry.display, "failed", message=entry.error), entry, None)
            continue
        if entry.fs_path and (_key(entry), entry.size, entry.mtime_ns) in ledger.by_stat:
            outcomes.append(Outcome(entry.display, "duplicate", message="already imported (unchanged)"))
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
            done(Outcome(entry.display, "failed", message=f"cannot read: {exc.strerror or exc}"), entry, None)
            continue
        if sha in ledger.by_sha or sha in batch.shas:
            seen = ledger.by_sha.get(sha) or batch.shas[sha]
            same = "" if seen == _key(entry) else f" (same content as {seen})"
            done(Outcome(entry.display, "duplicate", message=f"already imported{same}"), entry, sha)
            ledger.by_sha.setdefault(sha, _key(entry))
            continue
        if not head:
            done(Outcome(entry.display, "failed", message="empty file"), entry, sha)
            continue
        fmt = registry[fmt_name] if fmt_name != "auto" else detect.sniff(name, head[:HEAD_BYTES], registry)
        if fmt is None:
            tried = ", ".join(sorted(registry))
            begins = f"it begins: {_first_line(head)!r}"
            if entry.explicit:
                done(Outcome(entry.display, "failed", message=f"unrecognised format (tried {tried}); {begins}"), entry, sha)
            else:
                # exports hold many files taperdash has no use for; only a named file must be data
                done(Outcome(entry.display, "skipped", message=f"not a format taperdash reads; {begins}"), entry, sha)
            continue
        try:
            if stream and fmt.read_stream is not None:
                assert entry.fs_path is not None
                result = read_stream_one(fmt, entry.fs_path, Path(name).name, ctx)
            else:
                data = head if not stream else entry.load()
                result = read_one(fmt, data, Path(name).name, ctx)
            tables = _validate(result)
        except ImportRefused as exc:
            done(Outcome(entry.display, "failed", fmt.name, message=str(exc)), entry, sha)
            continue
        except OSError as exc:
            done(Outcome(entry.display, "failed", fmt.name, message=f"cannot read: {exc.strerror or exc}"), entry, sha)
            continue
        if result.skipped:
            done(Outcome(entry.display, "skipped", fmt.name, message=result.skipped), entry, sha)
            batch.shas[sha] = _key(entry)
            continue
        rows = {t: f.height for t, f in tables.items() if f.height}
        msg = describe_rows(rows)
        if result.warnings:
            msg += f"; {len(result.warnings)} warning(s): " + " | ".join(result.warnings[:3])
        batch.add(tables)
        batch.shas[sha] = _key(entry)
        done(Outcome(entry.display, "imported", fmt.name, rows, msg), entry, sha)
        if batch.size >= COMMIT_EVERY_ROWS:
            batch.commit(store, now)
    batch.commit(store, now)
    return outcomes


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
                merge_into(tx, table, pl.concat(parts, how="vertical_relaxed"), now)
            if self.ledger:
                tx.put("imports", pl.concat([tx.read("imports"), pl.DataFrame(self.ledger, schema=IMPORTS)]))
        self.frames, self.ledger, self.size = {}, [], 0


def merge_into(tx: Transaction, table: str, new: pl.DataFrame, now: dt.datetime) -> None:
    if table == "doses":
        existing = tx.read("doses")
        tx.put("doses", pl.concat([existing, doses_mod.merge_new(existing, new, now)]))
        return
    if table == "checkins":
        existing = tx.read("checkins")
        new = new.unique("date", keep="last", maintain_order=True)
        tx.put("checkins", pl.concat([existing.join(new.select("date"), on="date", how="anti"), new]).sort("date"))
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


def _combine_days(existing: pl.DataFrame, new: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Rows for a day already stored keep the larger running totals and any value the new
    file lacks: a watch writes partial-day totals, and files may come in any order."""
    new = new.group_by(keys, maintain_order=True).agg(
        pl.col("steps").max(), pl.col("active_min").max(), pl.col("resting_hr").last(), pl.col("stress").last()
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
