"""Bytes -> header and rows: encoding (UTF-8 with or without BOM, UTF-16 with BOM, else
Windows-1252/Latin-1) and separator (`,` `;` tab), with the stdlib csv module, so quoted cells
with separators or newlines inside come through whole."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

# one decoding for every CSV taperdash reads (the vendors' too); re-exported for the sheets
from importers.vendors._csv import decode as decode
from importers.vendors._csv import head_text as head_text

MAX_COLUMNS = 200  # a "header" wider than this is not a hand-kept log


@dataclass(frozen=True)
class Sheet:
    header: list[str]  # the file's own spelling, stripped
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells), blank rows left out
    separator: str


def separator(line: str) -> str:
    # the header has no decimals, so the most frequent candidate there is the separator
    counts = {sep: line.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


_SEP_LINE = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)


def excel_separator(text: str) -> tuple[str | None, str]:
    """Excel may open a CSV with a `sep=;` line: (that separator, the text without it)."""
    head, _, rest = text.partition("\n")
    m = _SEP_LINE.match(head.strip())
    return (m.group(1), rest) if m else (None, text)


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def header_of(text: str) -> list[str]:
    """The header cells of a text's first non-blank line (for sniffing a file's head)."""
    sep, text = excel_separator(text)
    line = first_line(text)
    if not line:
        return []
    try:
        cells = next(csv.reader([line], delimiter=sep or separator(line)), [])
    except csv.Error:
        return []
    return [clean(c) for c in cells][:MAX_COLUMNS]


def first_row(text: str) -> list[str]:
    """The cells of the first data row in a file's head (for sniffing), or [] if none."""
    sep, text = excel_separator(text)
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return []
    try:
        return next(csv.reader([lines[1]], delimiter=sep or separator(lines[0])), [])
    except csv.Error:
        return []


def clean(cell: str) -> str:
    return cell.replace("\ufeff", "").strip().strip('"').strip()


def read(text: str) -> Sheet:
    given, text = excel_separator(text)
    skipped = 1 if given else 0  # the `sep=;` line is the file's line 1
    sep = given or separator(first_line(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    ended = 0  # the line the previous record ended on
    try:
        for cells in reader:
            # a record starts on the line after the last one ended (a quoted cell may span lines)
            start, ended = ended + 1 + skipped, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines, and the empty rows a spreadsheet leaves at the end
            if header is None:
                header = [clean(c) for c in cells][:MAX_COLUMNS]
                continue
            rows.append((start, [c.strip() for c in cells]))
    except csv.Error as exc:
        raise ValueError(f"line {reader.line_num + skipped}: {exc}") from None
    return Sheet(header or [], rows, sep)
