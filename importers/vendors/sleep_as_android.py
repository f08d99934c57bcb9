"""Sleep as Android `sleep-export.csv` (format `sleep-as-android`, source `sleep_as_android`).

Layout (from FORMATS.md, the sleepdiary/core engine and README in src/SleepAsAndroid/, and
the real exports in its examples/): every record is its own block, a header line starting
`Id,Tz,From,To,...` followed by the record's value line (and, in some exports, a noise line).
Fixed columns Id (start, epoch ms), Tz (IANA), From, To, Sched, Hours, Rating, Comment,
Framerate, Snore, Noise, Cycles, DeepSleep, LenAdjust, Geo; then actigraphy columns headed
`h:mm`; then `Event` columns `LABEL-epochms[-value]`.

Time convention: From/To are local wall clock `dd. MM. yyyy H:mm` in the record's own `Tz`
(ctx.tz only when Tz is missing); event times are epoch ms (UTC). Time in bed is To - From as
instants, so a night across a DST change has its true length.

Minutes asleep = Hours × 60 + LenAdjust (LenAdjust is negative minutes awake). Stages come from
LIGHT/DEEP/REM/AWAKE _START/_END event pairs; a stage without events stays null (the app
only writes the events its tracking mode measures). The app has no score and no nap flag in this file (Rating is the user's own stars).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

NAME = "sleep-as-android"
SOURCE = "sleep_as_android"
DATE_FORMATS = ("%d. %m. %Y %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M")
_HEADER = re.compile(r'^\ufeff?"?Id"?,"?Tz"?,"?From"?,"?To"?', re.IGNORECASE)
_EVENT = re.compile(r"^([A-Z_]+)-(\d{10,14})(?:-(.*))?$")
_STAGE_EVENTS = {"LIGHT": "light", "DEEP": "deep", "REM": "rem", "AWAKE": "awake"}


def sniff(name: str, head: bytes) -> bool:
    first = c.lines(c.head_text(head), 1)
    return bool(first) and bool(_HEADER.match(first[0])) and "hours" in first[0].lower()


def _blocks(text: str) -> list[tuple[int, str]]:
    """Splits the file at each repeated header line: (first line number, block text)."""
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if _HEADER.match(line):
            blocks.append((number, [line]))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip():
            raise ImportRefused(f"line {number}: data before the first `Id,Tz,From,To` header")
    return [(n, "\n".join(ls)) for n, ls in blocks]


def _events(header: list[str], values: list[str | None]) -> list[tuple[str, int]]:
    out = []
    for name, value in zip(header, values, strict=False):
        if c.norm(name) != "event" or not value:
            continue
        m = _EVENT.match(value.strip())
        if m:
            out.append((m.group(1), int(m.group(2))))
    return out


def _stages(events: list[tuple[str, int]], sid: str) -> list[dict[str, Any]]:
    open_at: dict[str, int] = {}
    spans = []
    for label, ms in sorted(events, key=lambda e: e[1]):
        kind, _, edge = label.rpartition("_")
        if kind not in _STAGE_EVENTS:
            continue
        if edge == "START":
            open_at[kind] = ms
        elif edge == "END" and kind in open_at:
            start = open_at.pop(kind)
            if ms > start:
                spans.append((start, ms, _STAGE_EVENTS[kind]))
    return [
        c.stage(
            SOURCE,
            sid,
            dt.datetime.fromtimestamp(a / 1000, c.UTC),
            dt.datetime.fromtimestamp(b / 1000, c.UTC),
            kind,
        )
        for a, b, kind in sorted(spans)
    ]


def _record(table: c.Table, ctx: ReadContext) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    if not table.rows:
        raise c.RowError("a header line with no record after it")
    _line, values = table.rows[0]
    row = next(table.records())[1]
    sid = c.required(c.text(row, "id"), "Id")
    if not sid.isdigit():
        raise c.RowError(f"column 'Id': not an epoch-ms id ({c.clip(sid)!r})")
    tz_raw = c.text(row, "tz")
    tz = c.zone(tz_raw, "Tz") if tz_raw else ctx.tz
    start_local = c.parse_naive(c.required(c.text(row, "from"), "From"), DATE_FORMATS, "From")
    end_local = c.parse_naive(c.required(c.text(row, "to"), "To"), DATE_FORMATS, "To")
    start, offset = c.localize(start_local, tz)
    end, _ = c.localize(end_local, tz)
    if end == start:
        # From/To have minute precision: a test run of a few seconds shows both equal.
        return None
    hours = c.number(row, "hours", lo=0, hi=24)
    adjust = c.number(row, "lenadjust", lo=-24 * 60, hi=24 * 60) or 0.0
    asleep = None if hours is None else max(hours * 60 + adjust, 0.0)
    stages = _stages(_events(table.header, values), sid)
    per_stage: dict[str, float] = {}
    for s in stages:
        per_stage[s["stage"]] = per_stage.get(s["stage"], 0.0) + c.minutes_between(
            s["start"], s["end"]
        )
    sess = c.session(
        SOURCE,
        sid,
        start,
        end,
        offset,
        asleep=None if asleep is None else round(asleep, 1),
        awake=round(per_stage["awake"], 1) if "awake" in per_stage else None,
        light=round(per_stage["light"], 1) if "light" in per_stage else None,
        deep=round(per_stage["deep"], 1) if "deep" in per_stage else None,
        rem=round(per_stage["rem"], 1) if "rem" in per_stage else None,
    )
    return sess, stages


def read(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    text = c.decode(data)
    blocks = _blocks(text)
    if not blocks:
        raise ImportRefused("line 1: no `Id,Tz,From,To` header line")
    col = c.Collector(ctx)
    sessions: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []
    for first, block in blocks:
        try:
            table = c.read_table(block, sep=",", first_line=first)
            rec = _record(table, ctx)
        except (c.RowError, ImportRefused) as exc:
            col.bad(first + 1, str(exc))
            continue
        except (OverflowError, ValueError) as exc:
            col.bad(first + 1, f"value out of range ({c.clip(exc, 80)})")
            continue
        if rec is None:
            col.warnings.append(f"line {first + 1}: record shorter than a minute, not imported")
            continue
        sessions.append(rec[0])
        stages.extend(rec[1])
    return c.result(NAME, col.warnings, sessions=sessions, stages=stages)


FORMAT = register(
    Format(NAME, "Sleep as Android sleep-export.csv (one header line per record)", sniff, read)
)
