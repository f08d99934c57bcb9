"""The demo says where its exports go and keeps them; its ledger names this install's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.app import TaperdashApp
from dashboard.core.store.disk import Store
from dashboard.demo import DEMO_SRC, _digest, prepare_demo_home, relocate_ledger
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.review_helpers import open_review


async def test_demo_exports_go_to_the_current_folder_and_say_so(
    demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "where-the-demo-was-started"
    here.mkdir()
    monkeypatch.chdir(here)
    app = TaperdashApp(home=demo_copy, demo=True, pinned_today=DEMO_TODAY)
    notes: list[str] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
    folder = here / "taperdash-demo-exports"
    assert sorted(p.suffix for p in folder.iterdir()) == [".md", ".svg"]
    assert not (demo_copy / "exports").exists()  # not in the home deleted on quit
    assert any(str(folder) in n and "stay" in n for n in notes)


def test_the_demo_ledger_names_the_files_of_this_install(
    demo_built_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the shared cache was built by another checkout, since moved away
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    cached = cache / "taperdash" / f"demo-{_digest(DEMO_SRC)}"
    shutil.copytree(demo_built_home, cached)
    relocate_ledger(cached, Path("/gone/other-checkout/sample_data/demo"))
    assert Store(cached).read("imports")["path"].str.starts_with("/gone/").all()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    home, _ = prepare_demo_home(DEMO_SRC)

    paths = Store(home).read("imports")["path"].to_list()
    assert paths and all(p.startswith(str(DEMO_SRC) + "/") for p in paths)
    assert all(Path(p).exists() for p in paths)
