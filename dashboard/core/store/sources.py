"""Folders that stay in sync: the list in config.toml (`sources`) and one sync over all of them.

A sync is an ordinary import of every listed folder: the import ledger already makes unchanged
files cost nothing (a file whose path, size and mtime are in the ledger is not even read), so a
sync that finds nothing new only walks the folders. A listed folder that is gone (deleted,
an unmounted disk) is reported with one line and skipped; the others still sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from dashboard.core.errors import UserError
from dashboard.core.store import ingest
from dashboard.core.store.config import Config
from dashboard.core.store.disk import Store
from importers.registry import ReadContext


def normalise(path: str | Path) -> str:
    """The form a folder is kept in: absolute, `~` expanded, symlinks resolved (so a folder
    named two ways is listed once)."""
    return str(Path(path).expanduser().resolve())


def add(cfg: Config, path: str | Path) -> tuple[Config, str, bool]:
    """(new config, the folder as kept, whether it was new). Only an existing folder is added."""
    folder = Path(path).expanduser()
    if not folder.exists():
        raise UserError(f"{path}: no such folder")
    if not folder.is_dir():
        raise UserError(f"{path}: not a folder (sources are folders; import a file with `import`)")
    kept = normalise(folder)
    if kept in cfg.sources:
        return cfg, kept, False
    return replace(cfg, sources=(*cfg.sources, kept)), kept, True


def remove(cfg: Config, path: str | Path) -> tuple[Config, str]:
    """Removes a folder given as listed or as another name of it (it may no longer exist)."""
    wanted = {str(path), normalise(path)}
    kept = [s for s in cfg.sources if s not in wanted]
    if len(kept) == len(cfg.sources):
        listed = ", ".join(cfg.sources) or "none"
        raise UserError(f"{path}: not a source (listed: {listed})")
    gone = next(s for s in cfg.sources if s in wanted)
    return replace(cfg, sources=tuple(kept)), gone


@dataclass
class SyncReport:
    outcomes: list[ingest.Outcome] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # listed folders that are not there

    @staticmethod
    def unchanged(o: ingest.Outcome) -> bool:
        """Nothing new: imported before, or read again and skipped as before (another app's
        file in the folder). A file that failed before fails again, loudly: it needs a look."""
        return o.status == "duplicate" or (o.status == "skipped" and o.again)

    def changed(self) -> list[ingest.Outcome]:
        """The outcomes that get a line of their own."""
        return [o for o in self.outcomes if not self.unchanged(o)]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.changed():
            out[o.status] = out.get(o.status, 0) + 1
        return out

    def summary(self) -> str:
        """`1 imported, 1 failed, 3 unchanged` (or `nothing to import`)."""
        parts = [f"{n} {s}" for s, n in self.counts().items()]
        if unchanged := len(self.outcomes) - len(self.changed()):
            parts.append(f"{unchanged} unchanged")
        return ", ".join(parts) or "nothing to import"

    @property
    def failed(self) -> int:
        return self.counts().get("failed", 0)


def missing_line(folder: str) -> str:
    return (
        f"missing   {folder}: folder not found (deleted or not mounted); skipped "
        f"(`taperdash sources remove {folder}` stops syncing it)"
    )


def sync(
    store: Store,
    cfg: Config,
    rctx: ReadContext,
    now: dt.datetime | None = None,
    progress: ingest.Progress | None = None,
) -> SyncReport:
    report = SyncReport()
    present = []
    for folder in cfg.sources:
        if Path(folder).is_dir():
            present.append(folder)
        else:
            report.missing.append(folder)
    if present:
        report.outcomes = ingest.import_paths(store, present, rctx, "auto", now, progress)
    return report
