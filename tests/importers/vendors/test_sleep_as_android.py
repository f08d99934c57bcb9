import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest

from importers.model import ImportRefused
from tests.importers.vendors import builders as b
from tests.importers.vendors.util import col, read, sniffers

FMT = "sleep-as-android"
SAMPLES = Path("/work/shared/samples/sleep-as-android")


def test_week_of_nights_exact_minutes() -> None:
    res = read(FMT, b.saa())
    assert res.warnings == []
    assert col(res, "sleep_sessions", "night", "start") == b.NIGHTS
    # the 2026-10-24 night crosses the end of summer time: 9 h in bed, not 8
    assert col(res, "sleep_sessions", "time_in_bed_min", "start") == [480.0] * 5 + [540.0, 480.0]
    assert col(res, "sleep_sessions", "asleep_min", "start") == [450.0] * 5 + [510.0, 450.0]
    assert col(res, "sleep_sessions", "light_min", "start") == [30.0] * 7
    assert col(res, "sleep_sessions", "deep_min", "start") == [90.0] * 7
    assert col(res, "sleep_sessions", "rem_min", "start") == [50.0] * 7
    assert col(res, "sleep_sessions", "awake_min", "start") == [10.0] * 7
    assert col(res, "sleep_sessions", "utc_offset_min", "start") == [120] * 6 + [60]
    assert col(res, "sleep_sessions", "score", "start") == [None] * 7
    assert col(res, "sleep_sessions", "is_nap", "start") == [False] * 7
    assert res.tables["sleep_stages"].height == 28
    assert set(res.tables["sleep_stages"]["stage"]) == {"light", "deep", "rem", "awake"}
    first = res.tables["sleep_sessions"].sort("start").row(0, named=True)
    assert first["start"] == dt.datetime(2026, 10, 19, 21, 0, tzinfo=dt.UTC)
    assert first["end"] == dt.datetime(2026, 10, 20, 5, 0, tzinfo=dt.UTC)


def test_spring_forward_night_is_seven_hours() -> None:
    res = read(FMT, b.saa(nights=[dt.date(2026, 3, 28)]))
    assert col(res, "sleep_sessions", "time_in_bed_min") == [420.0]
    assert col(res, "sleep_sessions", "asleep_min") == [390.0]
    assert col(res, "sleep_sessions", "night") == [dt.date(2026, 3, 28)]


def test_record_zone_wins_over_configured_zone() -> None:
    res = read(FMT, b.saa(tz_name="America/New_York", nights=[dt.date(2026, 10, 19)]))
    assert col(res, "sleep_sessions", "utc_offset_min") == [-240]
    assert col(res, "sleep_sessions", "start") == [dt.datetime(2026, 10, 20, 3, 0, tzinfo=dt.UTC)]


def test_bom_and_crlf() -> None:
    name, data = b.saa()
    data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    assert sniffers((name, data)) == {FMT}
    assert read(FMT, (name, data)).tables["sleep_sessions"].height == 7


def test_broken_date_refuses_the_file_with_its_line() -> None:
    with pytest.raises(ImportRefused) as err:
        read(FMT, b.saa(broken_night=b.NIGHTS[2]))
    assert str(err.value) == "line 10: column 'From': not a date/time ('32. 10. 2026 23:00')"


def test_broken_date_skipped_when_asked() -> None:
    res = read(FMT, b.saa(broken_night=b.NIGHTS[2]), skip=True)
    assert res.tables["sleep_sessions"].height == 6
    assert res.warnings == [
        "skipped line 10: column 'From': not a date/time ('32. 10. 2026 23:00')"
    ]
    assert b.NIGHTS[2] not in col(res, "sleep_sessions", "night")


def _sample_csvs() -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(SAMPLES.glob("*.zip")):
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
            for member in zf.namelist():
                if member.endswith(".csv"):
                    out.append((f"{path.name}!{member}", zf.read(member)))
    return out


@pytest.mark.skipif(
    not SAMPLES.is_dir() or os.environ.get("TAPERDASH_NO_SAMPLES"), reason="no real samples here"
)
def test_real_exports_parse() -> None:
    samples = _sample_csvs()
    assert samples
    total = 0
    for name, data in samples:
        assert sniffers((name, data)) == {FMT}, name
        res = read(FMT, (name, data), tz=b.BERLIN)
        sessions = res.tables["sleep_sessions"]
        total += sessions.height
        assert (
            sessions["utc_offset_min"].to_list() == [0] * sessions.height
        )  # Europe/London in November
        assert all(w.endswith("record shorter than a minute, not imported") for w in res.warnings)
    assert total == 14
    # a "Manually added" 20:00-07:00 record: 11 h in bed, Hours 11.000 asleep
    name, data = next(s for s in samples if "1606907034" in s[0])
    res = read(FMT, (name, data))
    row = res.tables["sleep_sessions"].filter(source_id="1606852800000").row(0, named=True)
    assert (row["time_in_bed_min"], row["asleep_min"], row["night"]) == (
        660.0,
        660.0,
        dt.date(2020, 12, 1),
    )
