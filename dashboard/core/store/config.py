"""TOML config in the home: taper plan, units, insomnia thresholds, source priority, week start.

Read with tomllib, written with tomli-w. A broken file is reported with its line and is never
overwritten: `save` refuses to replace a file it could not read.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_NAME = "config.toml"

# Devices only: a sleep diary is never ranked against a device (diaries run 30-40 min longer
# than devices, so a series switching between them would show jumps that are not sleep).
# Which of the two feeds the analysis is Config.sleep_series. A "diary" left in an older
# config's list is ignored.
DIARY_SOURCE = "diary"
DEFAULT_PRIORITY = (
    "garmin",
    "oura",
    "fitbit",
    "whoop",
    "withings",
    "apple_health",
    "samsung",
    "sleep_as_android",
    "garmin_connect",
    # databases that gather other apps' and devices' data; their sources are
    # "health_connect:<package>" and "gadgetbridge:<device>", listable in full to rank one first
    "health_connect",
    "gadgetbridge",
    "generic",
)


SLEEP_SERIES = ("auto", "device", "diary")


class ConfigError(Exception):
    """A config file that cannot be read or holds a bad value; the message names where."""


@dataclass(frozen=True)
class Hold:
    start: dt.date
    end: dt.date  # inclusive


@dataclass(frozen=True)
class PlanConfig:
    mode: str = "proportional"  # proportional | linear
    start_dose_g: float | None = None  # None: no plan set
    rate_pct: float = 10.0  # per week; proportional: % of the current dose, linear: % of start
    start: dt.date | None = None
    target_g: float = 0.0
    step_g: float = 0.25  # smallest step the scale resolves
    holds: tuple[Hold, ...] = ()


@dataclass(frozen=True)
class InsomniaConfig:
    asleep_min: float = 360.0  # an insomnia night sleeps less than this
    efficiency: float = 0.85
    latency_min: float = 30.0
    waso_min: float = 30.0


@dataclass(frozen=True)
class AdvisorConfig:
    withdrawal_hold: float = 24.0  # mean SOWS over the last days above this suggests a hold
    insomnia_nights_hold: int = 4  # insomnia nights in the last 7 above this suggests a hold
    lookback_days: int = 5
    sudden_drop_pct: float = 25.0
    # The 7-day mean daily dose under this share of the 28-day mean is a sudden drop too: it
    # catches a fall spread over two weeks that no single week-on-week cut shows.
    sudden_drop_ratio: float = 0.75
    big_dose_g: float = 5.0
    min_step_days: int = 7  # judge a step only after this many days (about 5 half-lives)


@dataclass(frozen=True)
class Config:
    timezone: str = ""  # IANA name; "" means the system's local zone
    mass_unit: str = "g"
    week_start: str = "monday"
    min_n: int = 5  # per side, below which a link says "not enough data yet"
    half_life_h: float = 24.0  # kratom (mitragynine): ~23 h in regular users, up to ~45 h
    # Which nights feed the analysis (daily frame, links, review): "device" (by
    # source_priority), "diary", or "auto" (devices when the home has any device night, the
    # diary otherwise). Never both: one series does not mix sources.
    sleep_series: str = "auto"
    source_priority: tuple[str, ...] = DEFAULT_PRIORITY
    plan: PlanConfig = field(default_factory=PlanConfig)
    insomnia: InsomniaConfig = field(default_factory=InsomniaConfig)
    advisor: AdvisorConfig = field(default_factory=AdvisorConfig)
    generic_csv: dict[str, dict[str, str]] = field(default_factory=dict)
    # [dose_csv.NAME]: a spreadsheet log's columns by role (date = "Day", grams = "Dose", ...),
    # plus optional date_order = "dayfirst" | "monthfirst" and unit = "g" | "mg"
    dose_csv: dict[str, dict[str, str]] = field(default_factory=dict)
    # folders `taperdash sync` imports what is new from (absolute paths; `taperdash sources`)
    sources: tuple[str, ...] = ()

    def zone(self) -> ZoneInfo:
        return resolve_zone(self.timezone)


def resolve_zone(name: str) -> ZoneInfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {name!r}") from exc
    return _local_zone()


def _local_zone() -> ZoneInfo:
    import os

    tzname = os.environ.get("TZ", "").lstrip(":")
    if tzname:
        try:
            return ZoneInfo(tzname)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        link = Path("/etc/localtime").resolve()
        parts = link.parts
        if "zoneinfo" in parts:
            return ZoneInfo("/".join(parts[parts.index("zoneinfo") + 1 :]))
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    return ZoneInfo("UTC")


def _section(cls: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {key!r}")
        default = getattr(cls(), key)
        if key == "holds":
            try:
                value = tuple(
                    Hold(
                        dt.date.fromisoformat(str(h["start"])), dt.date.fromisoformat(str(h["end"]))
                    )
                    for h in value
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(f"{where}.holds: each hold needs start and end dates") from exc
        elif key == "start" and value is not None:
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError as exc:
                    raise ConfigError(f"{where}.start: not a date: {value!r}") from exc
            elif not isinstance(value, dt.date):
                raise ConfigError(f"{where}.start: not a date: {value!r}")
        elif isinstance(default, bool) or isinstance(value, bool):
            if not isinstance(value, bool) or not isinstance(default, bool):
                raise ConfigError(
                    f"{where}.{key}: expected {type(default).__name__}, got {value!r}"
                )
        elif isinstance(default, float) or (default is None and key.endswith("_g")):
            if not isinstance(value, int | float):
                raise ConfigError(f"{where}.{key}: expected a number, got {value!r}")
            value = float(value)
        elif isinstance(default, int):
            if not isinstance(value, int):
                raise ConfigError(f"{where}.{key}: expected a whole number, got {value!r}")
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise ConfigError(f"{where}.{key}: expected text, got {value!r}")
        elif isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}.{key}: expected a list of names")
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


def parse(text: str, name: str = CONFIG_NAME) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: {exc} — fix or remove the file; it was not changed") from exc
    sections = {"plan": PlanConfig, "insomnia": InsomniaConfig, "advisor": AdvisorConfig}
    top: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    for key, value in data.items():
        if key in sections:
            if not isinstance(value, dict):
                raise ConfigError(f"{name}: [{key}] must be a table")
            nested[key] = _section(sections[key], value, f"{name} [{key}]")
        elif key in ("generic_csv", "dose_csv"):
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f"{name}: [{key}.NAME] tables map columns")
            nested[key] = {k: {str(a): str(b) for a, b in v.items()} for k, v in value.items()}
        else:
            top[key] = value
    cfg = _section(Config, top, name)
    cfg = replace(cfg, **nested)
    if cfg.timezone:
        resolve_zone(cfg.timezone)
    if cfg.plan.mode not in ("proportional", "linear"):
        raise ConfigError(
            f"{name} [plan].mode: expected proportional or linear, got {cfg.plan.mode!r}"
        )
    if cfg.sleep_series not in SLEEP_SERIES:
        raise ConfigError(f"{name}: sleep_series must be one of {', '.join(SLEEP_SERIES)}")
    if not cfg.half_life_h > 0:
        raise ConfigError(f"{name}: half_life_h must be more than 0 hours")
    if not 0 < cfg.advisor.sudden_drop_ratio < 1:
        raise ConfigError(f"{name} [advisor].sudden_drop_ratio: expected a share between 0 and 1")
    if cfg.week_start not in ("monday", "sunday"):
        raise ConfigError(f"{name}: week_start must be monday or sunday")
    return cfg


def load(home: Path) -> Config:
    path = home / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    return parse(text, str(path))


def to_toml_dict(cfg: Config) -> dict[str, Any]:
    def clean(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: clean(v) for k, v in obj.items() if v is not None}
        if isinstance(obj, list | tuple):
            return [clean(v) for v in obj]
        return obj

    return clean(asdict(cfg))


def dumps(cfg: Config) -> str:
    import tomli_w

    return tomli_w.dumps(to_toml_dict(cfg))


def save(home: Path, cfg: Config) -> None:
    """Writes the config, refusing to replace a file that does not parse (the user's edits)."""
    from dashboard.core.store.files import make_private_dir, write_private

    path = home / CONFIG_NAME
    if path.exists():
        load(home)  # raises ConfigError naming the line: never overwrite what we cannot read
    make_private_dir(home)
    write_private(path, dumps(cfg).encode("utf-8"))
