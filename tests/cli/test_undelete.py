"""`taperdash log --undelete ID` (issue 20, point 2): a soft-deleted dose comes back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboard.core.store import doses
from dashboard.core.store.disk import Store

Cli = Callable[..., tuple[int, str, str]]


def test_undelete_brings_a_deleted_dose_back(cli: Cli, home: Path) -> None:
    cli("log", "3.5", "--at", "2026-12-05T08:00", "--strain", "Red Bali")
    cli("log", "2,5", "--at", "2026-12-05T11:00")
    rc, out, _ = cli("log", "--delete", "1")
    assert rc == 0 and "taperdash log --undelete 1" in out
    assert doses.live(Store(home).read("doses"))["id"].to_list() == [2]
    rc, out, _ = cli("log", "--undelete", "1")
    assert rc == 0
    assert out.startswith("restored dose #1: 3.5 g powder Red Bali at 2026-12-05 08:00")
    assert sorted(doses.live(Store(home).read("doses"))["id"].to_list()) == [1, 2]


def test_undelete_refuses_a_live_or_unknown_dose(cli: Cli, home: Path) -> None:
    cli("log", "3.5")
    before = Store(home).read("doses")
    rc, _, err = cli("log", "--undelete", "1")
    assert rc == 2 and "dose 1 is not deleted" in err
    rc, _, err = cli("log", "--undelete", "9")
    assert rc == 2 and "no dose with id 9" in err
    assert Store(home).read("doses").equals(before)
