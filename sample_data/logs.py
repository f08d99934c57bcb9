"""The person's own logs in taperdash's CSV formats (what `taperdash export` writes and
`taperdash import` reads back as `taperdash-doses` / `taperdash-checkins`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sample_data.story import SOWS_KEYS, Checkin, Dose

DOSE_HEADER = ("id", "taken_at", "grams", "strain", "form", "potency", "note", "deleted")
CHECKIN_HEADER = (
    "date",
    *(f"sows_{k}" for k in SOWS_KEYS),
    "withdrawal_score",
    "cravings",
    "mood",
    "insomnia",
    "supplements",
    "exercise",
    "mindfulness",
    "support",
    "triggers",
    "note",
)


def num(x: float) -> str:
    # repr of a rounded float: "3.5", "14.0", "0.88" — stable across platforms
    return repr(round(float(x), 3))


def opt(x: object) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(x)


def _csv(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def doses_csv(doses: Iterable[Dose]) -> bytes:
    return _csv(
        DOSE_HEADER,
        (
            (
                str(d.id),
                d.taken_at.isoformat(timespec="seconds"),
                num(d.grams),
                d.strain,
                d.form,
                num(d.potency),
                d.note,
                opt(d.deleted),
            )
            for d in doses
        ),
    )


def checkins_csv(checkins: Iterable[Checkin]) -> bytes:
    def row(c: Checkin) -> list[str]:
        sows = [""] * len(SOWS_KEYS) if c.sows is None else [str(v) for v in c.sows]
        return [
            c.date.isoformat(),
            *sows,
            opt(c.withdrawal_score),
            opt(c.cravings),
            opt(c.mood),
            opt(c.insomnia),
            ";".join(c.supplements),
            opt(c.exercise),
            opt(c.mindfulness),
            opt(c.support),
            ";".join(c.triggers),
            c.note,
        ]

    return _csv(CHECKIN_HEADER, (row(c) for c in checkins))
