from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.cli import main

PINNED_NOW = "2026-12-05T14:00:00+01:00"  # a Saturday afternoon in Berlin, the tests' zone


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # no test may touch the real user data dir or depend on the machine's zone
    monkeypatch.setenv("TAPERDASH_HOME", str(tmp_path / "default-home"))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.delenv("TAPERDASH_TODAY", raising=False)
    # "now" is pinned for every test (dashboard.core.clock.now_utc); a test about another
    # instant sets TAPERDASH_NOW itself. .ci/run proves the pin holds by running the suite
    # again under libfaketime at an odd hour and zone.
    monkeypatch.setenv("TAPERDASH_NOW", PINNED_NOW)


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
    # module- and session-scoped fixtures run before the per-test pins: pin for them too
    os.environ["TAPERDASH_NOW"] = PINNED_NOW
    os.environ["TZ"] = "Europe/Berlin"
