"""What every subcommand gets: the store, the config, the clock and the zone."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from dashboard.core import config as config_mod
from dashboard.core.config import Config
from dashboard.core.store import Store, default_home

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
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(tz).date()
    pinned = os.environ.get(ENV_TODAY)
    if pinned:
        today = dt.date.fromisoformat(pinned)
        # the pinned day's evening: doses "now" land on the pinned day
        now = min(now, dt.datetime.combine(today, dt.time(23, 59), tzinfo=tz).astimezone(dt.UTC))
    return Context(home=home, store=store, config=cfg, tz=tz, now=now, today=today)
