"""Which column holds what: roles placed from header words, or from a mapping the person gave
(`--columns date=Day,grams=Dose` or a `[dose_csv.NAME]` config table), and the one line that
says what is missing when a log cannot be placed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from importers.model import ImportRefused
from importers.sheets import datetimes
from importers.sheets import vocabulary as v

DOSE_ROLES = ("timestamp", "date", "time", "grams", "mg", "strain", "form", "note")
# what a mapping may call a role, beside the role's own name
ALIASES = {
    "datetime": "timestamp",
    "taken_at": "timestamp",
    "when": "timestamp",
    "amount": "grams",
    "g": "grams",
    "dose": "grams",
    "product": "strain",
    "notes": "note",
    "day": "date",
}
SCORES = ("cravings", "mood", "insomnia")
CHECKIN_ROLES = (
    "cravings",
    "mood",
    "insomnia",
    "supplements",
    "triggers",
    "exercise",
    "mindfulness",
    "support",
)


@dataclass(frozen=True)
class Layout:
    roles: dict[str, int] = field(default_factory=dict)  # role -> column index
    header: tuple[str, ...] = ()
    mapped: frozenset[str] = frozenset()  # roles the person mapped: never second-guessed

    def has(self, role: str) -> bool:
        return role in self.roles

    def amount(self) -> str | None:
        return "mg" if "mg" in self.roles else "grams" if "grams" in self.roles else None

    def checkin_roles(self) -> list[str]:
        return [r for r in self.roles if r in CHECKIN_ROLES or r.startswith("sows_")]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def sows_role(header: str, sows: Mapping[str, str]) -> str | None:
    """`anxious`, `SOWS anxious`, `sows_runny_nose`, `I feel anxious` -> sows_<item>."""
    text = v.normal(header)
    if text.startswith("sows "):
        text = text[5:]
    for item, phrase in sows.items():
        if text in (item.replace("_", " "), v.normal(phrase)):
            return f"sows_{item}"
    return None


def place(
    header: list[str] | tuple[str, ...],
    columns: Mapping[str, str] | None = None,
    sows: Mapping[str, str] | None = None,
    mapping_name: str | None = None,
) -> Layout:
    """Roles from header words, then the mapping's (which win and must name real columns)."""
    sows = sows or {}
    roles: dict[str, int] = {}
    for i, name in enumerate(header):
        role = sows_role(name, sows) or v.checkin_role(name) or v.dose_role(name)
        if role and role not in roles:
            roles[role] = i
    if "mg" in roles and "grams" in roles:
        del roles["grams"]  # "Dose (mg)" beside a "Weight" column: the named unit wins
    if columns:
        where = f"[dose_csv.{mapping_name}]" if mapping_name else "--columns"
        by_key = {_key(h): i for i, h in reversed(list(enumerate(header)))}
        known = set(DOSE_ROLES) | set(CHECKIN_ROLES) | {f"sows_{s}" for s in sows}
        for raw_role, column in columns.items():
            role = ALIASES.get(raw_role, raw_role)
            if role in sows:
                role = f"sows_{role}"
            if role not in known:
                raise ImportRefused(
                    f"{where} {raw_role}={column}: unknown role; use one of "
                    f"{', '.join((*DOSE_ROLES, *CHECKIN_ROLES))} or a SOWS item"
                )
            found = by_key.get(_key(column))
            if found is None:
                raise ImportRefused(
                    f"{where} {raw_role}={column}: no column {column!r} "
                    f"(columns: {shown_columns(header)})"
                )
            roles = {r: j for r, j in roles.items() if j != found and r != role}
            if role in ("grams", "mg"):
                roles.pop("grams", None)
                roles.pop("mg", None)
            roles[role] = found
    mapped = frozenset(ALIASES.get(r, r) for r in (columns or {}))
    return Layout(roles, tuple(header), mapped)


def refine(lay: Layout, first_row: list[str]) -> Layout:
    """Header words say "when" or "date"; the first row says what the column holds: a
    "When" column of `08:20` is a time, a "Date" column of `2026-03-05 08:20` a timestamp."""
    roles = dict(lay.roles)

    def sample(role: str) -> str:
        i = roles[role]
        return first_row[i].strip() if i < len(first_row) else ""

    if "timestamp" in roles and "time" not in roles and "timestamp" not in lay.mapped:
        try:
            datetimes.parse_time(sample("timestamp"))
            roles["time"] = roles.pop("timestamp")
        except datetimes.BadValue:
            pass
    if (
        "date" in roles
        and "time" not in roles
        and "timestamp" not in roles
        and "date" not in lay.mapped
    ):
        try:
            datetimes.parse_stamp(sample("date"), "dmy")  # the order does not matter here
            roles["timestamp"] = roles.pop("date")
        except datetimes.BadValue:
            pass
    return Layout(roles, lay.header, lay.mapped)


def shown_columns(header: list[str] | tuple[str, ...], limit: int = 120) -> str:
    text = ", ".join(header)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dose_gap(layout: Layout) -> str | None:
    """The first thing a dose log lacks, as the role a --columns flag would map, or None."""
    if layout.amount() is None:
        return "grams"
    if not layout.has("timestamp") and not layout.has("date"):
        return "date"
    if not layout.has("timestamp") and not layout.has("time"):
        return "time"
    return None


def checkin_gap(layout: Layout) -> str | None:
    if not layout.has("timestamp") and not layout.has("date"):
        return "date"
    # a date and a supplements or yes/no column is too little to call a check-in sheet,
    # unless the person mapped it so
    core = [r for r in layout.checkin_roles() if r in SCORES or r.startswith("sows_")]
    if not core and not set(layout.checkin_roles()) & layout.mapped:
        return "cravings"
    return None


_GAP_WORDS = {
    "grams": "an amount column",
    "date": "a date column",
    "time": "a time column",
    "cravings": "a cravings, mood or symptom column",
}


def gap_line(kind: str, gap: str, header: list[str] | tuple[str, ...]) -> str:
    """`looks like a dose log but no amount column (columns: date, time, strain); map one with
    --columns grams=NAME`."""
    what = "a dose log" if kind == "doses" else "a check-in sheet"
    words = _GAP_WORDS[gap].removeprefix("an ").removeprefix("a ")
    return (
        f"looks like {what} but no {words} (columns: {shown_columns(header)}); "
        f"map one with --columns {gap}=NAME"
    )
