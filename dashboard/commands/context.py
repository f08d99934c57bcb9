"""What every subcommand gets: the store, the config, the clock and the zone."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from dashboard.core.clock import effective_now
from dashboard.core.errors import UserError
from dashboard.core.store import config as config_mod
from dashboard.core.store.config import Config
from dashboard.core.store.disk import Store, default_home

ENV_TODAY = "TAPERDASH_TODAY"  # pins "today" (the demo, tests); an ISO date


@dataclass
class Context:
    home: Path
    store: Store
    config: Config
    tz: ZoneInfo
    now: dt.datetime  # aware, UTC
    today: dt.date  # local date in tz

    def out(self, text: str = "") -> None:
        sys.stdout.write(text + "\n")

    def save_config(self, cfg: Config) -> None:
        config_mod.save(self.home, cfg)
        self.config = cfg


def make_context(home_arg: str | None) -> Context:
    home = Path(home_arg).expanduser() if home_arg else default_home()
    store = Store(home)
    cfg = config_mod.load(home)
    tz = cfg.zone()
    raw = os.environ.get(ENV_TODAY)
    try:
        pinned = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise UserError(f"{ENV_TODAY}={raw!r}: expected a date like 2026-11-25") from None
    now = effective_now(tz, pinned)
    today = pinned or now.astimezone(tz).date()
    return Context(home=home, store=store, config=cfg, tz=tz, now=now, today=today)
