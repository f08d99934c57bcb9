"""One stored Whoop night, one time everywhere: the Sleep screen's detail and
`taperdash night --list` both read UTC + the night's own offset (issue #21: the screen said
20:24 → 05:44 and the list 00:24-09:44 for the same night)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.app import TaperdashApp
from tests.importers.vendors import builders as b
from tests.ui.night_helpers import detail, open_night

Cli = Callable[..., tuple[int, str, str]]
AT_HOME = dt.date(2026, 10, 20)  # Berlin, UTC+02:00
IN_NEW_YORK = dt.date(2026, 10, 24)  # UTC-04:00, and the night Berlin's summer time ends
ACROSS_DST = dt.date(2026, 10, 24)


@pytest.fixture
def whoop_home(cli: Cli, home: Path, tmp_path: Path) -> Path:
    name, data = b.whoop_sleeps()
    path = tmp_path / name
    path.write_bytes(data)
    rc, _, err = cli("import", str(path))
    assert (rc, err) == (0, "")
    return home


def listed(cli: Cli, night: dt.date) -> str:
    rc, out, _ = cli("night", "--list", "--days", "60")
    assert rc == 0
    line = next(ln for ln in out.splitlines() if ln.startswith(night.isoformat()))
    found = re.search(r"(\d\d:\d\d)-(\d\d:\d\d)", line)
    assert found is not None, line
    return f"{found.group(1)} → {found.group(2)}"


@pytest.mark.parametrize("night", [AT_HOME, IN_NEW_YORK])
async def test_the_screen_and_night_list_agree(cli: Cli, whoop_home: Path, night: dt.date) -> None:
    times = listed(cli, night)
    assert times == "23:00 → 07:00"  # the wall clock the export gave, in its own offset
    app = TaperdashApp(home=whoop_home, pinned_today="2026-10-27")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_night(app, pilot, night)
        assert f"· {times} ·" in detail(screen)


async def test_new_times_are_typed_on_the_clock_the_night_is_shown_in(
    cli: Cli, whoop_home: Path
) -> None:
    # The New York night: 23:00 there; the user moves its start to 23:30 as they see it.
    ref = "whoop:2026-10-25T03:00:00Z"  # the night of 24 Oct, 23:00 at -04:00
    rc, out, err = cli(
        "night", "--fix", ref, "--start", "2026-10-24T23:30", "--end", "2026-10-25T07:00"
    )
    assert (rc, err) == (0, "")
    assert "now 2026-10-24 23:30 to 2026-10-25 07:00" in out
    assert listed(cli, IN_NEW_YORK) == "23:30 → 07:00"
    app = TaperdashApp(home=whoop_home, pinned_today="2026-10-27")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_night(app, pilot, IN_NEW_YORK)
        assert "· 23:30 → 07:00 ·" in detail(screen)
