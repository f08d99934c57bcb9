"""Text that came from the user or from their files (a strain, a note, a file's first line in the
import ledger) is shown as text by the dashboard, never parsed as Rich markup: a stray closing
tag such as "[/x]" must not crash the app.

KNOWN FAILURES (found by issue 9; screens are not this folder's to change): DataTable renders a
`str` cell with `Text.from_markup`, so
- Today's dose table (dashboard/screens/today.py, `table.add_row(..., row["strain"] ...)`) raises
  rich.errors.MarkupError at start-up for a dose whose strain is "[/strain]": the dashboard
  cannot open until that dose is edited from the shell;
- the Imports ledger (dashboard/screens/imports.py, `_short(row["path"])`, `row["message"]`)
  raises MarkupError for a file whose first line begins "[/x]" (its message quotes it), on
  every visit, since the ledger keeps the line.
The fix is to pass `rich.text.Text(value)` (or escape) for user text. The tests are marked
xfail (not strict) so they document the bug without blocking anyone; remove the marks with the
fix.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.errors import MarkupError

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


@pytest.mark.xfail(reason="Today's dose table parses the strain as Rich markup (MarkupError)", strict=False, raises=MarkupError)
async def test_a_strain_or_note_that_looks_like_markup_is_shown_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    home = str(tmp_path / "home")
    assert main(["--home", home, "import", str(DEMO / "doses.csv"), str(DEMO / "checkins.csv")]) == 0
    assert main(["--home", home, "log", "2", "--at", f"{TODAY}T08:00", "--strain", "[/strain]", "--note", "[/note]"]) == 0
    assert main(["--home", home, "checkin", "--date", TODAY, "--trigger", "[/t]", "--note", "[/n]"]) == 0
    await _visit(Path(home), "today", "taper", "review")


@pytest.mark.xfail(reason="the Imports ledger parses paths and messages as Rich markup (MarkupError)", strict=False, raises=MarkupError)
async def test_a_ledger_line_that_looks_like_markup_is_shown_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAPERDASH_TODAY", TODAY)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "readme.txt").write_bytes(b"[/oops] exported by some app\n")
    (folder / "doses [bold].csv").write_bytes((DEMO / "doses.csv").read_bytes())
    home = tmp_path / "home"
    assert main(["--home", str(home), "import", str(folder)]) in (0, 1)
    assert os.path.exists(home / "data" / "manifest.json")
    await _visit(home, "imports")
