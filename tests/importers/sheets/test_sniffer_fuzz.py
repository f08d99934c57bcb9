"""Fuzzing the sheet sniffer and readers: random bytes and CSV-ish text end as a sheet read or
as one line (ImportRefused), never a traceback; through the pipeline, a failed file writes
nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.core.store import ingest
from dashboard.core.store.disk import Store
from importers.model import ImportRefused
from tests.importers.sheets.helpers import SHEETS, ctx

WORDS = [
    "date", "Datum", "Fecha", "time", "Uhrzeit", "Heure", "Timestamp", "grams", "Menge (g)",
    "Dose mg", "How many grams?", "strain", "form", "note", "mood", "cravings", "Anxious",
    "supplements", "Day", "When", "x", "", '"a,b"', "é",
]  # fmt: skip
CELLS = [
    "2026-03-05", "05.03.2026", "3/5/2026", "13/03/2026", "3/14/2026", "08:20", "8:20 PM",
    "12:00 AM", "25:99", "4,8", "4.8", "500 mg", "4.8 g", "0", "-3", "1e309", "nan", "", "x",
    "2026-03-05T08:20:00+01:00", "2026-03-05T08:20:00+99:99", "3/5/2026 20:20:00", "powder", "Kapseln", "yes", "7", '"1;2"',
]  # fmt: skip
SEPS = [",", ";", "\t"]


@st.composite
def csvish(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from(SEPS))
    width = draw(st.integers(1, 6))
    header = sep.join(draw(st.lists(st.sampled_from(WORDS), min_size=width, max_size=width)))
    rows = [
        sep.join(draw(st.lists(st.sampled_from(CELLS), min_size=0, max_size=width + 1)))
        for _ in range(draw(st.integers(0, 5)))
    ]
    text = "\n".join([header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _one_line_or_frames(data: bytes) -> None:
    SHEETS.sniff_doses("f.csv", data)
    SHEETS.sniff_checkins("f.csv", data)
    SHEETS.explain("f.csv", data)
    for read in (SHEETS.read_doses, SHEETS.read_checkins):
        try:
            read(data, "f.csv", ctx())
        except ImportRefused as exc:
            assert str(exc) and "\n" not in str(exc)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _one_line_or_frames(data)


@settings(max_examples=300, deadline=None)
@given(csvish())
def test_csvish_text(data: bytes) -> None:
    _one_line_or_frames(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(csvish(), st.binary(min_size=1, max_size=200)))
def test_through_the_pipeline_one_line_and_nothing_written_when_failed(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "log.csv"
        f.write_bytes(data)
        store = Store(Path(tmp) / "home")
        (out,) = ingest.import_paths(store, [str(f)], ctx(), "auto")
        assert "\n" not in out.line() and "bug in taperdash" not in out.message, out.message
        if out.status == "failed":
            assert store.read("doses").is_empty() and store.read("checkins").is_empty()
