"""Gadgetbridge's sleep sessions, rebuilt from a device's samples, and stages from change points.

FORMATS.md says a session is a run of sleep-kind samples that any other kind ends. Gadgetbridge's
own SleepAnalysis.calculateSleepSessions (read in its source) does otherwise, and this module
follows it: a session is the stretch from the first to the last sleep-kind sample; non-sleep
samples inside it (up to MAX_WAKE_PHASE_S in a row) do not end it but count as awake (WASO,
which matters for insomnia); sessions with MIN_SESSION_S or less of sleep are dropped. Each
sample stands for the time until the next one, at most SAMPLE_S (a band that was off is not
asleep), so minute samples from 23:00 to 06:59 make 480 min, 23:00-07:00.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from importers.databases.nights import Span
from importers.vendors import _csv as c

MIN_SESSION_S = 5 * 60
MAX_WAKE_PHASE_S = 2 * 60 * 60
SAMPLE_S = 60


def utc_s(seconds: Any) -> dt.datetime:
    if not isinstance(seconds, int | float):
        raise c.RowError(f"timestamp {c.clip(seconds)} is not a number")
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def utc_ms(ms: Any) -> dt.datetime:
    if not isinstance(ms, int | float):
        raise c.RowError(f"timestamp {c.clip(ms)} is not a number")
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def runs_to_spans(samples: list[tuple[int, str | None]]) -> list[list[Span]]:
    """Gadgetbridge's sessions from (epoch s, sleep kind or None) samples in time order.

    Returns each session's spans (sleep kinds, and `awake` for other samples inside it)."""
    sessions: list[list[Span]] = []
    current: list[Span] = []
    slept = 0.0
    wake_run = 0.0

    def close() -> None:
        nonlocal current, slept, wake_run
        # the trailing non-sleep samples are after the session's end
        while current and current[-1].kind == "awake":
            current.pop()
        if current and slept > MIN_SESSION_S:
            sessions.append(merged(current))
        current, slept, wake_run = [], 0.0, 0.0

    for i, (ts, kind) in enumerate(samples):
        nxt = samples[i + 1][0] if i + 1 < len(samples) else ts + SAMPLE_S
        length = max(0, min(nxt - ts, SAMPLE_S))
        gap = nxt - ts
        span = Span(utc_s(ts), utc_s(ts + length), kind or "awake")
        if kind is not None:
            current.append(span)
            slept += length
            wake_run = 0.0
        elif current:
            current.append(span)
            wake_run += gap
            if wake_run > MAX_WAKE_PHASE_S:
                close()
        if current and gap > MAX_WAKE_PHASE_S:
            close()  # the band was off: whatever comes next is another session
    close()
    return sessions


def merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if out and out[-1].kind == s.kind and out[-1].end == s.start:
            out[-1] = Span(out[-1].start, s.end, s.kind)
        else:
            out.append(s)
    return out


def change_points(
    points: list[tuple[dt.datetime, str]], start: dt.datetime, end: dt.datetime
) -> list[Span]:
    """Stages given at the instant they begin, each lasting until the next or the end."""
    inside = [(t, k) for t, k in points if start <= t < end]
    spans = []
    for i, (t, kind) in enumerate(inside):
        stop = inside[i + 1][0] if i + 1 < len(inside) else end
        spans.append(Span(t, stop, kind))
    return merged(spans)
