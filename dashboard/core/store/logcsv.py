"""taperdash's own dose and check-in CSVs: what `export` writes and `import` reads back.

doses.csv:    id,taken_at,grams,strain,form,potency,note,deleted
              (taken_at ISO 8601 with the local offset, e.g. 2026-08-03T08:30:00+02:00, and
              its microseconds when it has any: 2026-08-03T08:30:00.250000+02:00)
checkins.csv: date,sows_<item>...,withdrawal_score,cravings,mood,insomnia,supplements,
              exercise,mindfulness,support,triggers,note   (lists joined with ";")

A spreadsheet log only needs taken_at and grams (doses) or date (check-ins). `export --format
parquet` writes doses.parquet / checkins.parquet, which `import` reads back too (by name).
Export then import is the identity: into the same home it adds and changes nothing; into a
fresh home the doses and check-ins compare equal (the file's ids are kept where the home has
not used them; the CSV has no created_at/updated_at, so those are the import's time). Text cells that
a spreadsheet would run as a formula (=, +, -, @ first) are written with a leading quote.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from dashboard.core.errors import InvalidDose
from dashboard.core.store.doses import MAX_GRAMS, MAX_POTENCY, parse_grams
from dashboard.core.store.files import write_private
from dashboard.core.store.schema import CHECKINS, DOSES, FORMS, LIFESTYLE, SOWS_COLUMNS
from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register

DOSE_COLUMNS = ("id", "taken_at", "grams", "strain", "form", "potency", "note", "deleted")
CHECKIN_COLUMNS = (
    "date",
    *SOWS_COLUMNS,
    "withdrawal_score",
    "cravings",
    "mood",
    "insomnia",
    "supplements",
    *LIFESTYLE,
    "triggers",
    "note",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(expr: pl.Expr) -> pl.Expr:
    """Spreadsheets run a cell starting with = + - @ as a formula: prefix such text with '."""
    risky = expr.str.starts_with("'") | expr.str.contains(r"^[=+\-@\t\r]")
    return pl.when(risky).then(pl.lit("'") + expr).otherwise(expr).name.keep()


def doses_to_csv(doses: pl.DataFrame) -> bytes:
    local = pl.col("taken_at").dt.replace_time_zone(None) + pl.duration(
        minutes=pl.col("utc_offset_min").fill_null(0)
    )
    off = pl.col("utc_offset_min").fill_null(0)
    sign = pl.when(off < 0).then(pl.lit("-")).otherwise(pl.lit("+"))
    hh = (off.abs() // 60).cast(pl.String).str.zfill(2)
    mm = (off.abs() % 60).cast(pl.String).str.zfill(2)
    # the microseconds too, where there are any: without them a re-import no longer matched
    # the stored dose and added a copy
    us = local.dt.microsecond()
    frac = pl.when(us != 0).then("." + us.cast(pl.String).str.zfill(6)).otherwise(pl.lit(""))
    out = doses.sort("taken_at", "id").select(
        "id",
        (local.dt.strftime("%Y-%m-%dT%H:%M:%S") + frac + sign + hh + ":" + mm).alias("taken_at"),
        "grams",
        neutralise(pl.col("strain")).alias("strain"),
        neutralise(pl.col("form")).alias("form"),  # a vocabulary, but the file may say anything
        "potency",
        neutralise(pl.col("note")).alias("note"),
        pl.col("deleted").fill_null(False),
    )
    return out.write_csv().encode("utf-8")


def checkins_to_csv(checkins: pl.DataFrame) -> bytes:
    out = checkins.sort("date").select(
        pl.col("date").cast(pl.String),
        *SOWS_COLUMNS,
        "withdrawal_score",
        "cravings",
        "mood",
        "insomnia",
        neutralise(pl.col("supplements").list.join(";")).alias("supplements"),
        *LIFESTYLE,
        neutralise(pl.col("triggers").list.join(";")).alias("triggers"),
        neutralise(pl.col("note")).alias("note"),
    )
    return out.write_csv().encode("utf-8")


def table_to_csv(frame: pl.DataFrame) -> bytes:
    text_cols = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(neutralise(pl.col(c)) for c in text_cols).write_csv().encode("utf-8")


def export(tables: dict[str, pl.DataFrame], out: Path, fmt: str) -> list[Path]:
    from dashboard.core.store.files import make_private_dir

    make_private_dir(out)
    written: list[Path] = []
    for name, frame in tables.items():
        if fmt == "parquet":
            buf = io.BytesIO()
            frame.write_parquet(buf)
            path, data = out / f"{name}.parquet", buf.getvalue()
        elif name == "doses":
            path, data = out / "doses.csv", doses_to_csv(frame)
        elif name == "checkins":
            path, data = out / "checkins.csv", checkins_to_csv(frame)
        else:
            path, data = (
                out / f"{name}.csv",
                table_to_csv(frame.with_columns(pl.col(pl.List(pl.String)).list.join(";"))),
            )
        write_private(path, data)
        written.append(path)
    return written


# -- reading ---------------------------------------------------------------------------


def _read(data: bytes, name: str) -> pl.DataFrame:
    try:
        text = data.decode("utf-8-sig", errors="strict") if data else ""
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8 CSV"
        ) from None
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise ImportRefused(f"{name}: not a readable CSV ({str(exc).splitlines()[0]})") from None


def _header(head: bytes) -> list[str]:
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return [c.strip().strip('"').lower() for c in first[0].split(",")] if first else []


def _saw(frame: pl.DataFrame) -> str:
    """The columns a file has, for a one-line message: a quoted header cell may hold newlines."""
    text = ", ".join(frame.columns)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= 160 else text[:159] + "…"


def _unstrip(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if value.startswith("'") and len(value) > 1 and value[1] in "=+-@\t\r'":
        return value[1:]
    return value or None


def _float(value: str | None, col: str, line: int, name: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        out = float(value.strip().replace(",", "."))
    except ValueError:
        raise ImportRefused(f"{name}: line {line}, {col}: not a number: {value!r}") from None
    if not math.isfinite(out):
        raise ImportRefused(f"{name}: line {line}, {col}: not a finite number: {value!r}")
    return out


def _bool(value: str | None, col: str, line: int, name: str) -> bool | None:
    if value is None or not value.strip():
        return None
    v = value.strip().lower()
    if v in ("true", "1", "yes", "y", "x"):
        return True
    if v in ("false", "0", "no", "n"):
        return False
    raise ImportRefused(f"{name}: line {line}, {col}: expected true/false, got {value!r}")


def _records(
    frame: pl.DataFrame, cols: dict[str, str]
) -> Iterator[tuple[int, Callable[[str], str | None]]]:
    """(line in the file, a getter by lower-case column name) of each row that is not blank
    (spreadsheets leave blank lines at the end)."""
    for i, rec in enumerate(frame.iter_rows(named=True)):
        if all(v is None or not v.strip() for v in rec.values()):
            continue

        def get(col: str, rec: dict[str, str | None] = rec) -> str | None:
            return rec.get(cols[col]) if col in cols else None

        yield i + 2, get


def read_doses(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    frame = _read(data, name)
    cols = {c.strip().lower(): c for c in frame.columns}
    for need in ("taken_at", "grams"):
        if need not in cols:
            raise ImportRefused(f"{name}: no {need} column (saw: {_saw(frame)})")
    rows = []
    warnings: list[str] = []
    for line, get in _records(frame, cols):
        try:
            raw_at = (get("taken_at") or "").strip()
            try:
                at = dt.datetime.fromisoformat(raw_at)
            except ValueError:
                raise ImportRefused(
                    f"{name}: line {line}, taken_at: not an ISO 8601 time: {raw_at!r}"
                ) from None
            if at.tzinfo is None:
                at = at.replace(tzinfo=ctx.tz)
            # read as Today's form and `taperdash log` read grams: `1,000` is refused, not 1.0
            try:
                grams = parse_grams(get("grams") or "")
            except InvalidDose as exc:
                raise ImportRefused(f"{name}: line {line}, grams: {exc}") from None
            if grams <= 0 or grams > MAX_GRAMS:
                raise ImportRefused(
                    f"{name}: line {line}, grams: must be more than 0 and at most 100, got {get('grams')!r}"
                )
            form = (get("form") or "powder").strip().lower() or "powder"
            if form not in FORMS:
                raise ImportRefused(
                    f"{name}: line {line}, form: expected one of {', '.join(FORMS)}, got {form!r}"
                )
            potency = _float(get("potency"), "potency", line, name)
            potency = 1.0 if potency is None else potency  # 0 is a mistake, not "unset"
            if not 0 < potency <= MAX_POTENCY:
                raise ImportRefused(
                    f"{name}: line {line}, potency: must be more than 0 and at most"
                    f" {MAX_POTENCY:g}, got {get('potency')!r}"
                )
            raw_id = (get("id") or "").strip()
            # the id is a hint (merge_new keeps a file's ids only where they are all free)
            id_ = int(raw_id) if raw_id.isascii() and raw_id.isdigit() else None
            deleted = _bool(get("deleted"), "deleted", line, name) or False
        except ImportRefused as exc:
            if not ctx.skip_bad_rows:
                raise
            warnings.append(str(exc))
            continue
        rows.append(
            {
                "id": id_,
                "taken_at": at.astimezone(dt.UTC),
                "utc_offset_min": int(at.utcoffset().total_seconds() // 60),  # type: ignore[union-attr]
                "grams": grams,
                "strain": _unstrip(get("strain")),
                "form": form,
                "potency": potency,
                "note": _unstrip(get("note")),
                "deleted": deleted,
            }
        )
    from importers.model import conform, empty

    # no rows (a header alone, as `export` writes for an empty table): conform would make one
    # row of nulls out of a frame without columns
    out = (
        conform(pl.DataFrame(rows, schema={k: DOSES[k] for k in rows[0]}), DOSES)
        if rows
        else empty(DOSES)
    )
    return ImportResult("taperdash-doses", {"doses": out}, warnings)


def read_checkins(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    frame = _read(data, name)
    cols = {c.strip().lower(): c for c in frame.columns}
    if "date" not in cols:
        raise ImportRefused(f"{name}: no date column (saw: {_saw(frame)})")
    ranges = {**{c: 4 for c in SOWS_COLUMNS}, "cravings": 10, "mood": 10, "insomnia": 4}
    rows = []
    warnings: list[str] = []
    for line, get in _records(frame, cols):
        try:
            try:
                day = dt.date.fromisoformat((get("date") or "").strip())
            except ValueError:
                raise ImportRefused(
                    f"{name}: line {line}, date: not a date (YYYY-MM-DD): {get('date')!r}"
                ) from None
            row: dict = {"date": day}
            for col, hi in ranges.items():
                v = _float(get(col), col, line, name)
                if v is not None and (v != int(v) or not 0 <= v <= hi):
                    raise ImportRefused(
                        f"{name}: line {line}, {col}: must be a whole number 0 to {hi}, got {get(col)!r}"
                    )
                row[col] = None if v is None else int(v)
            for col in LIFESTYLE:
                row[col] = _bool(get(col), col, line, name)
            for col in ("supplements", "triggers"):
                raw = _unstrip(get(col))
                row[col] = [s.strip() for s in raw.split(";") if s.strip()] if raw else None
            row["note"] = _unstrip(get("note"))
        except ImportRefused as exc:
            if not ctx.skip_bad_rows:
                raise
            warnings.append(str(exc))
            continue
        answered = [row[c] for c in SOWS_COLUMNS if row[c] is not None]
        row["withdrawal_score"] = sum(answered) if answered else None
        rows.append(row)
    from importers.model import conform, empty

    out = (
        conform(pl.DataFrame(rows, schema={k: CHECKINS[k] for k in rows[0]}), CHECKINS)
        if rows
        else empty(CHECKINS)
    ).unique("date", keep="last", maintain_order=True)
    return ImportResult("taperdash-checkins", {"checkins": out}, warnings)


def _parquet(data: bytes, name: str, schema: pl.Schema, need: tuple[str, ...]) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # a damaged file: polars/pyarrow raise many kinds
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportRefused(f"{name}: not a readable Parquet file ({first[:120]})") from None
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ImportRefused(f"{name}: no {missing[0]} column (saw: {_saw(frame)})")
    from importers.model import conform

    try:
        return conform(frame.select([c for c in frame.columns if c in schema]), schema)
    except pl.exceptions.PolarsError as exc:
        first = str(exc).splitlines()[0]
        raise ImportRefused(f"{name}: values do not fit the table ({first})") from None


def _first_bad(frame: pl.DataFrame, bad: pl.Expr) -> int | None:
    hits = frame.with_row_index("_line").filter(bad.fill_null(True))["_line"]
    return None if hits.is_empty() else int(hits[0]) + 1


def read_doses_parquet(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    frame = _parquet(data, name, DOSES, ("taken_at", "grams"))
    checks = {
        "taken_at: empty": pl.col("taken_at").is_null(),
        "grams: must be more than 0 and at most 100": ~pl.col("grams").is_between(
            0, 100, closed="right"
        ),
        f"form: expected one of {', '.join(FORMS)}": ~pl.col("form")
        .fill_null("powder")
        .is_in(list(FORMS)),
        f"potency: must be more than 0 and at most {MAX_POTENCY:g}": ~pl.col("potency")
        .fill_null(1.0)
        .is_between(0, MAX_POTENCY, closed="right"),
        "utc_offset_min: not a UTC offset": ~pl.col("utc_offset_min")
        .fill_null(0)
        .is_between(-18 * 60, 18 * 60),
    }
    for what, bad in checks.items():
        if (row := _first_bad(frame, bad)) is not None:
            raise ImportRefused(f"{name}: row {row}, {what}")
    frame = frame.with_columns(
        pl.col("utc_offset_min").fill_null(0),
        pl.col("form").fill_null("powder"),
        pl.col("potency").fill_null(1.0),
        pl.col("deleted").fill_null(False),
    )
    return ImportResult("taperdash-doses-parquet", {"doses": frame}, [])


def read_checkins_parquet(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    frame = _parquet(data, name, CHECKINS, ("date",))
    ranges = {**{c: 4 for c in SOWS_COLUMNS}, "cravings": 10, "mood": 10, "insomnia": 4}
    if (row := _first_bad(frame, pl.col("date").is_null())) is not None:
        raise ImportRefused(f"{name}: row {row}, date: empty")
    for col, hi in ranges.items():
        bad = pl.col(col).is_not_null() & ~pl.col(col).is_between(0, hi)
        if (row := _first_bad(frame, bad.fill_null(False))) is not None:
            raise ImportRefused(f"{name}: row {row}, {col}: must be a whole number 0 to {hi}")
    answered = [pl.col(c).cast(pl.Int16) for c in SOWS_COLUMNS]
    frame = frame.with_columns(
        pl.when(pl.any_horizontal(pl.col(SOWS_COLUMNS).is_not_null()))
        .then(pl.sum_horizontal(answered))
        .otherwise(None)
        .cast(CHECKINS["withdrawal_score"])
        .alias("withdrawal_score")
    ).unique("date", keep="last", maintain_order=True)
    return ImportResult("taperdash-checkins-parquet", {"checkins": frame}, [])


def _sniff_parquet(stem: str) -> Callable[[str, bytes], bool]:
    def sniff(name: str, head: bytes) -> bool:
        base = Path(name.replace("\\", "/").rsplit("!", 1)[-1]).name.lower()
        return head.startswith(b"PAR1") and base == f"{stem}.parquet"

    return sniff


def _sniff_doses(name: str, head: bytes) -> bool:
    h = _header(head)
    return "taken_at" in h and "grams" in h


def _sniff_checkins(name: str, head: bytes) -> bool:
    h = _header(head)
    # only taperdash's own columns: a spreadsheet with a "Date" and a "Mood" beside columns of
    # its own (or dates that are not ISO) is the checkin-sheet format's
    return (
        "date" in h
        and any(c in h for c in ("withdrawal_score", "cravings", "mood", *SOWS_COLUMNS))
        and set(h) <= {*CHECKIN_COLUMNS, ""}
        and _first_date_is_iso(head, h.index("date"))
    )


def _first_date_is_iso(head: bytes, col: int) -> bool:
    lines = [x for x in head.decode("utf-8-sig", errors="replace").splitlines() if x.strip()]
    if len(lines) < 2:
        return True  # a header alone: nothing to tell it by
    cells = lines[1].split(",")
    return col < len(cells) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", cells[col]) is not None


register(Format("taperdash-doses", "taperdash dose log CSV", _sniff_doses, read_doses))
register(Format("taperdash-checkins", "taperdash check-in CSV", _sniff_checkins, read_checkins))
register(
    Format(
        "taperdash-doses-parquet",
        "taperdash dose table as Parquet (doses.parquet, from export --format parquet)",
        _sniff_parquet("doses"),
        read_doses_parquet,
    )
)
register(
    Format(
        "taperdash-checkins-parquet",
        "taperdash check-in table as Parquet (checkins.parquet)",
        _sniff_parquet("checkins"),
        read_checkins_parquet,
    )
)
