"""Maps format names to readers and sniffers.

A reader is `read(data: bytes, name: str, ctx: ReadContext) -> ImportResult`; a sniffer
`sniff(name: str, head: bytes) -> bool` looks only at the file name and its first bytes
(HEAD_BYTES). Modules register themselves at import; `load_all()` imports every known module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO
from zoneinfo import ZoneInfo

from importers.model import ImportResult

HEAD_BYTES = 8192


@dataclass(frozen=True)
class ReadContext:
    tz: ZoneInfo  # the configured zone, for files that give local times without an offset
    skip_bad_rows: bool = False
    options: dict = field(default_factory=dict)  # e.g. generic CSV mappings from the config


Reader = Callable[[bytes, str, ReadContext], ImportResult]
# For files too large to hold in memory (Apple Health's export.xml): reads a binary stream;
# `progress(n)` is called with the bytes consumed so far.
StreamReader = Callable[[BinaryIO, str, ReadContext, Callable[[int], None] | None], ImportResult]
Sniffer = Callable[[str, bytes], bool]
# For a file no sniffer claimed: (closeness, one line saying what it lacked), or None when it
# is nothing like the format. The closest answer names the format in the refusal.
Explainer = Callable[[str, bytes], tuple[int, str] | None]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    sniff: Sniffer
    read: Reader
    read_stream: StreamReader | None = None
    # tried after every other format: broad formats (hand-kept spreadsheets) whose sniffers
    # would otherwise claim a vendor's CSV that merely has a date column
    fallback: bool = False
    explain: Explainer | None = None


_FORMATS: dict[str, Format] = {}

# Modules that register formats. Kept as names so importing the registry stays cheap.
MODULES = (
    "importers.fit",
    "importers.vendors",
    "importers.apple_health",
    "importers.databases",
)


def register(fmt: Format) -> Format:
    _FORMATS[fmt.name] = fmt
    return fmt


def load_all() -> dict[str, Format]:
    for mod in MODULES:
        # a typo in MODULES is an error, never a format silently missing
        importlib.import_module(mod)
    return dict(_FORMATS)


def formats() -> dict[str, Format]:
    return load_all()
