"""A writer killed at any instant leaves every table readable and every acknowledged dose stored.

`TAPERDASH_KILLS` sets how many kills (default 20 here; the full proof is 200:
`TAPERDASH_KILLS=200 pytest tests/core/test_durability.py -s`, about 2 minutes; -s prints the
figures). The import counterpart is tests/reliability/test_import_kills.py.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.core.store.disk import Store
from dashboard.core.store.schema import TABLES

KILLS = int(os.environ.get("TAPERDASH_KILLS", "20"))

LOOP = r"""
import datetime as dt, sys
from pathlib import Path
from dashboard.core.store import doses
from dashboard.core.store.disk import Store
store = Store(Path(sys.argv[1]))
i = 0
while True:
    i += 1
    now = dt.datetime.now(dt.UTC)
    d = doses.DoseInput(grams=1 + (i % 7) / 4, taken_at=now - dt.timedelta(minutes=i), utc_offset_min=60, note=f"{sys.argv[2]}-{i}")
    id_ = doses.add(store, d, now)
    print(f"ACK {id_} {sys.argv[2]}-{i}", flush=True)
"""


def _writer(home: Path, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", LOOP, str(home), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _acks(text: str) -> set[str]:
    return set(re.findall(r"^ACK \d+ (\S+)$", text, re.M))


@pytest.mark.slow
def test_sigkill_at_random_instants_loses_no_acknowledged_dose(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rng = random.Random(20261125)
    acknowledged: set[str] = set()
    for round_ in range(KILLS):
        proc = _writer(home, f"r{round_}")
        assert proc.stdout is not None
        first = proc.stdout.readline()  # in the write loop, however slow the start on a busy box
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged |= _acks(first + out)
        store = Store(home)
        for table in TABLES:
            store.read(table)  # every table reads
        notes = set(store.read("doses")["note"].to_list())
        missing = acknowledged - notes
        assert not missing, f"round {round_}: acknowledged doses lost: {sorted(missing)[:5]}"
        ids = store.read("doses")["id"]
        assert ids.n_unique() == ids.len()
    assert len(acknowledged) > KILLS  # the kills did land mid-loop
    leftovers = [p.name for p in (home / "data").iterdir() if p.name.endswith(".tmp")]
    # temp files of killed writers are harmless (never named by the manifest) and few
    assert len(leftovers) <= KILLS
    print(
        f"\ndose kills: {KILLS} survived, {len(acknowledged)} acknowledged doses all stored, {len(leftovers)} temp files left"
    )


def test_two_writers_at_once_both_land(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store(home).ensure()
    procs = [_writer(home, "a"), _writer(home, "b")]
    # both in their write loops (however slow the start on a busy box), then a while together
    firsts = [p.stdout.readline() if p.stdout else "" for p in procs]
    time.sleep(1.0)
    outs = []
    for p, first in zip(procs, firsts, strict=True):
        p.send_signal(signal.SIGKILL)
        outs.append(first + p.communicate()[0])
    acks = _acks(outs[0]) | _acks(outs[1])
    assert any(a.startswith("a-") for a in acks) and any(a.startswith("b-") for a in acks)
    table = Store(home).read("doses")
    assert acks <= set(table["note"].to_list())
    assert table["id"].n_unique() == table.height
