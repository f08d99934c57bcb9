"""The generated demo history: deterministic, committed as generated, true to its story, and
readable by the project's own importers."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import statistics
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from sample_data import generate
from sample_data.story import DEMO_WEEKS, Story, build_story, planted_effects

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo"
TZ = ZoneInfo("Europe/Berlin")


def _optional(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.skip(f"{name} is not importable yet ({exc})")


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def story() -> Story:
    return build_story(7)


# -- determinism -------------------------------------------------------------------------------


def test_story_is_a_function_of_its_seed() -> None:
    assert build_story(7, weeks=4) == build_story(7, weeks=4)
    assert build_story(7, weeks=4).nights != build_story(8, weeks=4).nights


def test_generator_writes_identical_bytes_from_the_same_seed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    s = build_story(7, weeks=3)
    generate.write(s, a, jobs=1)
    generate.write(s, b, jobs=2)  # the pool must not change a byte
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    assert [k for k in fa if fa[k] != fb[k]] == []
    assert any(k.endswith(".fit") for k in fa), "no FIT files written"
    assert {k.split("/")[0] for k in fa} >= {
        "doses.csv",
        "checkins.csv",
        "config.toml",
        "TODAY",
        "garmin",
        "oura",
    }


def test_regenerating_replaces_and_refuses_foreign_folders(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    generate.write(build_story(7, weeks=3), out, jobs=1)
    n_long = len(_files(out))
    generate.write(build_story(7, weeks=2), out, jobs=1)
    assert len(_files(out)) < n_long  # nothing left over from the longer history
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(generate.GenerateError):
        generate.write(build_story(7, weeks=2), foreign, jobs=1)
    assert (foreign / "notes.txt").read_text() == "mine"


def test_committed_demo_is_what_the_generator_writes(story: Story) -> None:
    """Nobody edits sample_data/demo by hand: every file is regenerated from the seed. When
    this fails after a change to the story, a writer or fitwrite.py, regenerate the demo
    (`python -m sample_data.generate`) and commit it."""
    committed = _files(DEMO)
    work = generate.jobs_for(story)
    assert sorted(committed) == sorted(j.rel for j in work)
    differ = [j.rel for j in work if j.make(*j.args) != committed[j.rel]]
    assert differ == [], f"{len(differ)} files differ, e.g. {differ[:3]}: regenerate the demo"


def test_committed_demo_is_small() -> None:
    total = sum(len(b) for b in _files(DEMO).values())
    assert total < 3_000_000


# -- the story ---------------------------------------------------------------------------------


def test_story_tapers_as_the_issue_describes(story: Story) -> None:
    days = story.days
    assert len(days) == 7 * DEMO_WEEKS
    assert story.today == days[-1].date
    first_week = [d.actual_g for d in days[:7]]
    assert 12 <= statistics.mean(first_week) <= 15
    assert 1.0 <= statistics.mean(d.actual_g for d in days[-7:]) <= 2.0
    assert len(story.plan.holds) == 1
    hold = story.plan.holds[0]
    assert (hold.end - hold.start).days == 6
    held = [d for d in days if hold.start <= d.date <= hold.end]
    assert all(d.hold and not d.cut and d.planned_g == held[0].planned_g for d in held)
    # the week before the hold is the rough one
    assert any(d.rough for d in days if d.date < hold.start)
    planned = [d.planned_g for d in days if d.planned_g is not None]
    assert planned[0] == story.plan.start_dose_g
    assert all(b <= a for a, b in itertools.pairwise(planned))
    for d in days:
        if d.cut and d.planned_g is not None:
            prev = story.plan.planned_g(d.date - dt.timedelta(days=1))
            assert prev is not None and 0.05 <= 1 - d.planned_g / prev <= 0.25
    # a daylight-saving change falls inside the story
    offsets = {dt.datetime.combine(d.date, dt.time(12), tzinfo=TZ).utcoffset() for d in days}
    assert len(offsets) == 2
    assert story.switch is not None and story.days[len(days) // 2].date == story.switch


def test_story_logs_look_like_a_person(story: Story) -> None:
    per_day: dict[dt.date, int] = {}
    for d in story.doses:
        if not d.deleted:
            per_day[d.taken_at.date()] = per_day.get(d.taken_at.date(), 0) + 1
    assert max(per_day.values()) == 4 and min(per_day.values()) >= 2
    live = {d.strain for d in story.doses}
    assert 2 <= len(live) <= 3
    assert {d.form for d in story.doses} >= {"powder", "capsule"}
    sup = {s for c in story.checkins for s in c.supplements}
    assert sup == {"magnesium", "valerian"}
    bad = [c for c in story.checkins if c.withdrawal_score and c.withdrawal_score >= 30]
    assert bad and all(c.triggers for c in bad)
    # a logged dose always matches the day's leaf-gram total the story keeps
    assert sum(d.leaf_g for d in story.doses if not d.deleted) == pytest.approx(
        sum(d.actual_g for d in story.days)
    )


def test_story_plan_is_the_dashboards_plan(story: Story) -> None:
    """The story doses to the schedule the app will draw from the demo's config."""
    plan = _optional("dashboard.core.analysis.plan")
    columns = _optional("dashboard.core.analysis.columns")
    config = _optional("dashboard.core.store.config")
    cfg = config.parse((DEMO / "config.toml").read_text())
    sched = plan.schedule(cfg.plan, until=story.today)
    assert sched[columns.DATE].to_list() == [d.date for d in story.days if d.planned_g is not None]
    assert sched[columns.PLAN_G].to_list() == [
        d.planned_g for d in story.days if d.planned_g is not None
    ]
    steps = set(sched.filter(pl.col("plan_step"))[columns.DATE].to_list())
    assert steps == {d.date for d in story.days if d.cut}


def test_planted_effects_in_the_truth(story: Story) -> None:
    e = planted_effects(story)
    assert e["n_after_cut"] >= 20 and e["n_exercise"] >= 20
    assert e["other_nights_min"] - e["after_cut_min"] >= 25
    assert e["exercise_min"] - e["no_exercise_min"] >= 15


def test_long_history_spans_the_years_and_ends_with_the_demo() -> None:
    long = build_story(7, years=5)
    assert (long.today - long.start).days >= 5 * 365 - 1
    assert long.today == build_story(7).today
    assert sum(1 for a in long.activities if a.sport in ("running", "cycling")) >= 300
    assert planted_effects(long)["other_nights_min"] > planted_effects(long)["after_cut_min"]


# -- reading the demo back with the project's importers ----------------------------------------


def _read_all(paths: list[Path], reader: Callable[..., Any]) -> dict[str, pl.DataFrame]:
    from importers.registry import ReadContext

    ctx = ReadContext(tz=TZ)
    tables: dict[str, list[pl.DataFrame]] = {}
    for p in paths:
        res = reader(p.read_bytes(), p.name, ctx)
        assert res.skipped is None, f"{p}: {res.skipped}"
        assert res.warnings == [], f"{p}: {res.warnings}"
        for k, v in res.tables.items():
            tables.setdefault(k, []).append(v)
    return {k: pl.concat(v) for k, v in tables.items()}


@pytest.fixture(scope="module")
def garmin_tables() -> dict[str, pl.DataFrame]:
    fit = _optional("importers.fit")
    return _read_all(sorted((DEMO / "garmin").rglob("*.fit")), fit.read_fit)


@pytest.fixture(scope="module")
def oura_tables() -> dict[str, pl.DataFrame]:
    oura = _optional("importers.vendors.oura")
    return _read_all(sorted((DEMO / "oura").glob("*.csv")), oura.read_csv)


def _check_nights(frame: pl.DataFrame, story: Story, device: str) -> None:
    truth = {n.night: n for n in story.nights if n.device == device}
    assert frame.height == len(truth)
    for r in frame.iter_rows(named=True):
        n = truth[r["night"]]
        assert r["start"] == n.start and r["end"] == n.end
        assert r["asleep_min"] == pytest.approx(n.asleep_min)
        assert r["time_in_bed_min"] == pytest.approx(n.time_in_bed_min)
        assert r["latency_min"] == pytest.approx(n.latency_min)
        assert r["deep_min"] == pytest.approx(n.stage_min("deep"))


def test_garmin_files_read_back_as_the_story(
    garmin_tables: dict[str, pl.DataFrame], story: Story
) -> None:
    _check_nights(garmin_tables["sleep_sessions"], story, "garmin")
    truth = {n.night: n for n in story.nights if n.device == "garmin"}
    for r in garmin_tables["sleep_sessions"].iter_rows(named=True):
        assert r["awakenings"] == truth[r["night"]].awakenings
        assert r["waso_min"] == pytest.approx(truth[r["night"]].waso_min)
    days = {d.date: d for d in story.daily if d.device == "garmin"}
    got = garmin_tables["daily_activity"]
    assert got.height == len(days)
    for r in got.iter_rows(named=True):
        d = days[r["date"]]
        assert (r["steps"], r["active_min"], r["resting_hr"]) == (
            d.steps,
            d.active_min,
            d.resting_hr,
        )
    acts = garmin_tables["activities"].sort("start")
    assert acts["start"].to_list() == [a.start for a in story.activities]
    assert acts["sport"].to_list() == [a.sport for a in story.activities]
    assert acts["distance_m"].to_list() == pytest.approx([a.distance_m for a in story.activities])


def test_oura_csv_reads_back_as_the_story(
    oura_tables: dict[str, pl.DataFrame], story: Story
) -> None:
    _check_nights(oura_tables["sleep_sessions"], story, "oura")
    steps = dict(
        zip(
            *oura_tables["daily_activity"]
            .select("date", "steps")
            .to_dict(as_series=False)
            .values(),
            strict=True,
        )
    )
    assert steps == {d.date: d.steps for d in story.daily if d.device == "oura"}
    # the ring crossed no DST change, but its offsets are summer time
    assert set(oura_tables["sleep_sessions"]["utc_offset_min"].to_list()) == {120}


def test_logs_read_back_with_the_dashboards_csv_import(story: Story) -> None:
    logcsv = _optional("dashboard.core.store.logcsv")
    from importers.registry import ReadContext

    ctx = ReadContext(tz=TZ)
    doses = logcsv.read_doses((DEMO / "doses.csv").read_bytes(), "doses.csv", ctx).tables["doses"]
    assert doses.height == len(story.doses)
    live = doses.filter(~pl.col("deleted"))
    assert (live["grams"] * live["potency"]).sum() == pytest.approx(
        sum(d.actual_g for d in story.days)
    )
    checkins = logcsv.read_checkins(
        (DEMO / "checkins.csv").read_bytes(), "checkins.csv", ctx
    ).tables["checkins"]
    assert checkins.height == len(story.checkins)
    assert checkins["withdrawal_score"].to_list() == [c.withdrawal_score for c in story.checkins]


def test_config_and_today_are_valid(story: Story) -> None:
    config = _optional("dashboard.core.store.config")
    cfg = config.parse((DEMO / "config.toml").read_text())
    assert cfg.timezone == "Europe/Berlin"
    assert cfg.plan.mode == "proportional" and cfg.plan.rate_pct == 15.0
    assert cfg.plan.start == story.plan.start and len(cfg.plan.holds) == 1
    assert dt.date.fromisoformat((DEMO / "TODAY").read_text().strip()) == story.today


def test_planted_effects_survive_the_importers(
    garmin_tables: dict[str, pl.DataFrame], oura_tables: dict[str, pl.DataFrame], story: Story
) -> None:
    """What the Links screen will see: nights from a cut on are shorter, nights after a day
    with >= 30 min of workouts longer — computed from the imported frames alone."""
    # the watch wins a night both devices recorded (later rows overwrite earlier ones below)
    nights = pl.concat([oura_tables["sleep_sessions"], garmin_tables["sleep_sessions"]])
    acts = garmin_tables["activities"].with_columns(
        day=(
            pl.col("start").dt.replace_time_zone(None)
            + pl.duration(minutes=pl.col("utc_offset_min"))
        ).dt.date()
    )
    exercise = set(
        acts.group_by("day")
        .agg(pl.col("duration_min").sum())
        .filter(pl.col("duration_min") >= 30)["day"]
    )
    cuts = {c + dt.timedelta(days=k) for c in story.cut_days for k in range(3)}
    by = {r["night"]: r["asleep_min"] for r in nights.iter_rows(named=True)}
    after = [v for k, v in by.items() if k in cuts]
    other = [v for k, v in by.items() if k not in cuts]
    ex = [v for k, v in by.items() if k in exercise]
    rest = [v for k, v in by.items() if k not in exercise]
    assert statistics.mean(other) - statistics.mean(after) >= 25
    assert statistics.mean(ex) - statistics.mean(rest) >= 15
