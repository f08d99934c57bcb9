"""The dose log: validation, append, edit and soft delete. Every write is one transaction."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import polars as pl

from dashboard.core.clock import SKEW
from dashboard.core.errors import InvalidDose
from dashboard.core.scalars import as_float, as_int
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import DOSES, FORMS

MAX_GRAMS = 100.0  # more in one dose is refused unless forced: almost surely a typo
MAX_POTENCY = 50.0  # leaf-gram equivalents per gram: an extract is strong, not 50x stronger
# A new dose this many times the largest of the same form in the last four weeks is asked about
# before it is stored: a slipped decimal point is 10x, a hard day's larger dose rarely 5x.
ODD_FACTOR = 5.0
ODD_LOOKBACK = dt.timedelta(days=28)
ODD_MIN_DOSES = 3  # fewer doses of that form recently: no yardstick, no question


# Digits (ASCII only: float() would also take Arabic-Indic or full-width ones) with at most one
# decimal mark, a point or a comma, and an optional unit. Nothing else: no exponents, no
# nan/inf, no thousands separators.
_GRAMS = re.compile(
    r"([+-]?)(\d+(?:[.,]\d*)?|[.,]\d+)\s*(?:g|gr|grams?)?", re.ASCII | re.IGNORECASE
)


def parse_grams(text: str) -> float:
    """The grams a person typed, read the same way by the CLI and by Today's form.

    `2,5` and `2.5` are both 2.5 (a decimal comma is what half of Europe types); `2.5g` and
    ` 3 ` are fine. A comma followed by exactly three digits (`1,000`, `2,500`) is refused: it
    is a thousands separator to some and a decimal comma to others, and a dose read 1000x
    wrong must never be stored. The sign is kept, so `-1` gets validate()'s "more than 0".
    """
    raw = text.strip()
    if not raw:
        raise InvalidDose("type the grams, e.g. 3.5")
    m = _GRAMS.fullmatch(raw)
    shown = raw if len(raw) <= 20 else raw[:19] + "…"
    if m is None:
        raise InvalidDose(f"not a number of grams: {shown!r} (type digits, e.g. 3.5 or 3,5)")
    sign, number = m.groups()
    if re.fullmatch(r"\d+,\d{3}", number, re.ASCII):
        raise InvalidDose(
            f"{shown!r} is ambiguous (thousands or decimals?): type it with a point"
            f" ({number.replace(',', '.')}) or without the comma ({number.replace(',', '')})"
        )
    return float(sign + number.replace(",", "."))


@dataclass(frozen=True)
class DoseInput:
    grams: float
    taken_at: dt.datetime  # aware, UTC
    utc_offset_min: int
    strain: str | None = None
    form: str = "powder"
    potency: float = 1.0
    note: str | None = None


def validate(d: DoseInput, now: dt.datetime, force: bool = False) -> DoseInput:
    if not math.isfinite(d.grams) or d.grams <= 0:
        raise InvalidDose(f"grams must be more than 0, got {d.grams:g}")
    if d.grams > MAX_GRAMS and not force:
        raise InvalidDose(
            f"{d.grams:g} g in one dose is over {MAX_GRAMS:g} g: a typo? (--force to log it)"
        )
    if d.taken_at > now + SKEW:
        local = d.taken_at.astimezone(dt.timezone(dt.timedelta(minutes=d.utc_offset_min)))
        raise InvalidDose(f"the time {local.isoformat(timespec='minutes')} is in the future")
    if d.form not in FORMS:
        raise InvalidDose(f"form must be one of {', '.join(FORMS)}, got {d.form!r}")
    if not math.isfinite(d.potency) or not 0 < d.potency <= MAX_POTENCY:
        raise InvalidDose(
            f"potency must be a leaf-gram factor between 0 and {MAX_POTENCY:g}, got {d.potency:g}"
        )
    return d


def out_of_line(d: DoseInput, logged: pl.DataFrame) -> str | None:
    """Why `d` looks like a typo beside the live doses of its form in the four weeks before
    it (`logged` is the doses table), or None. Within one form: a gram of extract is not a
    gram of leaf, and a switch of form is not a typo."""
    recent = logged.filter(
        ~pl.col("deleted"),
        pl.col("form") == d.form,
        pl.col("taken_at").is_between(d.taken_at - ODD_LOOKBACK, d.taken_at),
    )["grams"]
    if recent.len() < ODD_MIN_DOSES:
        return None
    largest = as_float(recent.max())
    if largest is None or d.grams <= ODD_FACTOR * largest:
        return None
    why = (
        f"{d.grams:g} g is {d.grams / largest:.0f}x the largest {d.form} dose"
        f" of the four weeks before ({largest:g} g)"
    )
    tenth = round(d.grams / 10, 3)
    return why + (f": a typo for {tenth:g} g?" if tenth <= ODD_FACTOR * largest else ": a typo?")


def clean_text(value: str | None) -> str | None:
    """Strain and note as stored: without surrounding blanks, None when nothing is left (so a
    CSV round trip, which cannot tell "  " from "", gives back what is stored)."""
    if value is None:
        return None
    return value.strip() or None


def _row(id_: int, d: DoseInput, now: dt.datetime) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "id": id_,
                "taken_at": d.taken_at,
                "utc_offset_min": d.utc_offset_min,
                "grams": float(d.grams),
                "strain": clean_text(d.strain),
                "form": d.form,
                "potency": float(d.potency),
                "note": clean_text(d.note),
                "created_at": now,
                "updated_at": now,
                "deleted": False,
            }
        ],
        schema=DOSES,
    )


def add(store: Store, d: DoseInput, now: dt.datetime) -> int:
    with store.transaction() as tx:
        doses = tx.read("doses")
        id_ = (as_int(doses["id"].max()) or 0) + 1
        tx.put("doses", pl.concat([doses, _row(id_, d, now)]))
    return id_


DOSE_KEY = ("minute", "grams_key")


def dose_keys(doses: pl.DataFrame) -> pl.DataFrame:
    """A dose as a spreadsheet knows it: the minute it was taken and the grams (to the mg)."""
    return doses.select(
        pl.col("taken_at").dt.truncate("1m").alias("minute"),
        pl.col("grams").round(3).alias("grams_key"),
    )


MATCH = ("taken_at", "grams")  # a dose in a file is a stored dose when these are equal


def merge_new(existing: pl.DataFrame, incoming: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """The rows of `incoming` (a file's doses) that the store does not hold yet.

    A file's dose is the stored dose with the same time (to the microsecond) and grams, live or
    deleted, or, for a time on a whole minute (a spreadsheet's), the same minute and grams: importing an export into its own home adds nothing, and a dose deleted here is not
    brought back by an older file. Counted, not just matched: a file with the same dose twice,
    into a home holding it once, adds the second. The file's ids are kept when every new row
    has one that the store never used (a fresh home gets the ids its export had), else the
    new rows are numbered after the largest id; created_at/updated_at are kept when the file
    has them (Parquet), else they are now.
    """
    seen = existing.group_by(MATCH).agg(pl.len().alias("_have"))
    new = (
        incoming.with_columns(pl.int_range(pl.len()).over(MATCH).alias("_nth"))
        .join(seen, on=list(MATCH), how="left")
        .filter(pl.col("_nth") >= pl.col("_have").fill_null(0))
        .drop("_nth", "_have")
    )
    # A spreadsheet gives whole minutes while `taperdash log` keeps seconds: a file's dose on a
    # whole minute is also the stored dose of that minute and grams (4800 mg / 1000 meets 4.8).
    on_minute = (pl.col("taken_at").dt.truncate("1m") == pl.col("taken_at")).alias("_on_minute")
    stored_minutes = dose_keys(existing).unique()
    keyed = pl.concat([new, dose_keys(new)], how="horizontal").with_columns(on_minute)
    new = keyed.join(
        stored_minutes.with_columns(pl.lit(True).alias("_stored")), on=list(DOSE_KEY), how="left"
    ).filter(~(pl.col("_on_minute") & pl.col("_stored").fill_null(False)))
    new = new.drop(*DOSE_KEY, "_on_minute", "_stored")
    ids = new["id"] if "id" in new.columns else pl.Series("id", [None] * new.height)
    used = set(existing["id"].to_list())
    keep_ids = (
        new.height > 0
        and ids.null_count() == 0
        and ids.n_unique() == new.height
        and bool((ids > 0).all())
        and not used.intersection(ids.to_list())
    )
    start = (as_int(existing["id"].max()) or 0) + 1
    stamp = {
        col: pl.coalesce(pl.col(col), pl.lit(now, dtype=DOSES[col]))
        if col in new.columns
        else pl.lit(now, dtype=DOSES[col])
        for col in ("created_at", "updated_at")
    }
    return new.with_columns(
        pl.col("id").cast(pl.Int64)
        if keep_ids
        else pl.int_range(start, start + new.height, dtype=pl.Int64).alias("id"),
        stamp["created_at"].alias("created_at"),
        stamp["updated_at"].alias("updated_at"),
        pl.col("deleted").fill_null(False),
    ).select(list(DOSES))


def _require(doses: pl.DataFrame, id_: int) -> None:
    match = doses.filter(pl.col("id") == id_)
    if match.is_empty():
        raise InvalidDose(f"no dose with id {id_}")
    if match["deleted"].fill_null(False).any():
        raise InvalidDose(f"dose {id_} is already deleted")


def delete(store: Store, id_: int, now: dt.datetime) -> None:
    with store.transaction() as tx:
        doses = tx.read("doses")
        _require(doses, id_)
        tx.put(
            "doses",
            doses.with_columns(
                pl.when(pl.col("id") == id_)
                .then(True)
                .otherwise(pl.col("deleted"))
                .alias("deleted"),
                pl.when(pl.col("id") == id_)
                .then(pl.lit(now, dtype=DOSES["updated_at"]))
                .otherwise(pl.col("updated_at"))
                .alias("updated_at"),
            ),
        )


def undelete(store: Store, id_: int, now: dt.datetime) -> dict[str, object]:
    """Undoes a (soft) delete; the dose's row as it is now."""
    with store.transaction() as tx:
        doses = tx.read("doses")
        match = doses.filter(pl.col("id") == id_)
        if match.is_empty():
            raise InvalidDose(f"no dose with id {id_}")
        if not match["deleted"].fill_null(False).any():
            raise InvalidDose(f"dose {id_} is not deleted")
        restored = doses.with_columns(
            pl.when(pl.col("id") == id_).then(False).otherwise(pl.col("deleted")).alias("deleted"),
            pl.when(pl.col("id") == id_)
            .then(pl.lit(now, dtype=DOSES["updated_at"]))
            .otherwise(pl.col("updated_at"))
            .alias("updated_at"),
        )
        tx.put("doses", restored)
    return restored.filter(pl.col("id") == id_).row(0, named=True)


def edit(
    store: Store, id_: int, changes: dict[str, object], now: dt.datetime, force: bool = False
) -> None:
    with store.transaction() as tx:
        doses = tx.read("doses")
        _require(doses, id_)
        old = doses.filter(pl.col("id") == id_).row(0, named=True)
        merged = {**old, **changes}
        d = validate(
            DoseInput(
                grams=float(merged["grams"]),
                taken_at=merged["taken_at"],
                utc_offset_min=int(merged["utc_offset_min"] or 0),
                strain=merged["strain"],
                form=merged["form"] or "powder",
                potency=float(merged["potency"] or 1.0),
                note=merged["note"],
            ),
            now,
            force,
        )
        # 2.5 corrected to 25 is the same slip as 25 logged for 2.5
        if not force and "grams" in changes:
            others = doses.filter(pl.col("id") != id_)
            if why := out_of_line(d, others):
                raise InvalidDose(f"{why} (--force to change it)")
        merged["updated_at"] = now
        merged["strain"], merged["note"] = clean_text(merged["strain"]), clean_text(merged["note"])
        row = pl.DataFrame([merged], schema=DOSES)
        tx.put("doses", pl.concat([doses.filter(pl.col("id") != id_), row]).sort("id"))


def live(doses: pl.DataFrame) -> pl.DataFrame:
    return doses.filter(~pl.col("deleted").fill_null(False))
