"""CLI round trips of the clinical commands, with their exit codes: bad input is one line, 2."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from dashboard.core.clinical.relapse import load_plan
from dashboard.core.store.disk import Store
from tests.core.conftest import sessions

Cli = Callable[..., tuple[int, str, str]]
TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)


def one_line(err: str) -> bool:
    return err.startswith("taperdash: ") and err.strip().count("\n") == 0 and "Traceback" not in err


DIARY = ["diary", "--date", "2026-11-23", "--bedtime", "23:10", "--latency", "20", "--awakenings", "2",
         "--waso", "25", "--wake", "06:40", "--out-of-bed", "07:00", "--quality", "3"]  # fmt: skip


def test_diary_round_trip(cli: Cli, home: Path) -> None:
    rc, out, err = cli(*DIARY)
    assert (rc, err) == (0, "")
    assert out.strip() == (
        "saved diary night 2026-11-23: in bed 7 h 50 min (23:10 to 07:00), asleep 6 h 45 min,"
        " efficiency 86 %, quality 3/5"
    )
    row = Store(home).read("sleep_sessions").row(0, named=True)
    assert (row["source"], row["source_id"], row["asleep_min"], row["time_in_bed_min"]) == (
        "diary", "2026-11-23", 405.0, 470.0,
    )  # fmt: skip
    assert cli(*DIARY[:-1], "4")[0] == 0  # the same night again replaces it
    assert Store(home).read("sleep_sessions")["score"].to_list() == [4.0]


def test_diary_defaults_to_last_night(cli: Cli, home: Path) -> None:
    assert cli("diary", *DIARY[3:], "--json")[0] == 0
    assert Store(home).read("sleep_sessions")["night"].to_list() == [dt.date(2026, 11, 24)]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("--quality", "9"), "quality must be 1"),
        (("--latency", "abc"), "--latency 'abc': not a number"),
        (("--wake", "25:00"), "--wake '25:00'"),
        (("--awakenings", "1.5"), "whole number"),
        (("--date", "2026-11-25"), "in the future"),
        (("--date", "yesterday"), "expected a date"),
    ],
)
def test_bad_diary_is_one_line_exit_2(
    cli: Cli, home: Path, change: tuple[str, str], words: str
) -> None:
    args = list(DIARY)
    args[args.index(change[0]) + 1] = change[1]
    rc, out, err = cli(*args)
    assert rc == 2 and out == ""
    assert one_line(err) and words in err
    assert Store(home).read("sleep_sessions").is_empty()


def test_diary_with_missing_items(cli: Cli) -> None:
    rc, _, err = cli("diary", "--bedtime", "23:00")
    assert rc == 2 and one_line(err) and "--latency" in err


def _one_night(home: Path) -> None:
    s = sessions([{"night": dt.date(2026, 11, 20), "asleep": 400.0, "in_bed": 480.0, "id": "n1"}])
    with Store(home).ensure().transaction() as tx:
        tx.put("sleep_sessions", s)


def test_night_fix_list_and_undo(cli: Cli, home: Path) -> None:
    _one_night(home)
    rc, out, _ = cli(
        "night", "--fix", "garmin:n1", "--start", "2026-11-21T00:30", "--end", "2026-11-21T07:00"
    )
    assert rc == 0 and out.startswith(
        "correction #1: garmin:n1 now 2026-11-21 00:30 to 2026-11-21 07:00"
    )
    rc, out, _ = cli("night", "--list", "--days", "10")
    assert rc == 0 and "garmin:n1  00:30-07:00, asleep 6 h 30 min  [corrected #1]" in out
    assert cli("night", "--fix", "garmin:n1", "--not-sleep")[0] == 0
    assert "[not sleep; corrected #1, #2]" in cli("night", "--list", "--days", "10")[1]
    rc, out, _ = cli("night", "--undo", "2")
    assert rc == 0 and out.strip() == "undid correction #2 (not_sleep) of garmin:n1"
    table = Store(home).read("night_overrides")
    assert table.select("id", "kind", "undone").rows() == [
        (1, "times", False),
        (2, "not_sleep", True),
    ]
    assert Store(home).read("sleep_sessions")["asleep_min"].to_list() == [400.0]  # import untouched


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--fix", "garmin:nope", "--nap"], "no night 'garmin:nope'"),
        (["--fix", "garmin:n1", "--nap", "--not-sleep"], "exactly one of"),
        (["--fix", "garmin:n1"], "exactly one of"),
        (["--fix", "garmin:n1", "--start", "2026-11-21T00:30"], "both --start and --end"),
        (["--fix", "garmin:n1", "--start", "soon", "--end", "later"], "--start 'soon'"),
        (
            ["--fix", "garmin:n1", "--start", "2026-11-21T07:00", "--end", "2026-11-21T06:00"],
            "must end after",
        ),
        (["--undo", "7"], "no correction with id 7"),
        (["--undo", "x"], "--undo 'x'"),
        (["--nap"], "go with --fix"),
        (["--list", "--undo", "1"], "give one of"),
        ([], "night needs --fix"),
    ],
)
def test_bad_night_commands(cli: Cli, home: Path, args: list[str], words: str) -> None:
    _one_night(home)
    rc, _, err = cli("night", *args)
    assert rc == 2 and one_line(err) and words in err, err
    assert Store(home).read("night_overrides").is_empty()


def test_isi_round_trip(cli: Cli, home: Path) -> None:
    rc, out, _ = cli("isi", "--items", "1", "2", "1", "0", "2", "1", "3")
    assert rc == 0
    assert out.strip() == "saved: ISI 10/28 for 2026-W48, subthreshold insomnia"
    row = Store(home).read("isi").row(0, named=True)
    assert (row["week"], row["total"], row["i7"], row["date"]) == (
        "2026-W48",
        10,
        3,
        dt.date(2026, 11, 25),
    )
    rc, out, _ = cli("isi", "--json")
    doc = json.loads(out)
    assert doc["latest"] == {
        "week": "2026-W48",
        "total": 10,
        "band": "subthreshold",
        "change": None,
    }
    assert doc["due"] is False


@pytest.mark.parametrize(
    ("items", "words"),
    [
        (["1", "2"], "7 items"),
        (["1"] * 6 + ["5"], "item 7 must be 0 to 4"),
        (["a"] * 7, "not a number"),
    ],
)
def test_bad_isi(cli: Cli, home: Path, items: list[str], words: str) -> None:
    rc, _, err = cli("isi", "--items", *items)
    assert rc == 2 and one_line(err) and words in err
    assert Store(home).read("isi").is_empty()


def test_relapse_set_show_and_slip(cli: Cli, home: Path) -> None:
    assert cli("checkin", "--trigger", "stress at work", "--date", "2026-11-24")[0] == 0
    rc, out, _ = cli(
        "relapse", "set", "--trigger", "stress", "--reason", "my kids", "--contact", "Sam"
    )
    assert rc == 0 and "triggers 1" in out
    assert cli("relapse", "set", "--add", "--trigger", "payday", "--instead", "call Sam")[0] == 0
    plan = load_plan(home)
    assert (plan.triggers, plan.instead, plan.reasons) == (
        ("stress", "payday"),
        ("call Sam",),
        ("my kids",),
    )
    rc, out, _ = cli("relapse", "show")
    assert (
        rc == 0
        and "Why I am tapering:\n  - my kids" in out
        and "stress: 1 day, last 2026-11-24" in out
    )
    doc = json.loads(cli("relapse", "show", "--json")[1])
    assert doc["trigger_counts"][0] == {
        "trigger": "stress",
        "in_plan": True,
        "days": 1,
        "last_date": "2026-11-24",
    }
    rc, out, _ = cli("relapse", "slip", "1.5", "--at", "2026-11-25T01:00", "--note", "party")
    assert rc == 0 and out.strip() == "logged dose #1: 1.5 g (slip: party)"
    assert Store(home).read("doses").select("grams", "note").rows() == [(1.5, "slip: party")]


@pytest.mark.parametrize(
    ("args", "words"),
    [(["set"], "needs at least one"), (["slip", "x"], "GRAMS 'x'"), (["slip", "0"], "more than 0")],
)
def test_bad_relapse(cli: Cli, args: list[str], words: str) -> None:
    rc, _, err = cli("relapse", *args)
    assert rc == 2 and one_line(err) and words in err


def test_review_json_carries_isi_step_effects_and_fdr_ok(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.demo import DEMO_SRC, build_demo_home

    assert build_demo_home(DEMO_SRC, home) == []
    monkeypatch.setenv("TAPERDASH_TODAY", (DEMO_SRC / "TODAY").read_text().strip())
    assert cli("isi", "--items", "2", "2", "1", "2", "1", "2", "2")[0] == 0
    rc, out, _ = cli("review", "--format", "json")
    assert rc == 0
    doc = json.loads(out)
    assert doc["isi"]["latest"]["total"] == 12 and doc["isi"]["due"] is False
    assert doc["step_effects"] and {
        "step_date",
        "before_g",
        "after_g",
        "complete",
        "measures",
    } <= set(doc["step_effects"][0])
    assert set(doc["step_effects"][0]["measures"]) == {
        "asleep_min",
        "efficiency",
        "withdrawal_score",
        "cravings",
    }
    assert all(isinstance(lk["fdr_ok"], bool) for lk in doc["links"])
    rc, out, _ = cli("review", "--format", "markdown")
    assert "## Insomnia and taper steps" in out and "Insomnia Severity Index 12/28" in out


def test_new_tables_read_empty_from_an_older_home(home: Path) -> None:
    store = Store(home).ensure()
    assert store.read("night_overrides").is_empty() and store.read("isi").is_empty()
    assert isinstance(store.read("isi"), pl.DataFrame)


def test_night_list_on_a_home_without_nights_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = cli("night", "--list")
    assert rc == 0 and out.strip() == "no nights in the last 14 days (--days N looks further back)"
