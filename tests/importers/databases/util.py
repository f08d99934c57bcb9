"""Helpers shared by the database tests."""

from __future__ import annotations

import polars as pl

from importers.model import ImportResult
from importers.registry import ReadContext, formats
from tests.importers.databases.builders import BERLIN

CTX = ReadContext(tz=BERLIN)


def read(fmt: str, built: tuple[str, bytes], ctx: ReadContext = CTX) -> ImportResult:
    name, data = built
    return formats()[fmt].read(data, name, ctx)


def sniffed(built: tuple[str, bytes]) -> set[str]:
    name, data = built
    return {n for n, f in formats().items() if f.sniff(name, data[:8192])}


def rows(result: ImportResult, table: str, *by: str) -> list[dict]:
    frame: pl.DataFrame = result.tables[table]
    return frame.sort(list(by) or frame.columns[:2]).to_dicts()
