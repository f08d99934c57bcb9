"""A usage error is one line: the command, what is wrong with which argument, where the help
is; exit code 2 and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("log", "3.5kg"),
            "taperdash: log: not a number of grams: '3.5kg' (type digits, e.g. 3.5 or 3,5);"
            " try taperdash log --help",
        ),
        (
            ("checkin", "--cravings", "five"),
            "taperdash: checkin: --cravings: 'five' is not a whole number;"
            " try taperdash checkin --help",
        ),
        (
            ("checkin", "--date", "2026-02-30"),
            "taperdash: checkin: --date: 2026-02-30 is not a date; try taperdash checkin --help",
        ),
        (
            ("plan", "set", "--start-dose", "8", "--rate", "10", "--start", "2026-02-30"),
            "taperdash: plan set: --start: 2026-02-30 is not a date; try taperdash plan set --help",
        ),
    ],
)
def test_usage_error_is_one_line_with_a_hint(
    cli: Cli, home: Path, args: tuple[str, ...], line: str
) -> None:
    rc, out, err = cli(*args)
    assert (rc, out, err) == (2, "", line + "\n")
    assert not (home / "doses.parquet").exists()


def test_plan_set_refuses_with_the_shared_rule(cli: Cli, home: Path) -> None:
    rc, _, err = cli("plan", "set", "--start-dose", "150", "--rate", "10")
    assert rc == 2
    assert err == "taperdash: plan set: start dose must be above 0 and at most 100 g a day\n"
    assert not (home / "config.toml").exists()


def test_plan_set_reads_grams_as_the_dose_form_does(cli: Cli, home: Path) -> None:
    # `1,500` is 1500 to some and 1.5 to others: refused, as in `log`, never stored as 1.5 g
    rc, _, err = cli("plan", "set", "--start-dose", "1,500", "--rate", "10")
    assert rc == 2 and "'1,500' is ambiguous" in err and len(err.splitlines()) == 1
    assert cli("plan", "set", "--start-dose", "7,5", "--rate", "10")[0] == 0
