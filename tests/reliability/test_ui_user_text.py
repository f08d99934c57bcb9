"""Text that came from the user or from their files (a strain, a note, a file's first line in the
import ledger) is shown as text by the dashboard, never parsed as Rich markup: a stray closing
tag such as "[/x]" must not crash the app.

Found by issue 9: DataTable renders a `str` cell with `Text.from_markup`, so a strain such as
"[/strain]" stopped the dashboard opening (Today's dose table) and a file whose first line
began "[/x]" crashed the Imports ledger. The screens now pass `rich.text.Text` for user text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.app import TaperdashApp
from dashboard.cli import main
from dashboard.screens import SCREENS

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
TODAY = (DEMO / "TODAY").read_text().strip()


def _key(mode: str) -> str:
    return str(1 + [m for m, _, _ in SCREENS].index(mode))


async def _visit(home: Path, *modes: str) -> None:
    app = TaperdashApp(home=home, pinned_today=TODAY)
    async with app.run_test(size=(120, 34)) as pilot:
        for mode in modes:
            await pilot.press(_key(mode))
            for _ in range(2):
                await pilot.pause()
                await app.workers.wait_for_complete()


async def test_a_strain_or_note_that_looks_like_markup_is_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    home = str(tmp_path / "home")
    assert (
        main(["--home", home, "import", str(DEMO / "doses.csv"), str(DEMO / "checkins.csv")]) == 0
    )
    assert (
        main(
            [
                "--home",
                home,
                "log",
                "2",
                "--at",
                f"{TODAY}T08:00",
                "--strain",
                "[/strain]",
                "--note",
                "[/note]",
            ]
        )
        == 0
    )
    assert (
        main(["--home", home, "checkin", "--date", TODAY, "--trigger", "[/t]", "--note", "[/n]"])
        == 0
    )
    await _visit(Path(home), "today", "taper", "review")


async def test_a_ledger_line_that_looks_like_markup_is_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "readme.txt").write_bytes(b"[/oops] exported by some app\n")
    (folder / "doses [bold].csv").write_bytes((DEMO / "doses.csv").read_bytes())
    home = tmp_path / "home"
    assert main(["--home", str(home), "import", str(folder)]) in (0, 1)
    assert os.path.exists(home / "data" / "manifest.json")
    await _visit(home, "imports")
