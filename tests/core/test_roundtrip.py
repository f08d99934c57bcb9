"""Export then import is the identity (issue 20, point 3): `export` once dropped the microseconds
of taken_at, so importing the export into its own home added a live copy of a dose and brought
deleted doses back as new deleted copies.

Into the same home: the doses and check-ins do not change at all (ids, created_at, updated_at
included). Into a fresh home: they compare equal; from CSV, created_at/updated_at aside (the
CSV does not carry them: they are the import's time), from Parquet with nothing aside. The
ids are kept, because a fresh home has used none of them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from dashboard.cli import main
from dashboard.core.store import checkins, doses, ingest, logcsv
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import LIFESTYLE, SOWS_ITEMS
from dashboard.core.store.vocab import FORMS
from importers.registry import ReadContext

NOW = dt.datetime(2026, 12, 5, 13, 0, tzinfo=dt.UTC)  # the pinned TAPERDASH_NOW
OFFSETS = [0, 60, 120, 345, -570, 840, -720, 330, -180]  # +05:45, -09:30, +14:00 among them
EDGE_TEXT = [
    "Red, Bali",
    'say "hi"',
    "two\nlines",
    "cr\r\nlf",
    "=1+2",
    "'quoted",
    "-",
    "@home",
    "Ümlaut 😀",
    "a;b",
    " padded ",
    "\u2028",
    "",
]
TEXT = st.one_of(st.none(), st.sampled_from(EDGE_TEXT), st.text(max_size=12))

taken = st.builds(
    lambda day, us, off: (
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=day, microseconds=us),
        off,
    ),
    st.integers(0, 700),
    st.one_of(st.just(0), st.integers(0, 86_400 * 10**6 - 1)),
    st.sampled_from(OFFSETS),
)
dose = st.builds(
    lambda t, grams, strain, note, form, potency: doses.DoseInput(
        grams=grams,
        taken_at=t[0],
        utc_offset_min=t[1],
        strain=strain,
        form=form,
        potency=potency,
        note=note,
    ),
    taken,
    st.one_of(st.sampled_from([2.5, 3.0, 0.1 + 0.2]), st.floats(0.001, 100)),
    TEXT,
    TEXT,
    st.sampled_from(FORMS),
    st.one_of(st.just(1.0), st.floats(0.01, 50)),
)
op = st.one_of(
    st.tuples(st.just("add"), dose),
    st.tuples(st.just("add"), dose),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("edit"), st.integers(0, 30), st.floats(0.01, 99), TEXT),
    st.tuples(st.just("again"), st.integers(0, 30)),  # the same time and grams once more
)
checkin = st.builds(
    lambda day, sows, cravings, mood, insomnia, supps, flags, triggers, note: checkins.CheckinInput(
        date=dt.date(2026, 11, 1) + dt.timedelta(days=day),
        sows=sows,
        cravings=cravings,
        mood=mood,
        insomnia=insomnia,
        supplements=tuple(supps),
        lifestyle=flags,
        triggers=tuple(triggers),
        note=note,
    ),
    st.integers(0, 30),
    st.dictionaries(st.sampled_from(list(SOWS_ITEMS)), st.integers(0, 4), max_size=4),
    st.one_of(st.none(), st.integers(0, 10)),
    st.one_of(st.none(), st.integers(0, 10)),
    st.one_of(st.none(), st.integers(0, 4)),
    st.lists(st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=8)), max_size=3),
    st.dictionaries(st.sampled_from(list(LIFESTYLE)), st.booleans()),
    st.lists(st.sampled_from(EDGE_TEXT), max_size=2),
    TEXT,
)


def build(home: Path, ops: list[tuple], days: list[checkins.CheckinInput]) -> None:
    store = Store(home)
    store.ensure()
    added: list[tuple[int, doses.DoseInput]] = []
    for step in ops:
        if step[0] == "add":
            added.append((doses.add(store, step[1], NOW), step[1]))
        elif not added:
            continue
        elif step[0] == "again":
            same = added[step[1] % len(added)][1]
            added.append((doses.add(store, same, NOW), same))
        elif step[0] == "delete":
            id_ = added[step[1] % len(added)][0]
            if not store.read("doses").filter(pl.col("id") == id_)["deleted"][0]:
                doses.delete(store, id_, NOW)
        else:
            id_ = added[step[1] % len(added)][0]
            if not store.read("doses").filter(pl.col("id") == id_)["deleted"][0]:
                doses.edit(store, id_, {"grams": step[2], "note": step[3]}, NOW)
    for c in days:
        checkins.upsert(store, c, NOW)


def tables(home: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    store = Store(home)
    return store.read("doses").sort("id"), store.read("checkins").sort("date")


def export_import(home: Path, out: Path, fmt: str, into: Path) -> None:
    """`taperdash export --format FMT` of the doses and check-ins, then `taperdash import` of the
    folder: the functions the two commands call, without the other tables' files."""
    store = Store(home)
    logcsv.export({"doses": store.read("doses"), "checkins": store.read("checkins")}, out, fmt)
    target = Store(into)
    outcomes = ingest.import_paths(target, [str(out)], ReadContext(tz=ZoneInfo("Europe/Berlin")))
    assert {o.status for o in outcomes} == {"imported"}, [o.line() for o in outcomes]


def run(*args: str) -> int:
    try:
        return main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op, min_size=1, max_size=12), days=st.lists(checkin, max_size=5))
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_then_import_is_the_identity(
    fmt: str, ops: list[tuple], days: list[checkins.CheckinInput], tmp_path_factory
) -> None:
    root = tmp_path_factory.mktemp("rt")
    home, fresh, out = root / "home", root / "fresh", root / "export"
    build(home, ops, days)
    before = tables(home)
    export_import(home, out, fmt, home)
    after = tables(home)
    assert_frame_equal(after[0], before[0])  # nothing added, nothing changed
    assert_frame_equal(after[1], before[1])
    export_import(home, root / "again", fmt, fresh)
    got = tables(fresh)
    stamps = [] if fmt == "parquet" else ["created_at", "updated_at"]
    assert_frame_equal(got[0].drop(stamps), before[0].drop(stamps))
    assert_frame_equal(
        got[1].drop(stamps[1:]), before[1].drop(stamps[1:])
    )  # a check-in has only updated_at


def test_a_dose_with_microseconds_survives_the_csv(tmp_path: Path) -> None:
    home = tmp_path / "home"
    at = dt.datetime(2026, 12, 1, 2, 15, 0, 250_000, tzinfo=dt.UTC)
    build(
        home, [("add", doses.DoseInput(3.5, at, 345)), ("add", doses.DoseInput(2.0, at, 345))], []
    )
    doses.delete(Store(home), 2, NOW)
    run("export", "--home", str(home), "--out", str(tmp_path / "x"))
    text = (tmp_path / "x" / "doses.csv").read_text()
    assert "2026-12-01T08:00:00.250000+05:45" in text
    run("import", "--home", str(home), str(tmp_path / "x"))
    assert Store(home).read("doses").height == 2


def test_csv_and_parquet_of_one_export_in_one_import_give_each_dose_once(tmp_path: Path) -> None:
    home, fresh, out = tmp_path / "home", tmp_path / "fresh", tmp_path / "x"
    at = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)
    build(home, [("add", doses.DoseInput(3.0, at, 60)), ("again", 0)], [])  # the same dose twice
    assert run("export", "--home", str(home), "--out", str(out)) == 0
    assert run("export", "--home", str(home), "--out", str(out), "--format", "parquet") == 0
    assert run("import", "--home", str(fresh), str(out)) == 0
    assert_frame_equal(
        tables(fresh)[0].drop("created_at", "updated_at"),
        tables(home)[0].drop("created_at", "updated_at"),
    )
