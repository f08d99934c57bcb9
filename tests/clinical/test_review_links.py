"""The review's link lines carry the adjusted figure, the plain one and why they differ."""

from __future__ import annotations

from dashboard.core.analysis.links import METHOD, Link
from dashboard.core.clinical.review.model import LinkChange
from dashboard.core.clinical.review.render import _link_line


def _link(note: str) -> Link:
    return Link(
        cause="late_dose",
        effect="asleep_min",
        lag_nights=0,
        method=METHOD,
        unit="min",
        estimate=1.0,
        ci_low=-12.0,
        ci_high=14.0,
        n=112,
        n_with=40,
        n_without=72,
        p_value=0.9,
        fdr_ok=False,
        text="Nights with a dose within 3 h of bedtime: +1 min asleep, other causes held fixed"
        " (95 % CI −12 to +14; 40 vs 72 nights; plain comparison −49).",
        adjusted_for=("taper_step", "exercise_30min", "time_trend", "weekend"),
        naive_estimate=-49.0,
        naive_ci_low=-64.0,
        naive_ci_high=-32.0,
        note=note,
    )


def test_a_link_line_says_why_adjusted_and_plain_differ() -> None:
    line = _link_line(
        LinkChange(_link("part of the plain difference came with taper steps"), None, None)
    )
    assert "+1 min asleep, other causes held fixed" in line and "plain comparison −49" in line
    assert line.endswith("Why they differ: part of the plain difference came with taper steps.")
    assert _link_line(LinkChange(_link(""), None, None)) == _link("").text


def test_review_json_links_carry_the_adjusted_and_plain_figures() -> None:
    doc = LinkChange(_link(""), None, "new").to_json()
    assert doc["estimate"] == 1.0 and doc["naive"] == {
        "estimate": -49.0,
        "ci_low": -64.0,
        "ci_high": -32.0,
    }
    assert doc["adjusted_for"] == ["taper_step", "exercise_30min", "time_trend", "weekend"]
