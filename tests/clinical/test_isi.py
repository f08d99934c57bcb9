"""Insomnia Severity Index: totals, bands at their edges, one answer per week, due every
second week, and the trend."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.core.clinical.isi import (
    InvalidIsi,
    isi_band,
    isi_due,
    isi_summary,
    isi_total,
    isi_trend,
    record_isi,
)

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (7, "none"),
        (8, "subthreshold"),
        (14, "subthreshold"),
        (15, "moderate"),
        (21, "moderate"),
        (22, "severe"),
        (28, "severe"),
    ],
)
def test_bands_at_their_edges(total: int, band: str) -> None:
    assert isi_band(total) == band


def test_total_is_the_sum_of_the_seven_items() -> None:
    assert isi_total([1, 2, 1, 0, 2, 1, 3]) == 10
    assert isi_total([4] * 7) == 28


@pytest.mark.parametrize(
    ("items", "words"),
    [
        ([1, 2, 3], "7 items"),
        ([0, 0, 0, 0, 0, 0, 5], "item 7 must be 0 to 4"),
        ([-1] + [0] * 6, "item 1"),
    ],
)
def test_bad_answers(items: list[int], words: str) -> None:
    with pytest.raises(InvalidIsi, match=words):
        isi_total(items)
    with pytest.raises(InvalidIsi):
        record_isi(pl.DataFrame(), dt.date(2026, 11, 24), items, NOW)


def test_one_answer_per_week_and_the_trend() -> None:
    t = record_isi(pl.DataFrame(), dt.date(2026, 11, 10), [1, 2, 1, 0, 2, 1, 3], NOW)  # W46: 10
    t = record_isi(t, dt.date(2026, 11, 24), [3, 3, 3, 3, 3, 3, 2], NOW)  # W48: 20
    t = record_isi(t, dt.date(2026, 11, 25), [3, 3, 3, 3, 3, 3, 3], NOW)  # W48 again: 21
    assert t.height == 2
    trend = isi_trend(t)
    assert trend.select("week", "total", "band", "change").rows() == [
        ("2026-W46", 10, "subthreshold", None),
        ("2026-W48", 21, "moderate", 11),
    ]
    assert isi_trend(t, until="2026-W47")["week"].to_list() == ["2026-W46"]


def test_due_every_second_week() -> None:
    t = record_isi(pl.DataFrame(), dt.date(2026, 11, 10), [0] * 7, NOW)  # W46
    assert not isi_due(t, "2026-W46")
    assert not isi_due(t, "2026-W47")  # answered last week: it covered this one
    assert isi_due(t, "2026-W48")
    assert isi_due(pl.DataFrame(), "2026-W48")


def test_summary_for_the_review() -> None:
    t = record_isi(pl.DataFrame(), dt.date(2026, 11, 10), [2] * 7, NOW, week="2026-W45")
    doc = isi_summary(t, "2026-W46").to_json()
    assert doc == {
        "due": False,
        "latest": {"week": "2026-W45", "total": 14, "band": "subthreshold", "change": None},
        "trend": [{"week": "2026-W45", "total": 14}],
    }
    assert isi_summary(None, "2026-W46").to_json() == {"due": True, "latest": None, "trend": []}
