"""Run the tests under libfaketime at the instants and zones people live in; print a table.

    .venv/bin/python .ci/clock_sweep.py                 the non-UI tests at every instant
    .venv/bin/python .ci/clock_sweep.py tests/ui -x     any pytest arguments instead
    .venv/bin/python .ci/clock_sweep.py --only 3 ...    the first N rows of the matrix

Every test pins "now" (TAPERDASH_NOW, tests/conftest.py), so the wall clock and the machine's
zone must change nothing; a test that reads either fails here at some row. Needs faketime
(Debian package `faketime`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONES = ("UTC", "Pacific/Kiritimati", "America/Adak", "Asia/Kolkata")
CLOCKS = ("00:00:30", "04:50:00", "12:00:00", "23:59:30")
ORDINARY_DAY = "2026-12-05"
# (zone, local instant): both sides of each change and inside the hours it moves
DST = (
    ("America/Adak", "2026-03-08 01:59:30"),  # spring forward at 02:00
    ("America/Adak", "2026-03-08 23:59:30"),
    ("America/Adak", "2026-11-01 01:30:00"),  # fall back: 01:00-02:00 twice
    ("America/Adak", "2026-11-01 23:59:30"),
    ("Europe/Berlin", "2026-03-29 01:59:30"),
    ("Europe/Berlin", "2026-10-25 02:30:00"),
)
MATRIX = [(z, f"{ORDINARY_DAY} {c}") for c in CLOCKS for z in ZONES] + list(DST)


def run(zone: str, instant: str, args: list[str]) -> tuple[str, list[str], float]:
    env = {**os.environ, "TZ": zone}
    env.pop("FAKETIME", None)
    cmd = ["faketime", instant, str(ROOT / ".venv/bin/pytest"), "-rfE", *args]
    t0 = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True).stdout
    elapsed = time.monotonic() - t0
    tail = [line for line in out.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
    return (tail[-1].strip("= ") if tail else "no result line"), failed, elapsed


def main(argv: list[str]) -> int:
    if shutil.which("faketime") is None:
        print("faketime is not installed (Debian: apt-get install faketime); sweep skipped")
        return 0
    rows = MATRIX
    if argv[:1] == ["--only"]:
        rows, argv = rows[: int(argv[1])], argv[2:]
    args = argv or ["--ignore=tests/ui"]
    bad = 0
    print("| local instant | zone | result | failed |\n|---|---|---|---|")
    for zone, instant in rows:
        result, failed, elapsed = run(zone, instant, args)
        ok = not failed and "passed" in result and "failed" not in result
        bad += not ok
        print(
            f"| {instant} | {zone} | {result} ({elapsed:.0f} s) | {', '.join(failed) or '-'} |",
            flush=True,
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
