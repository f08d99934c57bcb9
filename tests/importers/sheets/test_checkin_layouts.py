"""Symptom/mood spreadsheets by the same rules as dose logs."""

from __future__ import annotations

import datetime as dt

import pytest

from importers.model import ImportRefused
from tests.importers.sheets.helpers import SHEETS, checkins, ctx, sniffed


def test_english_sheet_with_sows_items_by_name() -> None:
    data = (
        b"Date,Cravings,Mood,Anxious,Yawning,Runny nose,I feel restless,Supplements,Exercise,Notes\n"
        b"2026-03-05,6,4,2,1,0,3,magnesium; valerian,yes,bad night\n"
        b"2026-03-06,4,6,1,,0,1,,no,\n"
    )
    assert sniffed(data) == "checkins"
    rows = checkins(data).rows(named=True)
    first, second = rows
    assert first["date"] == dt.date(2026, 3, 5)
    assert (first["cravings"], first["mood"]) == (6, 4)
    assert (first["sows_anxious"], first["sows_yawning"], first["sows_runny_nose"]) == (2, 1, 0)
    assert first["sows_restless"] == 3
    assert first["withdrawal_score"] == 6
    assert first["supplements"] == ["magnesium", "valerian"]
    assert first["exercise"] is True and first["note"] == "bad night"
    assert second["sows_yawning"] is None and second["withdrawal_score"] == 2
    assert second["exercise"] is False and second["supplements"] is None


def test_latin1_german_sheet_day_first() -> None:
    text = "Datum;Verlangen;Stimmung;Nahrungsergänzung;Notiz\n05.03.2026;7;3;Magnesium;Kopfweh\n14.03.2026;5;5;;\n"
    rows = checkins(text.encode("latin-1")).rows(named=True)
    assert [r["date"] for r in rows] == [dt.date(2026, 3, 5), dt.date(2026, 3, 14)]
    assert [(r["cravings"], r["mood"]) for r in rows] == [(7, 3), (5, 5)]
    assert rows[0]["supplements"] == ["Magnesium"] and rows[0]["note"] == "Kopfweh"


def test_google_form_check_in_takes_the_local_date_of_the_timestamp() -> None:
    data = (
        b"\xef\xbb\xbfTimestamp,How strong were your cravings today?,How is your mood?,Which supplements did you take?\n"
        b'3/5/2026 21:40:12,6,5,"Magnesium, Valerian"\n'
        b"3/14/2026 22:01:00,4,7,\n"
    )
    rows = checkins(data).rows(named=True)
    assert [r["date"] for r in rows] == [dt.date(2026, 3, 5), dt.date(2026, 3, 14)]
    assert [(r["cravings"], r["mood"]) for r in rows] == [(6, 5), (4, 7)]
    assert rows[0]["supplements"] == ["Magnesium", "Valerian"]


def test_spanish_and_french_headers() -> None:
    es = b"Fecha,Antojos,Estado de animo\n2026-03-05,3,8\n"
    fr = b"Jour,Envie,Humeur\n2026-03-05,3,8\n"
    for data in (es, fr):
        row = checkins(data).row(0, named=True)
        assert (row["date"], row["cravings"], row["mood"]) == (dt.date(2026, 3, 5), 3, 8)


def test_ambiguous_dates_are_asked() -> None:
    with pytest.raises(ImportRefused, match="--dayfirst or --monthfirst"):
        checkins(b"date,mood\n01/02/2026,5\n")
    row = checkins(b"date,mood\n01/02/2026,5\n", date_order="mdy").row(0, named=True)
    assert row["date"] == dt.date(2026, 1, 2)


def test_a_score_out_of_range_names_line_and_column() -> None:
    with pytest.raises(
        ImportRefused, match=r"^line 2: column 'Anxious': must be a whole number 0 to 4, got '7'$"
    ):
        checkins(b"Date,Anxious\n2026-03-05,7\n")


def test_a_skipped_checkin_row_is_warned_with_the_collectors_prefix() -> None:
    data = b"Date,Anxious\n2026-03-05,7\n2026-03-06,2\n"
    result = SHEETS.read_checkins(data, "c.csv", ctx(skip_bad_rows=True))
    assert result.warnings == [
        "skipped line 2: column 'Anxious': must be a whole number 0 to 4, got '7'"
    ]
    assert result.tables["checkins"]["date"].to_list() == [dt.date(2026, 3, 6)]


def test_a_date_with_no_symptom_column_says_what_it_lacks() -> None:
    with pytest.raises(
        ImportRefused, match="looks like a check-in sheet but no cravings, mood or symptom column"
    ):
        checkins(b"Date,Supplements\n2026-03-05,magnesium\n")


def test_one_check_in_a_day_the_later_row_wins() -> None:
    frame = checkins(b"date,mood\n2026-03-05,3\n2026-03-05,6\n")
    assert frame["mood"].to_list() == [6]


def test_a_second_row_for_a_day_is_kept_and_said() -> None:
    from zoneinfo import ZoneInfo

    from importers.registry import ReadContext
    from importers.sheets import checkins
    from importers.sheets.options import SheetOptions

    data = b"date,cravings\n2026-03-05,3\n2026-03-05,4\n"
    ctx = ReadContext(tz=ZoneInfo("Europe/Berlin"))
    result = checkins.read(data, "mood.csv", ctx, SheetOptions(), {})
    assert result.tables["checkins"]["cravings"].to_list() == [4]
    assert result.warnings == ["two rows for 2026-03-05: the later one is kept"]
