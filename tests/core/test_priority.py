from __future__ import annotations

import polars as pl

from dashboard.core.analysis.daily import _priority


def test_source_family_ranks_like_its_prefix_and_unknown_sources_come_last() -> None:
    df = pl.DataFrame(
        {
            "source": [
                "garmin",
                "apple_health:Anna’s Watch",
                "somewhere",
                "oura",
                "apple_health:iPhone",
            ]
        }
    )
    ranks = df.select(
        _priority(("apple_health:iPhone", "garmin", "oura", "apple_health")).alias("r")
    )["r"].to_list()
    assert ranks == [1, 3, 4, 2, 0]
