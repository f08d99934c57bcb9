"""The demo home, imported once per test session; each test that writes gets its own copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.demo import DEMO_SRC, build_demo_home


@pytest.fixture(scope="session")
def demo_built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    assert build_demo_home(DEMO_SRC, home) == []  # its ledger is dated on the demo's today
    return home


@pytest.fixture
def demo_copy(demo_built_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(demo_built_home, home)
    return home
