"""`taperdash --demo`: the generated history in sample_data/demo, imported once into a cached
home, then copied into a fresh temporary home for each run (so the demo opens at once and
nothing a visitor logs survives)."""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import shutil
import tempfile
from pathlib import Path

from dashboard.core.clock import now_utc
from dashboard.core.errors import UserError


def _demo_src() -> Path:
    """The demo history: package data of `sample_data`, in a checkout or an installed wheel
    (both install it as plain files, so a path is enough)."""
    from importlib.resources import files

    return Path(str(files("sample_data").joinpath("demo")))


DEMO_SRC = _demo_src()


def _digest(src: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(src)).encode())
        h.update(path.read_bytes())
    from dashboard import __version__

    h.update(__version__.encode())
    return h.hexdigest()[:16]


def build_demo_home(src: Path, dest: Path) -> list[str]:
    """Imports the demo files into `dest` the way a user would; returns the failure lines."""
    from dashboard.core.store import config as config_mod
    from dashboard.core.store import ingest
    from dashboard.core.store.disk import Store
    from importers.registry import ReadContext

    store = Store(dest).ensure()
    cfg_file = src / "config.toml"
    if cfg_file.exists():
        shutil.copyfile(cfg_file, dest / "config.toml")
        (dest / "config.toml").chmod(0o600)
    cfg = config_mod.load(dest)
    paths = [
        str(p) for p in sorted(src.iterdir()) if p.name not in ("config.toml", "TODAY", "README.md")
    ]
    # imported on the story's own today, not on the day the cache happened to be built: a
    # ledger dated after the demo's today would be a line from the future
    today_file = src / "TODAY"
    when = (
        dt.datetime.combine(dt.date.fromisoformat(today_file.read_text().strip()), dt.time(8))
        .replace(tzinfo=cfg.zone())
        .astimezone(dt.UTC)
        if today_file.exists()
        else None
    )
    outcomes = ingest.import_paths(store, paths, ReadContext(tz=cfg.zone()), now=when)
    return [o.line() for o in outcomes if o.status == "failed"]


def _sweep_stale_demos() -> None:
    """Demo homes of demos that ended without running atexit (the terminal closed: SIGHUP):
    each folder names its process, and one whose process is gone is removed."""
    import os

    for folder in Path(tempfile.gettempdir()).glob("taperdash-demo-*-*"):
        pid = folder.name.split("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # alive, someone else's
            continue


def relocate_ledger(home: Path, src: Path) -> None:
    """The cached demo home is shared by every install on the machine and its ledger names the
    files of whichever one built it (another checkout, maybe gone): name this install's."""
    import os

    import polars as pl

    from dashboard.core.store.disk import Store

    store = Store(home)
    ledger = store.read("imports")
    paths = [p for p in ledger["path"].to_list() if p]
    if not paths:
        return
    built_from = os.path.commonpath(paths)  # the demo folder: its top holds doses.csv
    if built_from == str(src):
        return
    with store.transaction() as tx:
        tx.put(
            "imports",
            ledger.with_columns(
                pl.when(pl.col("path").str.starts_with(built_from))
                .then(pl.lit(str(src)) + pl.col("path").str.slice(len(built_from)))
                .otherwise(pl.col("path"))
                .alias("path")
            ),
        )


def prepare_demo_home(src: Path = DEMO_SRC) -> tuple[Path, dt.date]:
    if not src.is_dir():
        raise UserError(f"the demo history is missing ({src}); run: python -m sample_data.generate")
    from platformdirs import user_cache_dir

    from dashboard.core.store.files import make_private_dir

    cache_root = Path(user_cache_dir("taperdash", appauthor=False))
    cached = cache_root / f"demo-{_digest(src)}"
    if not cached.exists():
        make_private_dir(cache_root)
        building = Path(tempfile.mkdtemp(prefix="demo-build-", dir=cache_root))
        build_demo_home(src, building)
        try:
            building.rename(cached)
        except OSError:  # another demo built it first
            shutil.rmtree(building, ignore_errors=True)
    import os

    _sweep_stale_demos()
    home = Path(tempfile.mkdtemp(prefix=f"taperdash-demo-{os.getpid()}-")) / "home"
    shutil.copytree(cached, home)
    relocate_ledger(home, src)
    atexit.register(shutil.rmtree, home.parent, True)
    today_file = src / "TODAY"
    today = (
        dt.date.fromisoformat(today_file.read_text().strip())
        if today_file.exists()
        else now_utc().date()
    )
    return home, today
