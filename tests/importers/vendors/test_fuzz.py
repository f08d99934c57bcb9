"""Mutated vendor files end in a result or ImportRefused, never another exception."""

import datetime as dt
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.model import ImportRefused, ImportResult
from importers.registry import formats
from importers.vendors._csv import decode
from tests.importers.vendors import builders as b
from tests.importers.vendors.cases import CASES, NASTY
from tests.importers.vendors.util import ctx


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes, str]:
    build, fmt = draw(st.sampled_from(CASES))
    name, data = build()
    kind = draw(st.sampled_from(["cell", "header", "encoding", "truncate", "bytes", "lines"]))
    if kind in {"cell", "header"}:
        text = decode(data)
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
        data = decode(data).encode(enc, errors="replace")
        if draw(st.booleans()):
            data = data[: len(data) // 2] + "é".encode() + data[len(data) // 2 :]
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
    else:
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        if draw(st.booleans()):
            lines.insert(i, lines[0])
        data = b"\n".join(lines)
    return name, data, fmt


def _attempt(read: Callable[..., ImportResult], data: bytes, name: str, skip: bool) -> None:
    options = {"generic_csv": b.GENERIC_MAPPING}
    try:
        result = read(data, name, ctx(skip=skip, options=options))
    except ImportRefused as exc:
        msg = str(exc)
        assert msg and "\n" not in msg, repr(msg)
        return
    assert isinstance(result, ImportResult)
    for table in result.tables.values():
        assert table.height >= 0
    assert all("\n" not in w for w in result.warnings)


@settings(
    max_examples=300,
    deadline=dt.timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated(), st.booleans())
def test_mutated_files_refuse_cleanly(case: tuple[str, bytes, str], skip: bool) -> None:
    name, data, fmt = case
    fmts = formats()
    _attempt(fmts[fmt].read, data, name, skip)
    # whatever the sniffers now say, their reader must also end cleanly
    for other in fmts.values():
        if other.name in {"fit", "apple-health"}:
            continue
        if other.sniff(name, data[:8192]) and other.name != fmt:
            _attempt(other.read, data, name, skip)
