"""`taperdash import` of spreadsheet logs: flags that settle what a file leaves open, mappings,
the dry run, overlap with stored doses, and the one-line refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from dashboard.core.store.disk import Store


def _local(home: Path) -> list[tuple[str, float]]:
    doses = Store(home).read("doses").sort("taken_at")
    out = []
    for r in doses.iter_rows(named=True):
        at = r["taken_at"].astimezone(dt.timezone(dt.timedelta(minutes=r["utc_offset_min"])))
        out.append((at.strftime("%Y-%m-%d %H:%M"), r["grams"]))
    return out


def _files(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in home.rglob("*") if p.is_file()}


AMBIGUOUS = "date,time,grams,strain\n05/03/2026,08:20,4,Red\n06/03/2026,8:20 PM,3,Red\n"


def test_ambiguous_dates_fail_in_one_line_naming_the_flags(cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "doses.csv"
    f.write_text(AMBIGUOUS)
    rc, out, err = cli("import", str(f))
    assert rc == 1
    lines = out.splitlines()
    assert lines[0] == (
        f"failed    {f}: every date in column 'date' fits both day-first and month-first "
        "(e.g. '05/03/2026'); say which with --dayfirst or --monthfirst"
    )
    assert lines[1:] == ["1 file(s): 1 failed"] and err == ""
    assert Store(home).read("doses").is_empty()


def test_dayfirst_and_monthfirst_settle_it(cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "doses.csv"
    f.write_text(AMBIGUOUS)
    rc, out, _ = cli("import", "--dayfirst", str(f))
    assert rc == 0, out
    assert _local(home) == [("2026-03-05 08:20", 4.0), ("2026-03-06 20:20", 3.0)]
    other = tmp_path / "other-home"
    rc, _, _ = cli("--home", str(other), "import", "--monthfirst", str(f))
    assert rc == 0
    assert _local(other) == [("2026-05-03 08:20", 4.0), ("2026-06-03 20:20", 3.0)]


def test_unit_flag(cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "doses.csv"
    f.write_text("date,time,dose\n2026-03-05,08:20,50\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 1 and "--unit g or --unit mg" in out
    rc, _, _ = cli("import", "--unit", "mg", str(f))
    assert rc == 0 and _local(home) == [("2026-03-05 08:20", 0.05)]


def test_columns_flag_places_what_detection_cannot(cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "doses.csv"
    f.write_text("Day,At,Portion\n2026-03-05,08:20,4.5\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    assert out.splitlines()[0] == (
        f"failed    {f}: looks like a dose log but no amount column (columns: Day, At, Portion); "
        "map one with --columns grams=NAME"
    )
    rc, out, _ = cli("import", "--columns", "date=Day,time=At,grams=Portion", str(f))
    assert rc == 0, out
    assert _local(home) == [("2026-03-05 08:20", 4.5)]


def test_a_malformed_columns_flag_is_a_usage_error(cli, tmp_path: Path) -> None:
    f = tmp_path / "doses.csv"
    f.write_text("Day,At,Portion\n2026-03-05,08:20,4.5\n")
    rc, _, err = cli("import", "--columns", "grams", str(f))
    assert rc == 2 and err.count("\n") == 1 and "ROLE=COLUMN" in err


def test_config_mapping(cli, home: Path, tmp_path: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text(
        'timezone = "America/New_York"\n\n'
        '[dose_csv.pillbox]\ndate = "Tag"\ntime = "Wann"\nmg = "Portion"\ndate_order = "dayfirst"\n'
    )
    f = tmp_path / "pillbox.csv"
    f.write_text("Tag;Wann;Portion\n5.3.2026;08:20;500\n6.3.2026;21:00;450\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 0, out
    # the configured zone, not the machine's (Berlin in the tests)
    assert _local(home) == [("2026-03-05 08:20", 0.5), ("2026-03-06 21:00", 0.45)]
    assert Store(home).read("doses")["utc_offset_min"].to_list() == [-300, -300]


def test_a_sync_reads_with_the_config_mapping_too(cli, home: Path, tmp_path: Path) -> None:
    # the sync and the Imports screen read files as `import` does (ingest.read_context)
    home.mkdir(parents=True)
    (home / "config.toml").write_text(
        'timezone = "America/New_York"\n\n'
        '[dose_csv.pillbox]\ndate = "Tag"\ntime = "Wann"\nmg = "Portion"\ndate_order = "dayfirst"\n'
    )
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "pillbox.csv").write_text("Tag;Wann;Portion\n5.3.2026;08:20;500\n")
    assert cli("sources", "add", str(drop))[0] == 0
    rc, out, _ = cli("sync")
    assert rc == 0, out
    assert _local(home) == [("2026-03-05 08:20", 0.5)]


def test_dry_run_prints_the_summary_and_writes_nothing(cli, home: Path, tmp_path: Path) -> None:
    cli("log", "3", "--at", "2026-03-01T09:00")
    before = _files(home)
    assert before
    f = tmp_path / "log.csv"
    f.write_text(
        "Datum;Uhrzeit;Menge (g);Sorte\n05.03.2026;08:20;4,8;Red Bali\n13.03.2026;8:20 PM;3,5;Green\n"
    )
    rc, out, _ = cli("import", "--dry-run", str(f))
    assert rc == 0, out
    assert out.splitlines() == [
        f"ready     {f}: 2 doses",
        "",
        f"{f} (dose-sheet): 2 doses 2026-03-05 to 2026-03-13, none already stored",
        "  local time        grams  strain    form",
        "  2026-03-05 08:20  4.8 g  Red Bali  powder",
        "  2026-03-13 20:20  3.5 g  Green     powder",
        "",
        "dry run: nothing was written",
    ]
    assert _files(home) == before  # the store and the ledger byte for byte


def test_dry_run_of_a_failing_file_exits_1_and_writes_nothing(
    cli, home: Path, tmp_path: Path
) -> None:
    cli("log", "3", "--at", "2026-03-01T09:00")
    before = _files(home)
    f = tmp_path / "log.csv"
    f.write_text(AMBIGUOUS)
    rc, out, _ = cli("import", "--dry-run", str(f))
    assert rc == 1 and "--dayfirst" in out
    assert _files(home) == before


def test_a_sheet_that_repeats_stored_doses_does_not_double_them(
    cli, home: Path, tmp_path: Path
) -> None:
    cli("log", "4.8", "--at", "2026-03-05T08:20")
    cli("log", "3.5", "--at", "2026-03-05T20:20")
    f = tmp_path / "log.csv"
    f.write_text(
        "date,time,grams\n2026-03-05,08:20,4.8\n2026-03-05,8:20 PM,3.5\n2026-03-06,08:00,4.5\n"
    )
    rc, out, _ = cli("import", "--dry-run", str(f))
    assert "3 doses 2026-03-05 to 2026-03-06, 2 already stored" in out
    rc, out, _ = cli("import", str(f))
    assert rc == 0
    assert f"imported  {f}: 3 doses (1 new, 2 already stored)" in out
    assert _local(home) == [
        ("2026-03-05 08:20", 4.8),
        ("2026-03-05 20:20", 3.5),
        ("2026-03-06 08:00", 4.5),
    ]
    # the same doses in another file (another layout) add nothing either
    g = tmp_path / "again.csv"
    g.write_text("Datum;Uhrzeit;Menge (mg)\n06.03.2026;08:00;4500\n13.03.2026;08:00;4000\n")
    rc, out, _ = cli("import", str(g))
    assert "(1 new, 1 already stored)" in out
    assert Store(home).read("doses").height == 4


def test_check_in_sheet(cli, home: Path, tmp_path: Path) -> None:
    f = tmp_path / "symptoms.csv"
    f.write_text("Date,Cravings,Mood,Anxious,Aches,Supplements\n2026-03-05,6,4,2,3,magnesium\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 0, out
    row = Store(home).read("checkins").row(0, named=True)
    assert (row["date"], row["cravings"], row["mood"], row["withdrawal_score"]) == (
        dt.date(2026, 3, 5),
        6,
        4,
        5,
    )
    assert row["supplements"] == ["magnesium"]


def test_an_unknown_file_gets_one_short_line_not_every_format(cli, tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("hello world\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    line = out.splitlines()[0]
    assert "'hello world'" in line and "taperdash formats" in line
    assert "taperdash-doses" not in line and "garmin" not in line


def test_a_near_check_in_sheet_names_what_it_lacked(cli, tmp_path: Path) -> None:
    f = tmp_path / "diary.csv"
    f.write_text("Date,Supplements,Notes\n2026-03-05,magnesium,ok\n")
    rc, out, _ = cli("import", str(f))
    assert rc == 1
    assert out.splitlines()[0] == (
        f"failed    {f}: looks like a check-in sheet but no cravings, mood or symptom column "
        "(columns: Date, Supplements, Notes); map one with --columns cravings=NAME"
    )


def test_own_export_still_reads_back(cli, home: Path, tmp_path: Path) -> None:
    cli("log", "3", "--at", "2026-03-01T09:00")
    rc, _, _ = cli("export", "--out", str(tmp_path / "out"))
    assert rc == 0
    other = tmp_path / "h2"
    rc, out, _ = cli("--home", str(other), "import", str(tmp_path / "out" / "doses.csv"))
    assert rc == 0, out
    assert Store(other).read("imports")["format"].to_list() == ["taperdash-doses"]
    assert Store(other).read("doses").select(pl.col("grams")).to_series().to_list() == [3.0]


def test_dry_run_json_is_one_document(cli, home: Path, tmp_path: Path) -> None:
    import json

    f = tmp_path / "log.csv"
    f.write_text("date,time,grams,strain\n2026-03-05,8:20 PM,4.8,Red\n")
    rc, out, _ = cli("import", "--dry-run", "--json", str(f))
    doc = json.loads(out)
    assert rc == 0 and doc["dry_run"] is True
    assert doc["files"][0]["status"] == "ready"
    assert doc["sheets"][0]["first_rows"] == [
        {"local time": "2026-03-05 20:20", "grams": "4.8 g", "strain": "Red", "form": "powder"}
    ]
    assert not (home / "data").exists() or Store(home).read("doses").is_empty()


def test_a_near_dose_log_inside_a_folder_is_skipped_with_the_reason(cli, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "doses.csv").write_text("date,time,strain\n2026-03-05,08:20,Red\n")
    rc, out, _ = cli("import", str(folder))
    assert rc == 0
    assert "looks like a dose log but no amount column" in out.splitlines()[0]
