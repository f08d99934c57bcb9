from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.cli import main


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # no test may touch the real user data dir or depend on the machine's zone
    monkeypatch.setenv("TAPERDASH_HOME", str(tmp_path / "default-home"))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.delenv("TAPERDASH_TODAY", raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def cli(home: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Runs `taperdash --home HOME ARGS...` in-process: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            rc = main(["--home", str(home), *args])
        except SystemExit as exc:  # argparse usage errors
            rc = int(exc.code or 0)
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
