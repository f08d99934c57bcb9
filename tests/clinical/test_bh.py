"""Benjamini-Hochberg across the fixed list of links, on a list worked by hand."""

from __future__ import annotations

import pytest

from dashboard.core.analysis import stats
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.links import FDR_Q, compute_links
from dashboard.core.store.config import Config
from tests.core.conftest import synthetic


def test_adjusted_values_on_a_hand_worked_list() -> None:
    # m = 6, sorted p: 0.001 0.008 0.039 0.041 0.042 0.60
    # p * m / rank:    0.006 0.024 0.078 0.0615 0.0504 0.60
    # running minimum from the top: 0.006 0.024 0.0504 0.0504 0.0504 0.60
    p = [0.041, 0.001, 0.60, 0.039, 0.008, 0.042]
    adjusted = stats.bh_adjust(p)
    assert adjusted == pytest.approx([0.0504, 0.006, 0.60, 0.0504, 0.024, 0.0504])
    # at q = 0.05 only the two smallest hold; at 0.06 the largest rank k with p_k <= k q / m
    # is 5 (0.042 <= 0.05), so five hold
    assert stats.bh_reject(p, 0.05) == [False, True, False, False, True, False]
    assert stats.bh_reject(p, 0.06) == [True, True, False, True, True, True]


def test_every_link_says_whether_it_holds_after_the_correction(config: Config) -> None:
    t = synthetic(240)
    daily = daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], config
    )
    links = compute_links(daily, config, resamples=400)
    expected = stats.bh_reject([lk.p_value for lk in links], FDR_Q)
    assert [lk.fdr_ok for lk in links] == expected
    assert any(expected)  # the planted exercise effect survives
    assert all("fdr_ok" in lk.to_dict() for lk in links)
