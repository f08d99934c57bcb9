"""Today at a glance: what the Today screen shows at the top, small enough to keep beside the store.

The dashboard's first frame should show the person's day, but reading the store needs Polars
(~0.3 s to import) and ten tables. So each time the app has read the store, and after each
command that wrote to it, this summary is saved to `cache/glance.json` in the home, for today
and for tomorrow (the first start of a day is the usual one), each under a key made of the
exact bytes of the store's manifest and of config.toml and the day it is for. At the next start
the key is made again (two small reads, no Polars) and a summary is shown only if its key
matches: any write to the store changes the manifest, so a stale glance is never shown; the app
then waits for the store as before.

This module must stay importable without Polars (test_architecture checks the start-up path);
`of_bundle` imports it when it is called, in the app's loading worker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.core.store.files import make_private_dir, write_private
from dashboard.core.store.home import manifest_path

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle

VERSION = 2  # bump when the fields or their meaning change: older files are then ignored
CACHE_DIR = "cache"
FILE = "glance.json"
DOSE_COLUMNS = ("time", "grams", "leaf-eq", "strain", "form", "id")


@dataclasses.dataclass(frozen=True)
class Glance:
    today: dt.date
    taken_g: float  # leaf-gram equivalents taken today
    doses: tuple[tuple[str, ...], ...]  # today's doses as shown, one tuple per DOSE_COLUMNS
    plan_g: float | None  # today's planned amount, None without a plan
    headline: str | None  # the advisor's one line


def key(home: Path, today: dt.date, sources: tuple[bytes, bytes] | None = None) -> str:
    """What a glance was computed from: the manifest's and config.toml's bytes, and the day.
    `sources` passes those bytes when they were read earlier (before the tables were)."""
    from dashboard import __version__

    manifest, config = sources if sources is not None else read_sources(home)
    digest = hashlib.sha256()
    # the program's version too: another taperdash may compute the same day differently
    stamp = f"{VERSION} {__version__}".encode()
    for part in (stamp, today.isoformat().encode(), manifest, config):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def read_sources(home: Path) -> tuple[bytes, bytes]:
    """The bytes the key is made of; a missing or unreadable file counts as empty (reading the
    store then fails and says why, and no glance is saved)."""

    def read(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError:
            return b""

    return read(manifest_path(home)), read(home / "config.toml")


def to_json(entries: list[tuple[str, Glance]]) -> bytes:
    docs = []
    for glance_key, glance in entries:
        doc: dict[str, Any] = dataclasses.asdict(glance)
        doc["today"] = glance.today.isoformat()
        docs.append({"key": glance_key, "glance": doc})
    return json.dumps({"entries": docs}, ensure_ascii=False).encode()


def from_json(raw: bytes, glance_key: str) -> Glance | None:
    """The saved glance made for `glance_key`; None for anything else."""
    try:
        for entry in json.loads(raw)["entries"]:
            if entry.get("key") != glance_key:
                continue
            g = entry["glance"]
            plan = g["plan_g"]
            return Glance(
                today=dt.date.fromisoformat(g["today"]),
                taken_g=float(g["taken_g"]),
                doses=tuple(tuple(str(c) for c in row) for row in g["doses"]),
                plan_g=None if plan is None else float(plan),
                headline=g["headline"],
            )
    except (ValueError, KeyError, TypeError, AttributeError):
        pass  # a damaged cache is only a slower start
    return None


def save(home: Path, entries: list[tuple[str, Glance]]) -> None:
    if not home.is_dir():
        return  # a dashboard opened on a home that is not there must not make one
    try:
        make_private_dir(home / CACHE_DIR)
        write_private(home / CACHE_DIR / FILE, to_json(entries))
    except OSError:
        pass  # a read-only or full disk costs the fast start, nothing else


def load(home: Path, today: dt.date) -> Glance | None:
    try:
        raw = (home / CACHE_DIR / FILE).read_bytes()
        return from_json(raw, key(home, today))
    except OSError:
        return None


def exists(home: Path) -> bool:
    return (home / CACHE_DIR / FILE).is_file()


def refresh(core: Bundle, sources: tuple[bytes, bytes]) -> None:
    """Saves the glances of `core` (a store just read) for its day and the next. `sources`
    are the manifest and config bytes read before the tables were."""
    from dashboard.core.views.bundle import for_day

    tomorrow = core.today + dt.timedelta(days=1)
    save(
        core.home,
        [
            (key(core.home, core.today, sources), of_bundle(core)),
            (key(core.home, tomorrow, sources), of_bundle(for_day(core, tomorrow))),
        ],
    )


def refresh_home(home: Path, pinned_today: str | None) -> None:
    """After a command wrote to the store: read it and save the new glances."""
    from dashboard.core.views.bundle import load_core

    sources = read_sources(home)
    refresh(load_core(home, pinned_today), sources)


def of_bundle(bundle: Bundle) -> Glance:
    """The glance of a freshly read store (the Today screen renders this, cached or not)."""
    import polars as pl

    from dashboard.core.analysis.daily import local_doses

    # the daily frame's own local day and leaf grams: the glance and the numbers agree
    todays = local_doses(bundle.table("doses"), bundle.config).filter(
        pl.col("date") == bundle.today
    )
    rows = []
    for row in todays.iter_rows(named=True):
        rows.append(
            (
                f"{row['local_at']:%H:%M}",
                f"{row['grams']:g}",
                f"{row['leaf_g']:g}",
                row["strain"] or "",
                row["form"] or "",
                str(row["id"]),
            )
        )
    taken = float(todays["leaf_g"].sum())
    advice = bundle.advice
    plan_g = getattr(advice, "today_plan_g", None) if advice is not None else None
    return Glance(
        today=bundle.today,
        taken_g=taken,
        doses=tuple(rows),
        plan_g=plan_g,
        headline=advice.headline() if advice is not None and plan_g is not None else None,
    )
