import datetime as dt

import pytest

from importers.model import ImportRefused
from importers.vendors import _csv as c


@pytest.mark.parametrize(
    "data",
    [
        "Müde;1\n".encode(),
        b"\xef\xbb\xbf" + "Müde;1\n".encode(),
        "Müde;1\n".encode("latin-1"),
        "Müde;1\n".encode("utf-16"),
    ],
)
def test_decode_variants(data: bytes) -> None:
    assert c.decode(data) == "Müde;1\n"


def test_head_text_survives_a_cut_multibyte_character() -> None:
    assert c.head_text("abü".encode()[:-1]).startswith("ab")


@pytest.mark.parametrize(
    ("raw", "comma", "expected"),
    [
        ("1,234", False, 1234.0),
        ("12,5", True, 12.5),
        ("1.234,5", True, 1234.5),
        ("N/A", False, None),
        ("92%", False, 92.0),
        ("--", False, None),
        (" 7 ", False, 7.0),
    ],
)
def test_number(raw: str, comma: bool, expected: float | None) -> None:
    assert c.number({"x": raw}, "x", decimal_comma=comma) == expected


def test_number_errors_name_the_column() -> None:
    with pytest.raises(c.RowError, match=r"^column 'x': not a number \('abc'\)$"):
        c.number({"x": "abc"}, "x")
    with pytest.raises(
        c.RowError, match=r"^column 'x': 1e309 is out of range|^column 'x': not a finite number"
    ):
        c.number({"x": "1e309"}, "x", lo=0, hi=10)
    with pytest.raises(c.RowError, match=r"^column 'x': -1 is out of range \(0\.\.\)$"):
        c.number({"x": "-1"}, "x", lo=0)


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [("UTC+07:00", 420), ("UTC-0800", -480), ("+05:30", 330), ("UTC", 0), ("GMT-3", -180)],
)
def test_offsets(raw: str, minutes: int) -> None:
    assert c.parse_offset(raw, "tz") == minutes


@pytest.mark.parametrize("raw", ["+99:99", "+23:00", "-14:01", "+05:99"])
def test_offsets_no_place_has_are_row_errors(raw: str) -> None:
    with pytest.raises(c.RowError, match=r"^column 'tz': offset .* is out of range$"):
        c.parse_offset(raw, "tz")


def test_localize_ambiguous_and_gap() -> None:
    berlin = c.zone("Europe/Berlin", "tz")
    utc, off = c.localize(
        dt.datetime(2026, 10, 25, 2, 30), berlin
    )  # repeated hour: first occurrence
    assert (utc, off) == (dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC), 120)
    utc, off = c.localize(dt.datetime(2026, 10, 25, 7, 0), berlin)
    assert off == 60


def test_table_line_numbers_follow_quoted_newlines_and_blank_lines() -> None:
    t = c.read_table('a,b\n1,"x\ny"\n\n2,z\n3,"""q"""\n')
    assert [line for line, _ in t.rows] == [2, 5, 6]
    assert [r for _, r in t.records()][2]["b"] == '"q"'


def test_trailing_comma_keeps_alignment() -> None:
    t = c.read_table("x,y,\n1,2,\n")
    assert t.header == ["x", "y"]
    assert next(t.records())[1] == {"x": "1", "y": "2"}


def test_header_lookup_ignores_case_and_spaces() -> None:
    t = c.read_table("date, Total Bedtime ,Sleep Timing,Sleep Timing\n1,2,3,4\n")
    assert t.find("total bedtime") == "total bedtime"
    assert next(t.records())[1]["sleep timing"] == "3"  # a repeated column keeps the first


def test_empty_input_refused() -> None:
    with pytest.raises(ImportRefused, match=r"^empty file"):
        c.read_table("\n\n")


def test_session_checks() -> None:
    start = dt.datetime(2026, 1, 1, 22, tzinfo=dt.UTC)
    with pytest.raises(c.RowError, match="not after start"):
        c.session("s", "1", start, start, 0)
    with pytest.raises(c.RowError, match="more than the 60 min in bed"):
        c.session("s", "1", start, start + dt.timedelta(hours=1), 0, asleep=90)
    row = c.session("s", "1", start, start + dt.timedelta(hours=8), 60, asleep=420)
    assert (row["time_in_bed_min"], row["efficiency"], row["night"]) == (
        480.0,
        0.875,
        dt.date(2026, 1, 1),
    )
