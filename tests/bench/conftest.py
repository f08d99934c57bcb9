"""Shared fixtures of the on-demand benchmarks (issue 8).

pytest's default run ignores this folder; run it with

    .venv/bin/python -m pytest tests/bench -s -p no:cacheprovider -o addopts=""

Files named `bench_*.py` are collected here as test modules (pytest's own pattern is
`test_*.py`). Session-scoped inputs, built once per run and reused by every benchmark:

- `corpus`: the generator's 5-year history in /tmp/taperdash-bench-5y (generated if absent,
  reused otherwise; never written into the repository);
- `home_5y`: that corpus imported into a fresh home, the way `taperdash import` does it;
- `demo_home`: the demo history (sample_data/demo) imported into a home;
- `empty_home`: a home with the corpus's config and a single dose (a near-empty baseline).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CORPUS = Path(os.environ.get("TAPERDASH_BENCH_CORPUS", "/tmp/taperdash-bench-5y"))
CORPUS_YEARS = 5
NOT_DATA = ("config.toml", "TODAY", "README.md")  # in the corpus folder, not import input


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Module | None:
    # a file named on the command line is collected by pytest itself, whatever its name
    if parent.session.isinitpath(file_path):
        return None
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@dataclass(frozen=True)
class Corpus:
    root: Path
    today: str  # the story's last day (ISO), pinned as "today" wherever the app runs

    @property
    def inputs(self) -> list[Path]:
        """What a user would hand to `taperdash import`: every file and folder but the
        generator's own config and TODAY marker."""
        return [p for p in sorted(self.root.iterdir()) if p.name not in NOT_DATA]

    def fit_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.suffix.lower() == ".fit" and p.is_file())

    def total_bytes(self) -> int:
        return sum(
            p.stat().st_size for p in self.root.rglob("*") if p.is_file() and p.name not in NOT_DATA
        )

    def n_files(self) -> int:
        return sum(1 for p in self.root.rglob("*") if p.is_file() and p.name not in NOT_DATA)


def ensure_corpus(root: Path = CORPUS, years: int = CORPUS_YEARS) -> Corpus:
    """Generates the long history once; a folder holding the generator's TODAY marker is
    reused as it is (delete it to regenerate)."""
    if not (root / "TODAY").is_file():
        print(f"\n[bench] generating the {years}-year history into {root} (once) ...", flush=True)
        subprocess.run(
            [
                PYTHON,
                "-m",
                "sample_data.generate",
                "--years",
                str(years),
                "--out",
                str(root),
                "--jobs",
                "2",
                "--quiet",
            ],
            cwd=REPO,
            check=True,
        )
    return Corpus(root, (root / "TODAY").read_text().strip())


def new_home(path: Path, config_from: Path | None) -> Path:
    """An empty, private home holding a copy of `config_from` (the corpus's config.toml)."""
    path.mkdir(parents=True, mode=0o700)
    if config_from is not None and config_from.is_file():
        shutil.copyfile(config_from, path / "config.toml")
        (path / "config.toml").chmod(0o600)
    return path


def import_into(home: Path, inputs: list[Path]) -> list[str]:
    """`taperdash import INPUTS` in-process (the CLI's own call into core); failure lines."""
    from dashboard.core.store import config as config_mod
    from dashboard.core.store import ingest
    from dashboard.core.store.disk import Store
    from importers.registry import ReadContext

    cfg = config_mod.load(home)
    ctx = ReadContext(tz=cfg.zone(), options={"generic_csv": cfg.generic_csv})
    outcomes = ingest.import_paths(Store(home), [str(p) for p in inputs], ctx)
    return [o.line() for o in outcomes if o.status == "failed"]


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return ensure_corpus()


@pytest.fixture(scope="session")
def bench_root() -> Iterator[Path]:
    # not pytest's tmp_path: other pytest runs on the machine rotate /tmp/pytest-of-$USER and
    # may delete a long benchmark's homes under it
    root = Path(tempfile.mkdtemp(prefix="taperdash-bench-run-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def home_5y(corpus: Corpus, bench_root: Path) -> Path:
    home = new_home(bench_root / "home-5y", corpus.root / "config.toml")
    failed = import_into(home, corpus.inputs)
    assert failed == [], failed
    return home


@pytest.fixture(scope="session")
def demo_home(bench_root: Path) -> tuple[Path, str]:
    """(home, today) of the demo history."""
    from dashboard.demo import DEMO_SRC, build_demo_home

    home = bench_root / "home-demo"
    assert build_demo_home(DEMO_SRC, home) == []
    today_file = DEMO_SRC / "TODAY"
    today = today_file.read_text().strip() if today_file.exists() else dt.date.today().isoformat()
    return home, today


@pytest.fixture(scope="session")
def empty_home(corpus: Corpus, bench_root: Path) -> Path:
    """The corpus's config (plan, zone) and one dose on "today": screens have something to
    draw, but almost nothing to compute."""
    home = new_home(bench_root / "home-empty", corpus.root / "config.toml")
    env = {**os.environ, "TAPERDASH_TODAY": corpus.today}
    subprocess.run(
        [
            PYTHON,
            "-m",
            "dashboard",
            "--home",
            str(home),
            "log",
            "2.0",
            "--at",
            f"{corpus.today}T08:00",
        ],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    return home


@pytest.fixture(autouse=True)
def _bench_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # figures must not depend on animations
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def report(title: str, lines: list[str]) -> None:
    """Prints one benchmark's figures as a block (visible with `pytest -s`)."""
    bar = "-" * 78
    print(f"\n{bar}\n{title}\n{bar}")
    for line in lines:
        print("  " + line)
    print(bar, flush=True)
