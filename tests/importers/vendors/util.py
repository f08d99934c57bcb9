"""Helpers shared by the vendor tests."""

from __future__ import annotations

from typing import Any

import polars as pl

from importers.model import ImportResult
from importers.registry import ReadContext, formats
from tests.importers.vendors.builders import BERLIN


def ctx(*, skip: bool = False, tz: Any = BERLIN, options: dict | None = None) -> ReadContext:
    return ReadContext(tz=tz, skip_bad_rows=skip, options=options or {})


def read(fmt: str, built: tuple[str, bytes], **kw: Any) -> ImportResult:
    name, data = built
    return formats()[fmt].read(data, name, ctx(**kw))


def sniffers(built: tuple[str, bytes]) -> set[str]:
    name, data = built
    out = set()
    for fname, fmt in formats().items():
        try:
            if fmt.sniff(name, data[:8192]):
                out.add(fname)
        except Exception:  # another team's sniffer failing is not this test's business
            continue
    return out


def col(result: ImportResult, table: str, column: str, sort: str | None = None) -> list[Any]:
    frame: pl.DataFrame = result.tables[table]
    if sort:
        frame = frame.sort(sort)
    return frame[column].to_list()
