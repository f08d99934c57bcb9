"""Replays tests/data/regressions/: inputs that once broke the import keep the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.pipeline import check_one, seeded_home

CASES = Path(__file__).resolve().parents[1] / "data" / "regressions"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def test_the_corpus_is_not_empty() -> None:
    assert _cases(), f"no regression cases under {CASES}"


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_regression_input_keeps_the_contract(case: Path, tmp_path: Path) -> None:
    home = seeded_home(tmp_path)
    where = tmp_path / "in"
    for path in sorted(p for p in case.rglob("*") if p.is_file()):
        out = check_one(home, str(path.relative_to(case)), path.read_bytes(), where)
        assert out.status in {"imported", "skipped", "failed"}, out.line()
