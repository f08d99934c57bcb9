"""Exactly the intended format claims each vendor file (the fallback sheet formats included);
no vendor sniffer claims foreign files."""

from collections.abc import Callable, Iterator

import pytest

from importers import registry
from importers.registry import formats
from importers.vendors import generic
from tests.importers.sheets.helpers import SHEETS
from tests.importers.vendors import builders as b
from tests.importers.vendors.cases import CASES
from tests.importers.vendors.util import sniffers

VENDOR_FORMATS = {
    "sleep-as-android",
    "fitbit-sleep-json",
    "fitbit-csv",
    "oura-csv",
    "oura-app",
    "oura-json",
    "whoop-sleeps",
    "whoop-workouts",
    "whoop-cycles",
    "withings-sleep",
    "withings-steps",
    "withings-activities",
    "samsung-sleep",
    "samsung-sleep-stages",
    "samsung-steps",
    "garmin-connect-sleep-json",
    "garmin-connect-activities",
    "generic",
    "fitbit-google",
}

# A FIT file header: size 14, protocol 2.0, profile 21.94, data size, ".FIT", CRC.
FIT_HEAD = (
    bytes([14, 0x20, 0xB4, 0x08, 0x10, 0x00, 0x00, 0x00]) + b".FIT" + b"\x00\x00" + bytes(200)
)
FOREIGN = [
    ("activity.fit", FIT_HEAD),
    ("people.csv", b"name,age,city\nbob,3,Berlin\nalice,4,Paris\n"),
    ("semi.csv", b"Datum;Wert\n2026-10-19;12\n"),
    ("date_value.csv", b"date,value\n2026-10-19,3\n"),
    ("export.xml", b'<?xml version="1.0"?>\n<HealthData><Record type="x"/></HealthData>'),
    ("notes.json", b'[{"id": 1, "text": "hello"}]'),
    ("empty.csv", b""),
    ("binary.bin", bytes(range(256)) * 8),
]


@pytest.fixture(autouse=True)
def _registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry as the import pipeline sees it, whichever tests ran before: every importers
    format, and the sheet formats (fallbacks, registered only when dashboard/core/store/
    sheet_formats.py is imported) registered here from importers.sheets.formats with the SOWS
    names the sheet tests use. Formats other modules registered (dashboard's own CSVs) are
    left out. monkeypatch puts the registry back afterwards."""
    own = {
        name: fmt
        for name, fmt in registry.load_all().items()
        if getattr(fmt.sniff, "__module__", "").startswith("importers.")
    }
    monkeypatch.setattr(registry, "_FORMATS", own)
    for fmt in SHEETS.formats():
        registry.register(fmt)


@pytest.fixture(autouse=True)
def _generic_mapping() -> Iterator[None]:
    generic.configure(b.GENERIC_MAPPING)
    yield
    generic.configure(None)


def test_the_registry_holds_the_fallback_sheet_formats() -> None:
    fallbacks = {name for name, fmt in formats().items() if fmt.fallback}
    assert fallbacks == {"dose-sheet", "checkin-sheet"}


def test_every_vendor_format_is_registered() -> None:
    assert set(formats()) >= VENDOR_FORMATS


@pytest.mark.parametrize(("build", "expected"), CASES)
def test_exactly_one_format_claims_each_file(
    build: Callable[[], tuple[str, bytes]], expected: str
) -> None:
    assert sniffers(build()) == {expected}


@pytest.mark.parametrize(("name", "data"), FOREIGN, ids=[n for n, _ in FOREIGN])
def test_no_vendor_sniffer_claims_foreign_files(name: str, data: bytes) -> None:
    assert sniffers((name, data)) & VENDOR_FORMATS == set()
