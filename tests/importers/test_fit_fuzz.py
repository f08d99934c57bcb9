"""Mutated FIT files end in a result or ImportRefused, never in another exception.

Plain bit flips mostly stop at the CRC check, so two strategies re-seal the damage (recompute
the header size and the CRCs) to drive the mutation through fitparse and the interpreters.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.fit import read_fit
from importers.model import WEARABLE_TABLES, ImportRefused, ImportResult
from importers.registry import ReadContext
from tests.importers.fit_files import BASES, reseal

CTX = ReadContext(tz=ZoneInfo("Europe/Berlin"))

FUZZ = settings(
    # FIT_FUZZ_EXAMPLES=20000 for a long hunt
    max_examples=int(os.environ.get("FIT_FUZZ_EXAMPLES", "250")),
    deadline=dt.timedelta(milliseconds=1500),
    suppress_health_check=[HealthCheck.too_slow],
)


def _check(data: bytes) -> None:
    try:
        result = read_fit(data, "fuzz.fit", CTX)
    except ImportRefused as exc:
        text = str(exc)
        assert text and "\n" not in text
        return
    assert isinstance(result, ImportResult)
    assert result.skipped or result.tables
    for name, frame in result.tables.items():
        assert frame.schema == WEARABLE_TABLES[name]


flips = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), max_size=8)


@FUZZ
@given(st.sampled_from(BASES), flips, st.floats(0, 1))
def test_bit_flips_and_truncation(base: bytes, where: list[tuple[float, int]], keep: float) -> None:
    data = bytearray(base)
    for pos, bit in where:
        data[int(pos * len(data))] ^= 1 << bit
    _check(bytes(data[: max(0, round(keep * len(data)))]) if keep < 0.98 else bytes(data))


@FUZZ
@given(st.sampled_from(BASES), flips.filter(bool))
def test_resealed_bit_flips_reach_the_decoder(base: bytes, where: list[tuple[float, int]]) -> None:
    data = bytearray(base)
    body = len(data) - 16
    for pos, bit in where:
        data[14 + int(pos * body)] ^= 1 << bit
    _check(reseal(data))


@FUZZ
@given(st.sampled_from(BASES), st.floats(0, 1), st.binary(max_size=40))
def test_resealed_cuts_and_junk(base: bytes, keep: float, junk: bytes) -> None:
    body = base[14:-2]
    cut = body[: round(keep * len(body))] + junk
    _check(reseal(bytearray(base[:14] + cut + b"\0\0")))


def test_the_fuzz_can_fail() -> None:
    """The resealer really produces files the reader accepts: otherwise the fuzz is vacuous."""
    for base in BASES:
        assert read_fit(reseal(bytearray(base)), "same.fit", CTX).tables
