from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.core.store import config
from dashboard.core.store.config import Config, ConfigError, Hold, PlanConfig


def test_round_trip(tmp_path: Path) -> None:
    cfg = Config(
        timezone="Europe/Berlin",
        plan=PlanConfig(
            start_dose_g=12.0,
            rate_pct=15.0,
            start=dt.date(2026, 8, 1),
            holds=(Hold(dt.date(2026, 9, 1), dt.date(2026, 9, 7)),),
        ),
    )
    config.save(tmp_path, cfg)
    assert config.load(tmp_path) == cfg


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert config.load(tmp_path) == Config()


def test_broken_file_names_the_line_and_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('timezone = "Europe/Berlin"\n[plan\nrate_pct = 10\n')
    with pytest.raises(ConfigError, match="line 2"):
        config.load(tmp_path)
    with pytest.raises(ConfigError):
        config.save(tmp_path, Config())
    assert path.read_text().startswith('timezone = "Europe/Berlin"\n[plan\n')


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("min_n = 'five'\n", "min_n"),
        ("colour = 1\n", "unknown setting 'colour'"),
        ("timezone = 'Mars/Olympus'\n", "unknown time zone"),
        ("[plan]\nmode = 'cliff'\n", "proportional or linear"),
        ("[insomnia]\nefficiency = 'high'\n", "efficiency"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "config.toml").write_text(text)
    with pytest.raises(ConfigError, match=words):
        config.load(tmp_path)
