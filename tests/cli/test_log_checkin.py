from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dashboard.core.store.disk import Store


def test_log_stores_utc_and_offset(cli, home: Path) -> None:
    rc, out, _ = cli(
        "log", "3.5", "--at", "2026-07-01T08:30", "--strain", "Red Bali", "--form", "capsule"
    )
    assert rc == 0
    assert out.startswith("logged dose #1: 3.5 g capsule Red Bali at 2026-07-01 08:30")
    row = Store(home).read("doses").row(0, named=True)
    assert row["taken_at"] == dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC)
    assert row["utc_offset_min"] == 120
    assert (row["grams"], row["strain"], row["form"], row["potency"], row["deleted"]) == (
        3.5,
        "Red Bali",
        "capsule",
        1.0,
        False,
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["0"], "more than 0"),
        (["-2"], "more than 0"),
        (["150"], "over 100 g"),
        (["3", "--at", "2099-01-01T08:00"], "in the future"),
        (["3", "--at", "noonish"], "expected 21:30"),
        (["3", "--potency", "0"], "potency"),
        (["abc"], "not a number of grams"),
        ([], "needs GRAMS"),
    ],
)
def test_bad_doses_are_refused_with_one_line_and_nothing_written(
    cli, home: Path, args: list[str], words: str
) -> None:
    rc, _out, err = cli("log", *args)
    assert rc == 2
    assert words in err
    assert "Traceback" not in err
    assert Store(home).read("doses").height == 0


def test_force_accepts_a_big_dose(cli, home: Path) -> None:
    assert cli("log", "150", "--force")[0] == 0
    assert Store(home).read("doses")["grams"].to_list() == [150.0]


def test_edit_and_soft_delete(cli, home: Path) -> None:
    cli("log", "3", "--at", "08:00")
    cli("log", "2", "--at", "09:00")
    rc, out, _ = cli("log", "--edit", "1", "2.5", "--strain", "Green Malay")
    assert rc == 0 and "2.5 g" in out
    rc, out, _ = cli("log", "--delete", "2")
    assert rc == 0
    table = Store(home).read("doses").sort("id")
    assert table["grams"].to_list() == [2.5, 2.0]
    assert table["deleted"].to_list() == [False, True]
    assert table["strain"].to_list() == ["Green Malay", None]
    assert cli("log", "--delete", "2")[0] == 2
    assert cli("log", "--delete", "99")[2].strip() == "taperdash: no dose with id 99"
    rc, out, _ = cli("log", "--list", "--days", "2")
    assert "#1: 2.5 g" in out and "#2" not in out


def test_checkin_sums_sows_and_second_one_updates(cli, home: Path) -> None:
    rc, out, _ = cli(
        "checkin",
        "--date",
        "2026-11-20",
        "--sows",
        "anxious=2",
        "yawning=1",
        "--cravings",
        "4",
        "--supplement",
        "magnesium",
        "--trigger",
        "payday",
    )
    assert rc == 0 and "withdrawal 3/64" in out
    rc, out, _ = cli(
        "checkin",
        "--date",
        "2026-11-20",
        "--sows",
        "aches=3",
        "--mood",
        "6",
        "--exercise",
        "--trigger",
        "argument",
    )
    assert rc == 0
    table = Store(home).read("checkins")
    assert table.height == 1
    row = table.row(0, named=True)
    assert row["withdrawal_score"] == 6
    assert (row["cravings"], row["mood"], row["exercise"]) == (4, 6, True)
    assert row["supplements"] == ["magnesium"]
    assert row["triggers"] == ["payday", "argument"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--sows", "anxious=7"], "0 to 4"),
        (["--sows", "sneezing=1"], "unknown item 'sneezing'"),
        (["--sows", "anxious"], "ITEM=0-4"),
        (["--cravings", "11"], "cravings must be 0 to 10"),
        (["--date", "2099-01-01"], "in the future"),
    ],
)
def test_bad_checkins_are_refused(cli, home: Path, args: list[str], words: str) -> None:
    rc, _, err = cli("checkin", *args)
    assert rc == 2 and words in err
    assert Store(home).read("checkins").height == 0


def test_export_then_import_round_trips_and_reimport_is_a_noop(
    cli, home: Path, tmp_path: Path
) -> None:
    cli("log", "3", "--at", "2026-11-01T08:00", "--strain", '=HYPERLINK("x")')
    cli("log", "2.5", "--at", "2026-11-01T20:00", "--potency", "1.5", "--note", "with tea")
    cli(
        "checkin",
        "--date",
        "2026-11-01",
        "--sows",
        "anxious=2",
        "--supplement",
        "valerian",
        "--supplement",
        "magnesium",
    )
    out_dir = tmp_path / "export"
    rc, _out, _ = cli("export", "--out", str(out_dir))
    assert rc == 0
    text = (out_dir / "doses.csv").read_text()
    assert "'=HYPERLINK" in text  # a spreadsheet would run it as a formula
    assert "2026-11-01T08:00:00+01:00" in text

    other = tmp_path / "other-home"
    from dashboard.cli import main

    assert (
        main(
            [
                "--home",
                str(other),
                "import",
                str(out_dir / "doses.csv"),
                str(out_dir / "checkins.csv"),
            ]
        )
        == 0
    )
    a, b = Store(home), Store(other)
    cols = ["taken_at", "utc_offset_min", "grams", "strain", "form", "potency", "note", "deleted"]
    assert (
        a.read("doses")
        .select(cols)
        .sort("taken_at")
        .equals(b.read("doses").select(cols).sort("taken_at"))
    )
    assert b.read("checkins")["supplements"].to_list() == [["valerian", "magnesium"]]
    assert b.read("checkins")["withdrawal_score"].to_list() == [2]
    # the same bytes again, and the same rows under another name, add nothing
    assert main(["--home", str(other), "import", str(out_dir / "doses.csv")]) == 0
    copy = tmp_path / "copy.csv"
    copy.write_bytes((out_dir / "doses.csv").read_bytes() + b"\n")
    assert main(["--home", str(other), "import", str(copy)]) == 0
    assert b.read("doses").height == 2


def test_bad_dose_csv_is_refused_whole_with_its_line(cli, home: Path, tmp_path: Path) -> None:
    cli("log", "1", "--at", "2026-11-01T07:00")
    bad = tmp_path / "doses.csv"
    bad.write_text("taken_at,grams\n2026-11-02T08:00,3\n2026-11-02T20:00,-4\n")
    rc, out, _ = cli("import", str(bad))
    assert rc == 1
    assert "line 3, grams" in out
    assert Store(home).read("doses")["grams"].to_list() == [1.0]
    rc, out, _ = cli("import", "--skip-bad-rows", str(bad))
    assert rc == 0
    assert sorted(Store(home).read("doses")["grams"].to_list()) == [1.0, 3.0]


def test_import_json_is_one_document(cli, tmp_path: Path) -> None:
    import json

    f = tmp_path / "doses.csv"
    f.write_text("taken_at,grams\n2026-11-02T08:00+01:00,3\n")
    rc, out, _ = cli("import", "--json", str(f), str(tmp_path / "missing.fit"))
    doc = json.loads(out)
    assert rc == 1
    assert [x["status"] for x in doc["files"]] == ["imported", "failed"]
    assert doc["files"][1]["message"] == "no such file or folder"


def test_unknown_format_says_how_it_begins_in_one_short_line(cli, tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("hello world\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    # not the list of every format (`taperdash formats` has it): how the file begins
    assert out.splitlines()[0] == (
        f"failed    {f}: unrecognised format; it begins: 'hello world' "
        "(`taperdash formats` lists what it reads)"
    )


def test_config_error_is_one_line(cli, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[plan\n")
    rc, _, err = cli("log", "3")
    assert rc == 2
    assert err.count("\n") == 1 and "line 1" in err


def test_demo_today_pin(cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", "2026-08-01")
    cli("log", "3", "--at", "21:00")
    row = Store(home).read("doses").row(0, named=True)
    assert row["taken_at"].date() == dt.date(2026, 8, 1)
    assert pl.Series([row["utc_offset_min"]]).to_list() == [120]


def test_unknown_files_inside_a_folder_are_skipped_not_failed(cli, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "README.txt").write_text("exported by some app\n")
    (folder / "doses.csv").write_text("taken_at,grams\n2026-11-02T08:00+01:00,3\n")
    rc, out, _ = cli("import", str(folder))
    assert rc == 0
    assert "skipped   " in out and "README.txt: not a format taperdash reads" in out
    assert "1 imported" in out


def test_an_import_counts_the_check_ins_an_earlier_file_of_it_brought(
    cli, home: Path, tmp_path: Path
) -> None:
    # export writes checkins.csv and checkins.parquet: into a fresh home, the second is no news
    assert cli("checkin", "--date", "2026-11-20", "--cravings", "4")[0] == 0
    out_dir = tmp_path / "exp"
    assert cli("export", "--out", str(out_dir))[0] == 0
    assert cli("export", "--out", str(out_dir), "--format", "parquet")[0] == 0
    fresh = tmp_path / "fresh"
    rc, out, _ = cli("--home", str(fresh), "import", str(out_dir / "checkins.csv"),
                     str(out_dir / "checkins.parquet"))  # fmt: skip
    assert rc == 0, out
    parquet_line = next(ln for ln in out.splitlines() if "checkins.parquet" in ln)
    assert "0 new or changed, 1 already stored as they are" in parquet_line


def test_a_dose_far_above_the_recent_ones_needs_force(cli, home: Path) -> None:
    for hour, grams in (("07:00", "2"), ("09:00", "3"), ("11:00", "2.5")):
        assert cli("log", grams, "--at", hour)[0] == 0
    rc, _out, err = cli("log", "25")
    assert rc == 2
    assert err.strip() == (
        "taperdash: 25 g is 8x the largest powder dose of the four weeks before (3 g):"
        " a typo for 2.5 g? (--force to log it)"
    )
    assert Store(home).read("doses")["grams"].to_list() == [2.0, 3.0, 2.5]
    assert cli("log", "25", "--force")[0] == 0
    assert Store(home).read("doses")["grams"].to_list() == [2.0, 3.0, 2.5, 25.0]


def test_a_full_disk_is_one_line_and_the_log_as_it_was(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "3", "--at", "07:00")[0] == 0

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", disk_full)
    rc, _out, err = cli("log", "2.5")
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.strip().endswith("could not write (No space left on device); nothing was changed")
    monkeypatch.undo()
    assert Store(home).read("doses")["grams"].to_list() == [3.0]


def test_an_edit_to_a_dose_far_above_the_others_needs_force(cli, home: Path) -> None:
    for hour, grams in (("07:00", "2"), ("09:00", "3"), ("11:00", "2.5"), ("13:00", "2")):
        assert cli("log", grams, "--at", hour)[0] == 0
    rc, _out, err = cli("log", "--edit", "4", "20")
    assert rc == 2
    assert "20 g is 7x the largest powder dose" in err and "(--force to change it)" in err
    assert cli("log", "--edit", "4", "2.2")[0] == 0  # an ordinary correction
    assert cli("log", "--edit", "4", "--note", "with tea")[0] == 0  # grams unchanged: no question
    assert cli("log", "--edit", "4", "20", "--force")[0] == 0
    assert Store(home).read("doses").sort("id")["grams"].to_list() == [2.0, 3.0, 2.5, 20.0]
