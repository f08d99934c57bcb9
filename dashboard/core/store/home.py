"""Where the data lives, found without importing Polars (the dashboard's start-up path)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "TAPERDASH_HOME"


def default_home() -> Path:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("taperdash", appauthor=False))


DATA = "data"  # the store's folder in the home
MANIFEST = "manifest.json"  # in DATA: which file holds each table


def manifest_path(home: Path) -> Path:
    return home / DATA / MANIFEST
