"""A simulation study in small: do the adjusted intervals keep their promise?

Histories from tests/core/simulate.py plant known effects with confounding (exercise rarer
and late doses commoner after taper steps) and AR(1) noise. The full study (hundreds of
histories, a coverage table) is tests/bench/bench_links_coverage.py; this one runs a few
dozen with bounds wide enough for that count (the binomial spread of 24 draws at 95 % is
about ±4.5 points).
"""

from __future__ import annotations

from dashboard.core.analysis.links import compute_links
from dashboard.core.store.config import Config
from tests.core.simulate import TRUE, confounded_history

HISTORIES = 24


def _lag(cause: str, effect: str) -> int:
    return 1 if cause == "late_dose" and effect in ("withdrawal_score", "cravings") else 0


def test_adjusted_intervals_cover_planted_effects_and_a_zero_rarely_holds() -> None:
    cfg = Config(timezone="UTC")
    covered = dict.fromkeys(TRUE, 0)
    held = dict.fromkeys(TRUE, 0)
    plain_covered = dict.fromkeys(TRUE, 0)
    for seed in range(HISTORIES):
        links = {lk.key: lk for lk in compute_links(confounded_history(seed), cfg, resamples=300)}
        for (cause, effect), truth in TRUE.items():
            lk = links[(cause, effect, _lag(cause, effect))]
            assert lk.estimate is not None and lk.ci_low is not None and lk.ci_high is not None
            covered[(cause, effect)] += lk.ci_low <= truth <= lk.ci_high
            held[(cause, effect)] += lk.fdr_ok
            assert lk.naive_ci_low is not None and lk.naive_ci_high is not None
            plain_covered[(cause, effect)] += lk.naive_ci_low <= truth <= lk.naive_ci_high
    for key, hits in covered.items():
        assert hits >= HISTORIES - 4, (key, hits)  # >= 83 % here; 92-98 % in the benchmark
    assert held[("late_dose", "asleep_min")] <= 2  # the planted zero
    # the confounding is real: the plain comparison finds the zero effect of a late dose
    # rarely, and so the test would fail on the old, one-cause-at-a-time links
    assert plain_covered[("late_dose", "asleep_min")] <= HISTORIES // 2
