"""Mutated real-layout files through the whole import pipeline, into a home that holds data.

Every input ends as imported, skipped, duplicate or one clear refusal: an Outcome whose message
is one line and not a "this is a bug" message; never an exception, never a hang (a time bound
per input); and a refused file leaves every data table exactly as it was (the ledger may gain
its 'failed' line).

Inputs: staged-sleep, monitoring and activity FIT files from sample_data/fitwrite (bit flips,
cuts, junk, re-sealed so the damage reaches the decoder), every vendor layout the vendor tests
build, Apple Health XML, and taperdash's own dose and check-in CSVs (cell, header, encoding,
byte and line mutations); and any of those inside a zip (maybe nested), the archive itself
damaged (bit flips, cuts, header fields overwritten). `TAPERDASH_FUZZ_EXAMPLES` sets the
examples per test (default 60;
a long hunt: 3000). Inputs that once failed live in tests/data/regressions/ and are replayed by
test_regressions.py.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importers.apple_health_files import WATCH, export, sleep, steps
from tests.importers.fit_files import BASES as FIT_BASES
from tests.importers.fit_files import reseal
from tests.importers.vendors.cases import CASES, NASTY
from tests.reliability.pipeline import (
    REFUSALS,
    SECONDS_PER_INPUT,
    SEEN,
    check_many,
    check_one,
    seeded_home,
    taperdash_csvs,
)

EXAMPLES = int(os.environ.get("TAPERDASH_FUZZ_EXAMPLES", "60"))


def _apple_health() -> tuple[str, bytes]:
    body = sleep(WATCH, "2026-10-19 23:10:00 +0200", "2026-10-20 06:40:00 +0200", "AsleepCore")
    body += steps(WATCH, "2026-10-20 09:00:00 +0200", "2026-10-20 09:30:00 +0200", 3200)
    return "export.xml", export(body)


TEXT_BASES: list[tuple[str, bytes]] = (
    [build() for build, _ in CASES] + taperdash_csvs() + [_apple_health()]
)
FIT_NAMES = ["sleep.fit", "monitor.fit", "activity.fit"]


@st.composite
def text_input(draw: st.DrawFn) -> tuple[str, bytes, str]:
    name, data = draw(st.sampled_from(TEXT_BASES))
    kind = draw(
        st.sampled_from(["cell", "header", "encoding", "truncate", "bytes", "lines", "repeat"])
    )
    if kind in {"cell", "header"}:
        text = data.decode("utf-8", errors="replace")
        lines = text.split("\n")
        idx = 0 if kind == "header" else draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[idx]
        a = draw(st.integers(0, len(line)))
        z = draw(st.integers(a, min(len(line), a + 25)))
        junk = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)))
        lines[idx] = line[:a] + junk + line[z:]
        data = "\n".join(lines).encode(
            draw(st.sampled_from(["utf-8", "utf-8-sig"])), errors="replace"
        )
    elif kind == "encoding":
        enc = draw(st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8-sig"]))
        data = data.decode("utf-8", errors="replace").encode(enc, errors="replace")
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
    elif kind == "lines":
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        if draw(st.booleans()):
            lines.insert(i, lines[0])
        data = b"\n".join(lines)
    else:  # a body line repeated many times: a long file of the same row
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        lines[i:i] = [lines[i]] * draw(st.integers(2, 400))
        data = b"\n".join(lines)
    return name, data, kind


flips = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), max_size=8)


@st.composite
def fit_input(draw: st.DrawFn) -> tuple[str, bytes, str]:
    k = draw(st.integers(0, len(FIT_BASES) - 1))
    base = bytearray(FIT_BASES[k])
    kind = draw(st.sampled_from(["flips", "resealed", "cut", "junk"]))
    if kind == "flips":
        for pos, bit in draw(flips):
            base[int(pos * len(base))] ^= 1 << bit
        data = bytes(base[: round(draw(st.floats(0.5, 1)) * len(base))])
    elif kind == "resealed":
        body = len(base) - 16
        for pos, bit in draw(flips.filter(bool)):
            base[14 + int(pos * body)] ^= 1 << bit
        data = reseal(base)
    else:
        body = bytes(base[14:-2])
        cut = body[: round(draw(st.floats(0, 1)) * len(body))]
        if kind == "junk":
            cut += draw(st.binary(max_size=40))
        data = reseal(bytearray(bytes(base[:14]) + cut + b"\0\0"))
    return FIT_NAMES[k], data, kind


def _run(inputs: Callable[[], st.SearchStrategy[tuple[str, bytes, str]]]) -> Callable[[], None]:
    @settings(
        max_examples=EXAMPLES,
        deadline=dt.timedelta(seconds=SECONDS_PER_INPUT),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
        database=None,
    )
    @given(case=inputs())
    def test(case: tuple[str, bytes, str]) -> None:
        name, data, _kind = case
        with tempfile.TemporaryDirectory() as tmp:
            check_one(HOME.get(), name, data, Path(tmp))

    return test


class _Home:
    """One seeded home per test module: imports that succeed change it, which is fine (the
    contract is per input: a refusal changes nothing); it starts from data, never empty."""

    def __init__(self) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._home: Path | None = None

    def get(self) -> Path:
        if self._home is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="taperdash-fuzz-")
            self._home = seeded_home(Path(self._tmp.name))
        return self._home


HOME = _Home()


@st.composite
def archive_input(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """A mutated (or intact) file inside a zip, itself maybe nested once, maybe damaged."""
    name, data, kind = draw(st.one_of(fit_input(), text_input()))
    blob = _zip(name, data, draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    if draw(st.booleans()):
        blob = _zip("inner.zip", blob, zipfile.ZIP_DEFLATED)
    damage = draw(st.sampled_from(["none", "flips", "cut", "field"]))
    if damage == "flips":
        raw = bytearray(blob)
        for pos, bit in draw(flips):
            raw[int(pos * len(raw))] ^= 1 << bit
        blob = bytes(raw)
    elif damage == "cut":
        blob = blob[: draw(st.integers(0, len(blob)))]
    elif damage == "field":  # overwrite 2 or 4 bytes of a header with a chosen value
        at = draw(st.integers(0, len(blob) - 4))
        width = draw(st.sampled_from([2, 4]))
        value = draw(st.sampled_from([0, 1, 0xFFFF, 0xFFFFFFFF, len(blob), 1 << 31])) & (
            (1 << (8 * width)) - 1
        )
        blob = blob[:at] + value.to_bytes(width, "little") + blob[at + width :]
    return "export.zip", blob, f"zip:{kind}:{damage}"


def _zip(name: str, data: bytes, method: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr(
            zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, compress_type=method
        )
    return buf.getvalue()


def _run_archives() -> Callable[[], None]:
    @settings(
        max_examples=EXAMPLES,
        deadline=dt.timedelta(seconds=SECONDS_PER_INPUT),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(case=archive_input())
    def test(case: tuple[str, bytes, str]) -> None:
        name, data, _kind = case
        with tempfile.TemporaryDirectory() as tmp:
            check_many(HOME.get(), name, data, Path(tmp))

    return test


test_mutated_fit_files_through_the_pipeline = _run(fit_input)
test_mutated_vendor_and_taperdash_files_through_the_pipeline = _run(text_input)
test_mutated_archives_through_the_pipeline = _run_archives()


def test_unmutated_bases_import() -> None:
    """The bases themselves import (into a fresh seeded home): the fuzz starts from real files."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home = seeded_home(root)
        files = root / "files"
        files.mkdir()
        for k, data in enumerate(FIT_BASES):
            out = check_one(home, FIT_NAMES[k], data, files)
            assert out.status == "imported", out.line()
        for name, data in TEXT_BASES:
            out = check_one(home, name, data, files)
            assert out.status in {"imported", "duplicate", "skipped"}, out.line()


def test_zz_report() -> None:
    """Prints what the fuzz saw (pytest -s): outcomes by status and refusals by kind."""
    print(f"\npipeline fuzz: {sum(SEEN.values())} inputs: {dict(SEEN)}")
    for kind, n in REFUSALS.most_common():
        print(f"  {n:5}  {kind}")
    assert sum(SEEN.values()) > 0
