"""A wheel carries everything `taperdash --demo` needs: the demo history as package data
and the stylesheets, read from the installed package, not from a checkout beside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("taperdash-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def test_the_wheel_holds_the_demo_and_the_stylesheets(wheel_dir: Path) -> None:
    demo = wheel_dir / "sample_data" / "demo"
    assert (demo / "TODAY").is_file() and (demo / "doses.csv").is_file()
    assert any((demo / "garmin").rglob("*.fit"))
    assert (wheel_dir / "dashboard" / "app.tcss").is_file()


def test_the_demo_home_builds_from_the_installed_package(wheel_dir: Path, tmp_path: Path) -> None:
    code = (
        "import dashboard.demo as d, pathlib, sys\n"
        "assert str(d.DEMO_SRC).startswith(sys.argv[1]), d.DEMO_SRC\n"
        "home, today = d.prepare_demo_home()\n"
        "print(today, (home / 'data' / 'manifest.json').is_file())\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(wheel_dir),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PYTHONSAFEPATH": "1",  # not the checkout's packages through the current folder
    }
    out = subprocess.run(
        [sys.executable, "-c", code, str(wheel_dir)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == [
        (wheel_dir / "sample_data" / "demo" / "TODAY").read_text().strip(),
        "True",
    ]
