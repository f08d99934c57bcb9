"""Today at a glance: saved after each read of the store, shown at start-up only for exactly
the store, config and day it was made for."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from dashboard.core.views import glance
from dashboard.core.views.glance import Glance

DAY = dt.date(2026, 6, 21)
G = Glance(
    today=DAY,
    taken_g=1.8,
    doses=(("08:18", "1", "1", "Green [b]Malay", "powder", "344"),),
    plan_g=1.75,
    headline="Continue the plan.",
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    (h / "data").mkdir(parents=True)
    (h / "data" / "manifest.json").write_text(
        '{"schema_version": 3, "generation": 7, "tables": {}}'
    )
    (h / "config.toml").write_text('timezone = "Europe/Berlin"\n')
    return h


def test_a_saved_glance_comes_back_for_the_same_store_config_and_day(home: Path) -> None:
    glance.save(home, [(glance.key(home, DAY), G)])
    assert glance.load(home, DAY) == G
    path = home / glance.CACHE_DIR / glance.FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "change",
    [
        lambda h: (h / "data" / "manifest.json").write_text(
            '{"schema_version": 3, "generation": 8, "tables": {}}'
        ),
        lambda h: (h / "config.toml").write_text('timezone = "UTC"\n'),
        lambda h: (h / "config.toml").unlink(),
    ],
    ids=["a commit to the store", "an edited config", "a removed config"],
)
def test_any_change_to_what_it_was_made_from_hides_it(home: Path, change) -> None:  # type: ignore[no-untyped-def]
    glance.save(home, [(glance.key(home, DAY), G)])
    change(home)
    assert glance.load(home, DAY) is None


def test_another_day_hides_it(home: Path) -> None:
    glance.save(home, [(glance.key(home, DAY), G)])
    assert glance.load(home, DAY + dt.timedelta(days=1)) is None


def test_the_key_is_made_from_the_bytes_read_before_the_tables(home: Path) -> None:
    """The app reads the manifest before the tables: a commit in between must leave a key
    that no longer matches (a slower start), never a new key on old numbers."""
    before = glance.read_sources(home)
    (home / "data" / "manifest.json").write_text(
        '{"schema_version": 3, "generation": 8, "tables": {}}'
    )
    glance.save(home, [(glance.key(home, DAY, before), G)])
    assert glance.load(home, DAY) is None


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b'{"entries": 1}',
        b'{"entries": [{"key": "K", "glance": {"today": "nope"}}]}',
        b"\xff\xfe",
    ],
)
def test_a_damaged_cache_is_ignored(raw: bytes) -> None:
    assert glance.from_json(raw, "K") is None


def test_no_home_or_no_cache_is_no_glance(tmp_path: Path) -> None:
    assert glance.load(tmp_path / "nowhere", DAY) is None


def test_an_unwritable_cache_costs_only_the_fast_start(home: Path) -> None:
    (home / glance.CACHE_DIR).write_text("a file where the folder should be")  # fails even as root
    glance.save(home, [(glance.key(home, DAY), G)])  # no exception
    assert glance.load(home, DAY) is None


def test_of_bundle_sums_todays_live_doses_in_leaf_equivalents(tmp_path: Path) -> None:
    from dashboard.core.store import doses
    from dashboard.core.store.disk import Store
    from dashboard.core.views.bundle import load_core

    home = tmp_path / "h"
    store = Store(home)
    now = dt.datetime(2026, 6, 21, 18, 0, tzinfo=dt.UTC)
    for hour, grams, potency in ((7, 2.0, 1.0), (12, 1.0, 1.5), (15, 5.0, 1.0)):
        at = now.replace(hour=hour)
        doses.add(
            store,
            doses.DoseInput(
                grams=grams, taken_at=at, utc_offset_min=0, strain="red", potency=potency
            ),
            now,
        )
    doses.add(
        store, doses.DoseInput(grams=9.0, taken_at=now.replace(day=20), utc_offset_min=0), now
    )
    doses.delete(store, 3, now)
    (home / "config.toml").write_text('timezone = "UTC"\n')
    g = glance.of_bundle(load_core(home, "2026-06-21"))
    assert g.today == DAY
    assert g.taken_g == pytest.approx(3.5)
    assert [row[0] for row in g.doses] == ["07:00", "12:00"]
    assert g.doses[1][1:4] == ("1", "1.5", "red")
    assert g.plan_g is None and g.headline is None


def _home_with_doses(tmp_path: Path) -> Path:
    from dashboard.core.store import doses
    from dashboard.core.store.disk import Store

    home = tmp_path / "h"
    store = Store(home)
    now = dt.datetime(2026, 6, 21, 18, 0, tzinfo=dt.UTC)
    for day, hour, grams in ((20, 8, 3.0), (21, 7, 2.0), (21, 12, 1.0)):
        at = now.replace(day=day, hour=hour)
        doses.add(store, doses.DoseInput(grams=grams, taken_at=at, utc_offset_min=0), now)
    (home / "config.toml").write_text(
        'timezone = "UTC"\n[plan]\nstart = 2026-06-01\nstart_dose_g = 4.0\nrate_pct = 10.0\n'
    )
    return home


def test_refresh_saves_today_and_what_tomorrow_morning_will_show(tmp_path: Path) -> None:
    from dashboard.core.views.bundle import load_core

    home = _home_with_doses(tmp_path)
    glance.refresh(load_core(home, "2026-06-21"), glance.read_sources(home))
    today = glance.load(home, DAY)
    tomorrow = glance.load(home, DAY + dt.timedelta(days=1))
    assert today is not None and today.taken_g == pytest.approx(3.0) and len(today.doses) == 2
    # exactly what a start on the 22nd computes from the same store
    assert tomorrow == glance.of_bundle(load_core(home, "2026-06-22"))
    assert tomorrow is not None and tomorrow.taken_g == 0 and tomorrow.plan_g is not None
    assert glance.load(home, DAY + dt.timedelta(days=2)) is None


def test_a_command_that_writes_remakes_the_glance_if_the_dashboard_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard.cli import main
    from dashboard.core.views.bundle import load_core

    monkeypatch.setenv("TAPERDASH_TODAY", "2026-06-21")
    home = _home_with_doses(tmp_path)
    assert main(["--home", str(home), "log", "0.5", "--at", "10:00"]) == 0
    assert not glance.exists(home)  # nobody opened the dashboard here: nothing is cached
    glance.refresh(load_core(home, "2026-06-21"), glance.read_sources(home))
    assert main(["--home", str(home), "log", "0.25", "--at", "11:00"]) == 0
    fresh = glance.load(home, DAY)
    assert fresh is not None and fresh.taken_g == pytest.approx(3.75) and len(fresh.doses) == 4
    assert (
        main(["--home", str(home), "log", "500"]) == 2
    )  # refused: nothing written, nothing remade
    assert glance.load(home, DAY) == fresh
    capsys.readouterr()


def test_saving_never_makes_a_home_that_is_not_there(tmp_path: Path) -> None:
    glance.save(tmp_path / "typo", [("K", G)])
    assert not (tmp_path / "typo").exists()


def test_the_key_changes_with_the_program_version(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dashboard

    before = glance.key(home, DAY)
    monkeypatch.setattr(dashboard, "__version__", "9.9.9")
    assert glance.key(home, DAY) != before
