from __future__ import annotations

import datetime as dt
import json
import random

import numpy as np
import polars as pl
import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis import stats
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.links import (
    DOSE,
    EFFECTS,
    EXERCISE,
    FIXED_CAUSES,
    LATE_DOSE,
    NEW_CAUSES,
    TAPER_STEP,
    Link,
    compute_links,
    link_pairs,
    links_document,
)
from dashboard.core.store.config import Config
from tests.core.conftest import synthetic


def frame_of(days: int, cfg: Config, **kw: float) -> pl.DataFrame:
    t = synthetic(days, **kw)
    return daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], cfg
    )


def by_key(links: list[Link]) -> dict[tuple[str, str, int], Link]:
    return {lk.key: lk for lk in links}


@pytest.fixture(scope="module")
def two_years() -> tuple[pl.DataFrame, list[Link]]:
    cfg = Config(timezone="UTC")
    daily = frame_of(730, cfg)
    return daily, compute_links(daily, cfg)


@pytest.mark.parametrize(
    ("cause", "planted"),
    [(EXERCISE, 40.0), (TAPER_STEP, -50.0)],
)
def test_links_recover_planted_effects_on_sleep(
    two_years: tuple[pl.DataFrame, list[Link]], cause: str, planted: float
) -> None:
    link = by_key(two_years[1])[(cause, C.ASLEEP_MIN, 0)]
    assert link.estimate is not None and link.ci_low is not None and link.ci_high is not None
    assert link.ci_low <= planted <= link.ci_high
    assert link.notable and link.fdr_ok
    assert link.n_with and link.n_without and link.n == link.n_with + link.n_without


def test_noise_is_rarely_flagged(two_years: tuple[pl.DataFrame, list[Link]]) -> None:
    # Withdrawal and cravings were drawn independently of everything else: of these 22 null
    # links (11 causes and lags each) BH lets few through on average.
    noise = [lk for lk in two_years[1] if lk.effect in (C.WITHDRAWAL, C.CRAVINGS)]
    assert len(noise) == 22
    assert sum(lk.fdr_ok for lk in noise) <= 1


def test_taper_step_link_compares_the_three_nights_from_each_step_on(
    two_years: tuple[pl.DataFrame, list[Link]],
) -> None:
    daily, links = two_years
    steps = int(daily[C.TAPER_STEP].sum())
    link = by_key(links)[(TAPER_STEP, C.ASLEEP_MIN, 0)]
    assert link.n_with == 3 * steps


def test_the_sentence_reads_like_the_design(two_years: tuple[pl.DataFrame, list[Link]]) -> None:
    link = by_key(two_years[1])[(EXERCISE, C.ASLEEP_MIN, 0)]
    assert link.text.startswith("Nights after ≥ 30 min of exercise: +")
    assert "min asleep, other causes held fixed (95 % CI +" in link.text
    assert f"; {link.n_with} vs {link.n_without} nights; plain comparison +" in link.text


def test_the_fixed_list_covers_every_cause_and_effect(
    two_years: tuple[pl.DataFrame, list[Link]],
) -> None:
    keys = set(by_key(two_years[1]))
    for cause in (EXERCISE, TAPER_STEP, "supplement:magnesium", *NEW_CAUSES):
        assert {(e, lag) for c, e, lag in keys if c == cause} == {(e, 0) for e in EFFECTS}
    assert {(e, lag) for c, e, lag in keys if c == LATE_DOSE} == {
        (C.ASLEEP_MIN, 0),
        (C.EFFICIENCY, 0),
        (C.AWAKENINGS, 0),
        (C.WITHDRAWAL, 1),
        (C.CRAVINGS, 1),
    }
    assert {(e, lag) for c, e, lag in keys if c == DOSE} == {
        (e, lag) for e in EFFECTS for lag in (0, 1)
    }
    assert len(keys) == len(two_years[1])  # no duplicates


def test_a_short_history_says_not_enough_data_yet(config: Config) -> None:
    links = compute_links(frame_of(6, config), config)
    assert links
    for link in links:
        assert link.estimate is None and link.ci_low is None and link.p_value is None
        assert "not enough data yet" in link.text
        assert not link.fdr_ok


def test_min_n_comes_from_config(config: Config) -> None:
    from dataclasses import replace

    daily = frame_of(240, config)
    loose = by_key(compute_links(daily, replace(config, min_n=3)))
    strict = by_key(compute_links(daily, replace(config, min_n=130)))
    key = (EXERCISE, C.ASLEEP_MIN, 0)
    assert loose[key].estimate is not None
    assert strict[key].estimate is None and "130 each needed" in strict[key].text


def test_links_are_seeded_and_repeatable(config: Config) -> None:
    daily = frame_of(120, config)
    first = compute_links(daily, config)
    assert compute_links(daily, config) == first
    assert compute_links(daily, config, seed=1) != first


def test_links_until_leaves_out_later_days(config: Config) -> None:
    daily = frame_of(120, config)
    cut = daily[C.DATE][59]
    assert compute_links(daily, config, until=cut) == compute_links(
        daily.filter(pl.col(C.DATE) <= cut), config
    )


def test_dose_is_a_slope_per_gram_with_its_plain_slope_beside(config: Config) -> None:
    # The plain figure of a continuous cause is the least-squares slope of the pairs behind it
    # (numpy's own polyfit on the same pairs); the next-day pairs are one fewer.
    daily = frame_of(200, config)
    links = by_key(compute_links(daily, config))
    for lag in (0, 1):
        pairs = link_pairs(daily, DOSE, C.WITHDRAWAL, lag)
        slope = np.polyfit(pairs["cause"].to_numpy(), pairs["effect"].to_numpy(), 1)[0]
        link = links[(DOSE, C.WITHDRAWAL, lag)]
        assert link.n == pairs.height == 200 - lag
        assert link.naive_estimate == pytest.approx(slope)
        assert link.unit == "points (SOWS 0-64) per g" and link.n_with is None


def test_links_json_has_the_design_keys_and_is_one_document(
    two_years: tuple[pl.DataFrame, list[Link]],
) -> None:
    doc = json.loads(json.dumps(links_document(two_years[1])))
    design = {
        "cause",
        "effect",
        "lag_nights",
        "estimate",
        "ci_low",
        "ci_high",
        "n",
        "unit",
        "method",
        "text",
        "adjusted_for",
        "naive",
    }
    assert list(doc) == ["links"]
    for item in doc["links"]:
        assert design <= set(item)
        assert set(item["naive"]) == {"estimate", "ci_low", "ci_high"}
        # an adjusted figure names what it was adjusted for; a link without one says why
        assert bool(item["adjusted_for"]) == (item["estimate"] is not None)
    exercise = next(i for i in doc["links"] if i["cause"] == EXERCISE)
    # (no late dose ever in this history: a constant is nothing to adjust for)
    assert {TAPER_STEP, DOSE, "time_trend", "weekend"} <= set(exercise["adjusted_for"])
    assert LATE_DOSE not in exercise["adjusted_for"]
    assert EXERCISE not in exercise["adjusted_for"]


def test_efficiency_is_reported_in_percentage_points(
    two_years: tuple[pl.DataFrame, list[Link]],
) -> None:
    link = by_key(two_years[1])[(EXERCISE, C.EFFICIENCY, 0)]
    assert link.unit == "pp" and link.estimate is not None and 0.3 < link.estimate < 5


# --- the statistics underneath ----------------------------------------------------------


def test_mean_difference_interval_covers_a_known_shift() -> None:
    rng = random.Random(3)
    a = pl.Series([rng.gauss(10.0, 2.0) for _ in range(200)])
    b = pl.Series([rng.gauss(7.0, 2.0) for _ in range(300)])
    est = stats.mean_difference(a, b, seed=1)
    assert est.ci_low < 3.0 < est.ci_high
    assert est.ci_high - est.ci_low < 1.0
    assert est.p_value < 0.01


def test_no_difference_gives_a_large_p_value() -> None:
    rng = random.Random(4)
    a = pl.Series([rng.gauss(0.0, 1.0) for _ in range(100)])
    b = pl.Series([rng.gauss(0.0, 1.0) for _ in range(100)])
    est = stats.mean_difference(a, b, seed=2)
    assert est.ci_low < 0 < est.ci_high and est.p_value > 0.05


def test_the_blocked_bootstrap_draws_the_same_resamples_as_one_flat_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Resamples are reduced a block at a time to bound memory; the draw must stay the one
    `sample(n * B, with_replacement=True, seed)` stream, whatever the block size."""
    rng = random.Random(6)
    values = pl.Series([rng.gauss(0.0, 1.0) for _ in range(37)])
    flat = values.sample(37 * 50, with_replacement=True, seed=9).reshape((50, 37)).arr.mean()
    results = []
    for block_values in (1, 37 * 3 + 5, 1 << 18):  # one resample a block, ragged, all at once
        monkeypatch.setattr(stats, "BLOCK_VALUES", block_values)
        assert stats._resample_means(values, 50, 9).to_list() == flat.to_list()
        results.append(stats.mean_difference(values[:20], values[20:], resamples=50, seed=4))
    assert results[0] == results[1] == results[2]


# The worked example of Benjamini & Hochberg (1995), 15 p-values, q = 0.05: four rejections.
BH_P = [
    0.0001,
    0.0004,
    0.0019,
    0.0095,
    0.0201,
    0.0278,
    0.0298,
    0.0344,
    0.0459,
    0.3240,
    0.4262,
    0.5719,
    0.6528,
    0.7590,
    1.0000,
]


def test_benjamini_hochberg_on_the_papers_example() -> None:
    assert stats.bh_reject(BH_P, 0.05) == [True] * 4 + [False] * 11


def test_benjamini_hochberg_adjusts_in_input_order_and_counts_untested_links() -> None:
    adjusted = stats.bh_adjust([0.04, None, 0.01, 0.03])
    # m = 4 (the untested link still counts): 0.01*4/1, then min(0.03*4/2, 0.04*4/3)
    assert adjusted[1] is None
    assert adjusted[2] == pytest.approx(0.04)
    assert adjusted[3] == pytest.approx(0.04 * 4 / 3)
    assert adjusted[0] == pytest.approx(0.04 * 4 / 3)
    assert stats.bh_reject([0.04, None, 0.01, 0.03]) == [False, False, True, False]


def test_taper_effect_of_zero_is_not_found(config: Config) -> None:
    daily = frame_of(730, config, step_min=0.0)
    link = by_key(compute_links(daily, config))[(TAPER_STEP, C.ASLEEP_MIN, 0)]
    assert link.ci_low is not None and link.ci_low < 0 < link.ci_high  # type: ignore[operator]


def test_cli_links_json_is_one_document(cli, home, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tests.core.conftest import fill_store

    fill_store(home, synthetic(120))
    monkeypatch.setenv("TAPERDASH_TODAY", "2026-05-04")
    rc, out, err = cli("links", "--json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)  # fails on anything but one JSON document
    assert {lk["cause"] for lk in doc["links"]} >= {EXERCISE, TAPER_STEP, DOSE, LATE_DOSE}
    rc, out, _ = cli("links")
    assert rc == 0 and "Nights after ≥ 30 min of exercise: +" in out


def test_cli_links_on_an_empty_home(cli) -> None:  # type: ignore[no-untyped-def]
    # The fixed list is listed even before there is data, each saying so.
    rc, out, _ = cli("links", "--json")
    links = json.loads(out)["links"]
    causes = len(FIXED_CAUSES) + len(NEW_CAUSES)
    assert rc == 0 and len(links) == causes * len(EFFECTS) + len(EFFECTS)  # dose_g: two lags
    assert all(lk["estimate"] is None and "not enough data yet" in lk["text"] for lk in links)


def test_lagged_pairs_match_by_date_across_a_gap(config: Config) -> None:
    daily = frame_of(30, config)
    gap = daily[C.DATE][10]
    pairs = link_pairs(daily.filter(pl.col(C.DATE) != gap), DOSE, C.ASLEEP_MIN, 1)
    before_gap = gap - dt.timedelta(days=1)
    assert before_gap not in pairs[C.DATE].to_list()  # its next night is the missing one
    assert pairs.height == 30 - 1 - 2  # the last day has no next night; the gap costs two


def test_a_strong_links_p_value_keeps_its_significant_figures() -> None:
    from dashboard.core.analysis.links import Link

    link = Link(
        cause="c", effect="e", lag_nights=0, method="m", unit="min", estimate=1.0, ci_low=0.5,
        ci_high=1.5, n=10,
        n_with=5, n_without=5, p_value=3.21e-7, fdr_ok=True, text="t",
    )  # fmt: skip
    assert link.to_dict()["p_value"] == 3.21e-07
