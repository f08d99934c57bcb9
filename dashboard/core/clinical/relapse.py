"""The person's own relapse-prevention plan, and life after the taper reaches zero.

The plan is theirs, in their words: triggers, early warning signs, what to do instead, people
to contact, reasons for tapering. It is a small TOML file in the home (relapse_plan.toml,
0600, written atomically) rather than a table, so it can be read and edited by hand too.
The triggers logged in check-ins are counted against it. After zero, a slip is logged as
what it is, a dose (with a note); the functions here count days since the last dose.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import Frame, local_doses
from dashboard.core.analysis.plan import has_plan, target_date
from dashboard.core.store.config import Config, ConfigError
from dashboard.core.store.files import make_private_dir, write_private
from dashboard.core.store.schema import CHECKINS, as_table

PLAN_FILE = "relapse_plan.toml"
SLIP_NOTE = "slip"
MAX_ITEM_CHARS = 500


@dataclass(frozen=True)
class RelapsePlan:
    triggers: tuple[str, ...] = ()
    warning_signs: tuple[str, ...] = ()
    instead: tuple[str, ...] = ()  # what to do instead
    contacts: tuple[str, ...] = ()  # people to contact (name, number: as the person writes it)
    reasons: tuple[str, ...] = ()  # reasons for tapering
    updated_at: dt.datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in LIST_FIELDS)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {f: list(getattr(self, f)) for f in LIST_FIELDS}
        out["updated_at"] = self.updated_at.isoformat() if self.updated_at else None
        return out


LIST_FIELDS = tuple(f.name for f in fields(RelapsePlan) if f.name != "updated_at")
TITLES = {
    "triggers": "Triggers",
    "warning_signs": "Early warning signs",
    "instead": "What I do instead",
    "contacts": "People I can contact",
    "reasons": "Why I am tapering",
}


def _clean(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        text = " ".join(str(item).split())[:MAX_ITEM_CHARS]
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def plan_path(home: Path) -> Path:
    return Path(home) / PLAN_FILE


def parse_plan(text: str, name: str = PLAN_FILE) -> RelapsePlan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: {exc} — fix or remove the file; it was not changed") from exc
    kwargs: dict[str, object] = {}
    for key, value in data.items():
        if key == "updated_at":
            if isinstance(value, dt.datetime):
                kwargs[key] = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
            continue
        if key not in LIST_FIELDS:
            raise ConfigError(f"{name}: unknown entry {key!r}; entries: {', '.join(LIST_FIELDS)}")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name}: {key} must be a list of text")
        kwargs[key] = _clean(value)
    return RelapsePlan(**kwargs)  # type: ignore[arg-type]


def load_plan(home: Path) -> RelapsePlan:
    """The plan in the home; an empty plan when there is none yet."""
    path = plan_path(home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return RelapsePlan()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    return parse_plan(text, str(path))


def dumps_plan(plan: RelapsePlan) -> str:
    import tomli_w

    doc: dict[str, object] = {f: list(getattr(plan, f)) for f in LIST_FIELDS}
    if plan.updated_at is not None:
        doc["updated_at"] = plan.updated_at.astimezone(dt.UTC)
    header = "# taperdash: your relapse-prevention plan. Safe to edit by hand.\n"
    return header + tomli_w.dumps(doc)


def save_plan(home: Path, plan: RelapsePlan, now: dt.datetime | None = None) -> RelapsePlan:
    """Writes the plan atomically (0600); refuses to replace a file it cannot read."""
    path = plan_path(home)
    if path.exists():
        load_plan(home)  # a hand edit that does not parse is the person's words: never clobber
    when = now.astimezone(dt.UTC).replace(microsecond=0) if now else plan.updated_at
    stamped = replace(plan, updated_at=when)
    make_private_dir(Path(home))
    write_private(path, dumps_plan(stamped).encode("utf-8"))
    return stamped


def updated(plan: RelapsePlan, **lists: list[str] | tuple[str, ...] | None) -> RelapsePlan:
    """The plan with the given lists replaced (None leaves a list as it is)."""
    changes = {k: _clean(v) for k, v in lists.items() if v is not None}
    unknown = set(changes) - set(LIST_FIELDS)
    if unknown:
        raise ValueError(f"unknown plan fields: {sorted(unknown)}")
    return replace(plan, **changes)  # type: ignore[arg-type]


# -- triggers ---------------------------------------------------------------------------------

TRIGGER_COUNTS = pl.Schema(
    {
        "trigger": pl.String,
        "in_plan": pl.Boolean,  # False: logged in check-ins but not (yet) in the plan
        "days": pl.UInt32,  # check-in days it was logged on
        "last_date": pl.Date,
    }
)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _matches(logged: str, planned: str) -> bool:
    # "stress at work" counts for a plan trigger "stress": the plan names a kind, the
    # check-in the instance. Whole words only, so "art" never matches "party".
    return logged == planned or re.search(rf"\b{re.escape(planned)}\b", logged) is not None


def trigger_counts(
    checkins: Frame, plan: RelapsePlan, *, since: dt.date | None = None
) -> pl.DataFrame:
    """How often each trigger of the plan was logged in check-ins (0 when never), then the
    logged triggers the plan does not name, most frequent first within each group."""
    frame = checkins.collect() if isinstance(checkins, pl.LazyFrame) else checkins
    table = as_table(frame, CHECKINS)
    if since is not None:
        table = table.filter(pl.col("date") >= since)
    logged = (
        table.select("date", pl.col("triggers"))
        .explode("triggers")
        .drop_nulls("triggers")
        .select(
            "date",
            # the same normalisation as _key, in Polars: case and runs of spaces do not count
            pl.col("triggers")
            .str.to_lowercase()
            .str.replace_all(r"\s+", " ")
            .str.strip_chars()
            .alias("t"),
        )
        .filter(pl.col("t") != "")
        .unique()
        .sort("date", "t")  # ties in the counts keep the order of first appearance
    )
    rows: list[dict[str, object]] = []
    claimed: set[str] = set()
    pairs = list(logged.iter_rows())
    for trigger in plan.triggers:
        key = _key(trigger)
        hits = [(d, t) for d, t in pairs if _matches(t, key)]
        claimed |= {t for _, t in hits}
        days = {d for d, _ in hits}
        rows.append(
            {
                "trigger": trigger,
                "in_plan": True,
                "days": len(days),
                "last_date": max(days, default=None),
            }
        )
    others: dict[str, set[dt.date]] = {}
    for d, t in pairs:
        if t not in claimed:
            others.setdefault(t, set()).add(d)
    rows += [
        {"trigger": t, "in_plan": False, "days": len(ds), "last_date": max(ds)}
        for t, ds in others.items()
    ]
    if not rows:
        return pl.DataFrame(schema=TRIGGER_COUNTS)
    return (
        pl.DataFrame(rows, schema=TRIGGER_COUNTS)
        .with_row_index("_order")
        .sort(["in_plan", "days", "_order"], descending=[True, True, False])
        .drop("_order")
    )


# -- after zero -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AfterZero:
    """Where the person stands once the taper reaches zero."""

    zero_date: dt.date | None  # the plan's day at 0 g (None: no plan to 0, or not yet)
    reached: bool  # today is on or after zero_date
    last_dose_at: dt.datetime | None  # local wall time of the last logged dose
    days_since_last_dose: int | None  # whole local days; 0 when a dose was taken today
    slips: int  # doses logged after zero_date
    last_slip_date: dt.date | None


def zero_date(config: Config, today: dt.date) -> dt.date | None:
    """The first day the plan reaches 0 g; None without a plan or when its target is above 0."""
    plan = config.plan
    if not has_plan(plan) or plan.target_g > 0:
        return None
    return target_date(plan, today=today)


def after_zero(doses: Frame, config: Config, today: dt.date) -> AfterZero:
    live = local_doses(doses, config).filter(pl.col(C.DATE) <= today)
    zero = zero_date(config, today)
    last_at = live["local_at"].max() if live.height else None
    days = (today - last_at.date()).days if last_at is not None else None  # type: ignore[union-attr]
    after = live.filter(pl.col(C.DATE) >= zero) if zero is not None else live.clear()
    return AfterZero(
        zero_date=zero,
        reached=zero is not None and today >= zero,
        last_dose_at=last_at,  # type: ignore[arg-type]
        days_since_last_dose=days,
        slips=after.height,
        last_slip_date=after[C.DATE].max() if after.height else None,  # type: ignore[arg-type]
    )


def days_since_last_dose(doses: Frame, config: Config, today: dt.date) -> int | None:
    return after_zero(doses, config, today).days_since_last_dose


def slip_note(note: str | None = None) -> str:
    """The note a slip is logged with: plain, so the log reads as what happened."""
    text = " ".join((note or "").split())
    return f"{SLIP_NOTE}: {text}" if text else SLIP_NOTE
