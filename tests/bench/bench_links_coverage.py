"""The simulation study of issue 15: coverage of the adjusted links' 95 % intervals.

    .venv/bin/python tests/bench/bench_links_coverage.py [--histories 200] [--days 224]

Each history comes from tests/core/simulate.py (planted effects, causes that travel with
taper steps, AR(1) noise with rho 0.3-0.5). For each planted (cause, effect) it prints how
often the adjusted interval covered the true value, how often the plain comparison's did,
and how often the link held after FDR; exits non-zero when an adjusted coverage is outside
92-98 % or the planted zero held in more than 5 % of histories.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard.core.analysis.links import compute_links
from dashboard.core.store.config import Config
from tests.core.simulate import TRUE, confounded_history


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--histories", type=int, default=200)
    parser.add_argument("--days", type=int, default=224)
    args = parser.parse_args()
    cfg = Config(timezone="UTC")
    rows = {k: {"cover": 0, "plain": 0, "held": 0, "n": 0, "width": 0.0} for k in TRUE}
    started = time.perf_counter()
    for seed in range(args.histories):
        links = {lk.key: lk for lk in compute_links(confounded_history(seed, args.days), cfg)}
        for (cause, effect), truth in TRUE.items():
            lag = 1 if cause == "late_dose" and effect in ("withdrawal_score", "cravings") else 0
            lk = links[(cause, effect, lag)]
            r = rows[(cause, effect)]
            if lk.estimate is None or lk.ci_low is None or lk.ci_high is None:
                continue
            r["n"] += 1
            r["cover"] += lk.ci_low <= truth <= lk.ci_high
            r["held"] += lk.fdr_ok
            r["width"] += lk.ci_high - lk.ci_low
            if lk.naive_ci_low is not None and lk.naive_ci_high is not None:
                r["plain"] += lk.naive_ci_low <= truth <= lk.naive_ci_high
    took = time.perf_counter() - started
    print(f"{args.histories} histories of {args.days} days, {took:.1f} s")
    print(
        f"{'cause -> effect':<36}{'truth':>7}{'adjusted':>10}{'plain':>8}{'holds':>8}"
        f"{'CI width':>10}"
    )
    ok = True
    for (cause, effect), truth in TRUE.items():
        r = rows[(cause, effect)]
        n = max(1, int(r["n"]))
        cover, plain, held = r["cover"] / n, r["plain"] / n, r["held"] / n
        print(
            f"{cause + ' -> ' + effect:<36}{truth:>+7.0f}{cover:>10.1%}{plain:>8.1%}"
            f"{held:>8.1%}{r['width'] / n:>10.1f}"
        )
        if r["n"] < args.histories or not 0.92 <= cover <= 0.98:
            ok = False
        if truth == 0 and held > 0.05:
            ok = False
    print("within 92-98 % and the zero held <= 5 %" if ok else "OUT OF BOUNDS")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
