"""Dose logs in the layouts people keep: exact local times and grams back."""

from __future__ import annotations

import pytest

from importers.model import ImportRefused
from tests.importers.sheets.helpers import SHEETS, ctx, doses, local, sniffed


def test_plain_date_time_grams_strain_form() -> None:
    data = b"date,time,grams,strain,form\n2026-03-05,08:20,4.8,Red Bali,powder\n2026-03-06,21:05,3.5,Green,capsule\n"
    frame = doses(data)
    assert local(frame) == [("2026-03-05 08:20", 4.8), ("2026-03-06 21:05", 3.5)]
    assert frame["strain"].to_list() == ["Red Bali", "Green"]
    assert frame["form"].to_list() == ["powder", "capsule"]
    assert frame["utc_offset_min"].to_list() == [60, 60]  # Berlin in March, before the switch
    assert sniffed(data) == "doses"


def test_twelve_hour_times_with_and_without_seconds() -> None:
    data = (
        b"Date,Time,Amount (g)\n"
        b"2026-03-05,8:20 PM,4\n"
        b"2026-03-06,12:05 AM,3\n"
        b"2026-03-06,12:30:15 p.m.,2.5\n"
        b"2026-03-07,7:05:30,2\n"
    )
    assert local(doses(data)) == [
        ("2026-03-05 20:20", 4.0),
        ("2026-03-06 00:05", 3.0),
        ("2026-03-06 12:30", 2.5),
        ("2026-03-07 07:05", 2.0),
    ]


def test_latin1_german_semicolons_decimal_commas_day_first() -> None:
    text = (
        "Datum;Uhrzeit;Menge (g);Sorte;Form;Notiz\n"
        "05.03.2026;08:20;4,8;Grüner Malay;Pulver;nach dem Frühstück\n"
        "13.03.2026;20:05;3,25;Red Bali;Kapseln;\n"
    )
    frame = doses(text.encode("latin-1"), "Einnahmen.csv")
    # 13.03 settles the order: day-first for every row
    assert local(frame) == [("2026-03-05 08:20", 4.8), ("2026-03-13 20:05", 3.25)]
    assert frame["strain"].to_list() == ["Grüner Malay", "Red Bali"]
    assert frame["form"].to_list() == ["powder", "capsule"]
    assert frame["note"].to_list() == ["nach dem Frühstück", None]


def test_google_form_export_with_bom_month_first() -> None:
    data = (
        b"\xef\xbb\xbfTimestamp,How many grams?,Which strain?,What form?,Any notes?\n"
        b"3/5/2026 20:20:00,4.5,Red Bali,Powder,\n"
        b"3/14/2026 8:05:00,3,White Borneo,Capsules,tired\n"
    )
    frame = doses(data, "Dose log (Responses) - Form Responses 1.csv")
    assert local(frame) == [("2026-03-05 20:20", 4.5), ("2026-03-14 08:05", 3.0)]
    assert frame["strain"].to_list() == ["Red Bali", "White Borneo"]
    assert frame["form"].to_list() == ["powder", "capsule"]
    assert frame["note"].to_list() == [None, "tired"]
    assert sniffed(data) == "doses"


def test_tab_separated_milligrams_in_cells() -> None:
    data = b"Date\tTime\tDose\tStrain\n2026-03-05\t8:20 PM\t500 mg\tRed\n2026-03-06\t07:15\t4800mg\tGreen\n2026-03-07\t07:15\t4.5 g\tGreen\n"
    assert local(doses(data, "log.tsv")) == [
        ("2026-03-05 20:20", 0.5),
        ("2026-03-06 07:15", 4.8),
        ("2026-03-07 07:15", 4.5),
    ]


@pytest.mark.parametrize(
    ("header", "cells", "grams"),
    [
        ("Dose mg", "750", 0.75),
        ("Amount (mg)", "1500", 1.5),
        ("Menge [g]", "2,5", 2.5),
        ("Milligrams", "2000", 2.0),
        ("Menge (g)", "0,250", 0.25),  # a leading 0 is never a thousands group
    ],
)
def test_unit_in_the_header(header: str, cells: str, grams: float) -> None:
    data = f'Date;Time;{header}\n2026-03-05;08:20;"{cells}"\n'.encode()
    assert local(doses(data)) == [("2026-03-05 08:20", grams)]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            b'date,time,grams\n2026-03-05,08:20,4\n2026-03-06,08:20,"2,500"\n',
            "'2,500' is ambiguous \\(thousands or decimals\\?\\): write 2500 or 2\\.5$",
        ),
        (
            b"Datum;Uhrzeit;Milligramm\n05.03.2026;08:20;4000\n06.03.2026;08:20;2.000\n",
            "'2.000' is ambiguous \\(thousands or decimals\\?\\): write 2000 or 2$",
        ),
        (
            b"date,time,dose\n2026-03-05,08:20,4 g\n2026-03-06,08:20,1.250 g\n",
            "'1.250 g' is ambiguous \\(thousands or decimals\\?\\): write 1250 or 1\\.25$",
        ),
        (
            b"Datum;Uhrzeit;Menge (g)\n05.03.2026;08:20;4\n06.03.2026;08:20;2,500\n",
            "'2,500' is ambiguous \\(thousands or decimals\\?\\): write 2500 or 2,5$",
        ),
    ],
)
def test_an_amount_a_thousand_times_apart_is_refused_as_ambiguous(data: bytes, line: str) -> None:
    # as taperdash's own grams: a comma or point followed by exactly three digits is
    # thousands to some and decimals to others, and a dose read 1000x wrong is never stored
    with pytest.raises(ImportRefused, match=r"^line 3: column '[^']+': " + line):
        doses(data)
    assert local(doses(data, skip_bad_rows=True))[0][0] == "2026-03-05 08:20"


def test_one_timestamp_column_iso_with_and_without_offset() -> None:
    data = b"taken,grams\n2026-03-05T08:20:00,4\n2026-07-01 21:30,3\n2026-07-02T06:00:00+09:00,2\n"
    frame = doses(data.replace(b"taken,", b"Date and time,"))
    assert local(frame) == [
        ("2026-03-05 08:20", 4.0),
        ("2026-07-01 21:30", 3.0),  # no zone: the configured one (Berlin summer, +02:00)
        ("2026-07-02 06:00", 2.0),  # its own offset kept
    ]
    assert frame["utc_offset_min"].to_list() == [60, 120, 540]


@pytest.mark.parametrize("zone", ["+99:99", "+23:00", "-15:00"])
def test_an_offset_no_place_has_is_a_bad_row_not_a_crash(zone: str) -> None:
    data = f"Date and time,grams\n2026-03-05T08:20:00,4\n2026-03-05T09:20:00{zone},3\n".encode()
    with pytest.raises(
        ImportRefused, match=r"^line 3: column 'Date and time': not a UTC offset \(at most ±14:00\)"
    ):
        doses(data)
    assert local(doses(data, skip_bad_rows=True)) == [("2026-03-05 08:20", 4.0)]


def test_offsets_at_the_edges_of_the_earth_are_kept() -> None:
    data = b"Date and time,grams\n2026-03-05T08:20:00+14:00,4\n2026-03-05T08:20:00-1200,3\n"
    frame = doses(data)
    assert local(frame) == [("2026-03-05 08:20", 4.0), ("2026-03-05 08:20", 3.0)]
    assert frame["utc_offset_min"].to_list() == [840, -720]


def test_a_date_column_that_holds_timestamps() -> None:
    data = b"Date,Grams\n05.03.2026 08:20,4\n14.03.2026 21:00,3\n"
    assert local(doses(data)) == [("2026-03-05 08:20", 4.0), ("2026-03-14 21:00", 3.0)]


@pytest.mark.parametrize(
    "header",
    [
        "Fecha,Hora,Cantidad (g),Cepa,Forma,Notas",
        "Date,Heure,Quantité (g),Souche,Forme,Remarques",
        "Datum,Uhrzeit,Gramm,Produkt,Form,Bemerkung",
        "Date,Time,Grams,Strain,Form,Notes",
    ],
)
def test_headers_in_four_languages(header: str) -> None:
    data = f"{header}\n2026-03-05,08:20,4.5,Red,tea,ok\n".encode()
    frame = doses(data)
    assert local(frame) == [("2026-03-05 08:20", 4.5)]
    assert frame.row(0, named=True)["strain"] == "Red"
    assert frame.row(0, named=True)["form"] == "tea"
    assert frame.row(0, named=True)["note"] == "ok"


def test_unknown_form_is_other_and_kept_in_the_note() -> None:
    frame = doses(b"date,time,grams,form,note\n2026-03-05,08:20,4,gummies,with food\n")
    assert frame.row(0, named=True)["form"] == "other"
    assert frame.row(0, named=True)["note"] == "form: gummies; with food"


def test_ambiguous_dates_are_asked_not_guessed() -> None:
    data = b"date,time,grams\n05/03/2026,08:20,4\n06/03/2026,09:00,3\n"
    with pytest.raises(ImportRefused) as err:
        doses(data)
    msg = str(err.value)
    assert "day-first and month-first" in msg and "--dayfirst" in msg and "--monthfirst" in msg
    assert "\n" not in msg
    assert local(doses(data, date_order="dmy")) == [
        ("2026-03-05 08:20", 4.0),
        ("2026-03-06 09:00", 3.0),
    ]
    assert local(doses(data, date_order="mdy")) == [
        ("2026-05-03 08:20", 4.0),
        ("2026-06-03 09:00", 3.0),
    ]


def test_dates_that_contradict_each_other_are_refused() -> None:
    with pytest.raises(ImportRefused, match=r"both day-first .* and month-first"):
        doses(b"date,time,grams\n13/03/2026,08:20,4\n03/14/2026,09:00,3\n")


def test_a_flag_against_the_file_names_the_line() -> None:
    with pytest.raises(
        ImportRefused,
        match=r"^line 2: column '[^']+': not a date: '13/03/2026' \(read month-first\)",
    ):
        doses(b"date,time,grams\n13/03/2026,08:20,4\n", date_order="mdy")


def test_bare_numbers_that_fit_grams_and_milligrams_are_asked() -> None:
    data = b"date,time,amount\n2026-03-05,08:20,50\n2026-03-06,08:20,60\n"
    with pytest.raises(ImportRefused) as err:
        doses(data)
    assert "grams or milligrams" in str(err.value) and "--unit g" in str(err.value)
    assert [g for _, g in local(doses(data, unit="mg"))] == [0.05, 0.06]
    assert [g for _, g in local(doses(data, unit="g"))] == [50.0, 60.0]


def test_bare_numbers_settled_by_their_values() -> None:
    grams = b"date,time,dose\n2026-03-05,08:20,4\n2026-03-06,08:20,60\n"
    assert [g for _, g in local(doses(grams))] == [4.0, 60.0]  # 4 mg is no dose
    mg = b"date,time,dose\n2026-03-05,08:20,500\n2026-03-06,08:20,60\n"
    assert [g for _, g in local(doses(mg))] == [0.5, 0.06]  # 500 g is no dose


def test_bare_numbers_that_mix_units_are_refused() -> None:
    with pytest.raises(ImportRefused, match="mix grams and milligrams"):
        doses(b"date,time,dose\n2026-03-05,08:20,4\n2026-03-06,08:20,500\n")


def test_a_bad_row_names_its_line_and_column() -> None:
    data = b"date,time,grams\n2026-03-05,08:20,4\n2026-03-06,25:00,3\n2026-03-07,08:00,lots\n"
    with pytest.raises(ImportRefused, match=r"^line 3: column '[^']+': not a time: '25:00'$"):
        doses(data)
    frame = doses(data, skip_bad_rows=True)
    assert local(frame) == [("2026-03-05 08:20", 4.0)]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        # Berlin is an hour ahead: 00:30 on the first day of year 1 is in year 0 in UTC
        (b"date,time,grams\n2026-03-05,08:20,4\n0001-01-01,00:30,3\n", 3),
        (b"Date and time,grams\n9999-12-31T23:30:00-05:00,3\n2026-03-05T08:20:00,4\n", 2),
    ],
)
def test_a_date_past_the_calendar_is_a_bad_row_not_a_crash(data: bytes, line: int) -> None:
    with pytest.raises(ImportRefused, match=rf"^line {line}: value out of range"):
        doses(data)
    result = SHEETS.read_doses(data, "log.csv", ctx(skip_bad_rows=True))
    assert local(result.tables["doses"]) == [("2026-03-05 08:20", 4.0)]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f"skipped line {line}: value out of range")


def test_skipped_rows_are_warned_as_the_vendor_readers_do() -> None:
    data = b"date,time,grams\n2026-03-05,08:20,4\n2026-03-06,25:00,3\n"
    result = SHEETS.read_doses(data, "log.csv", ctx(skip_bad_rows=True))
    assert result.warnings == ["skipped line 3: column 'time': not a time: '25:00'"]


def test_a_dose_over_the_limit_is_refused() -> None:
    with pytest.raises(ImportRefused, match="at most 100 g"):
        doses(b"date,time,grams\n2026-03-05,08:20,150 g\n")


def test_a_mapping_places_columns_no_word_names() -> None:
    data = b"Day,At,Portion\n2026-03-05,08:20,4\n"
    with pytest.raises(ImportRefused) as err:
        doses(data)
    assert str(err.value) == (
        "looks like a dose log but no amount column (columns: Day, At, Portion); "
        "map one with --columns grams=NAME"
    )
    assert sniffed(data) is None
    cols = {"time": "At", "grams": "Portion"}
    assert sniffed(data, columns=cols) == "doses"
    assert local(doses(data, columns=cols)) == [("2026-03-05 08:20", 4.0)]


def test_a_mapping_to_a_column_that_is_not_there() -> None:
    with pytest.raises(
        ImportRefused, match=r"--columns grams=Menge: no column 'Menge' \(columns: Day, At\)"
    ):
        doses(b"Day,At\n2026-03-05,08:20\n", columns={"grams": "Menge"})


def test_a_config_mapping_applies_when_its_columns_are_there() -> None:
    data = b"Tag;Wann;Portion\n5.3.2026;08:20;500\n"
    mapping = {"pillbox": {"time": "Wann", "mg": "Portion", "date_order": "dayfirst"}}
    assert sniffed(data, mappings=mapping) == "doses"
    assert local(doses(data, mappings=mapping)) == [("2026-03-05 08:20", 0.5)]
    other = b"Day,At,Portion\n2026-03-05,08:20,4\n"
    assert sniffed(other, mappings=mapping) is None  # no "Wann": the mapping is not for it


def test_an_excel_sep_line_and_utf16() -> None:
    text = "sep=;\r\nDatum;Uhrzeit;Menge (g)\r\n05.03.2026;08:20;4,8\r\n14.03.2026;09:00;4\r\n"
    assert local(doses(text.encode("utf-8"))) == [
        ("2026-03-05 08:20", 4.8),
        ("2026-03-14 09:00", 4.0),
    ]
    assert sniffed(text.encode("utf-8")) == "doses"
    utf16 = "Date\tTime\tGrams\r\n2026-03-05\t08:20\t4.8\r\n".encode("utf-16")
    assert local(doses(utf16)) == [("2026-03-05 08:20", 4.8)]
    assert sniffed(utf16) == "doses"


def test_line_numbers_count_the_excel_sep_line() -> None:
    data = b"sep=;\r\nDatum;Uhrzeit;Menge (g)\r\n05.03.2026;08:20;4,8\r\n06.03.2026;25:00;4\r\n"
    with pytest.raises(ImportRefused, match=r"^line 4: column '[^']+': not a time: '25:00'$"):
        doses(data)


def test_a_bad_row_after_a_cell_spanning_lines_names_the_line_it_starts_on() -> None:
    data = b'date,time,grams,note\n2026-03-05,08:20,4,"a\nlong\nnote"\n2026-03-06,25:00,3,\n'
    with pytest.raises(ImportRefused, match=r"^line 5: column '[^']+': not a time: '25:00'$"):
        doses(data)
    data = b'date,time,grams,note\n2026-03-06,25:00,3,"a\nlong note"\n'
    with pytest.raises(ImportRefused, match=r"^line 2: column '[^']+': not a time: '25:00'$"):
        doses(data)


def test_dotted_dates_are_day_first_even_when_every_day_is_12_or_less() -> None:
    from importers.sheets import datetimes

    # a German log of the first days of December: no month-first convention writes dots
    assert datetimes.date_order(["01.12.2026", "02.12.2026 20:20"]) == ("dmy", "01.12.2026")
    # slashes stay ambiguous until a row settles them
    assert datetimes.date_order(["01/12/2026", "02/12/2026"]) == (None, "01/12/2026")
