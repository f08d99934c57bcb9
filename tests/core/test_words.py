"""One helper counts words: no "1 workouts", "1 nights", "1 switches"."""

from __future__ import annotations

import pytest

from dashboard.core.analysis.plan import Advice
from dashboard.core.words import count, plural


@pytest.mark.parametrize(
    ("n", "word", "shown"),
    [
        (1, "night", "1 night"),
        (0, "night", "0 nights"),
        (2, "workout", "2 workouts"),
        (1, "switch", "1 switch"),
        (3, "switch", "3 switches"),
        (1.0, "dose", "1 dose"),
        (2.5, "dose", "2.5 doses"),
    ],
)
def test_count(n: float, word: str, shown: str) -> None:
    assert count(n, word) == shown


def test_plural_takes_the_form_given() -> None:
    assert plural(1, "holds", "hold") == "holds"
    assert plural(2, "holds", "hold") == "hold"


def test_the_advisor_counts_one_strain_switch_in_the_singular() -> None:
    advice = Advice(
        action="continue",
        reasons=(),
        warnings=(),
        has_plan=False,
        today_plan_g=None,
        next_step_date=None,
        next_step_g=None,
        target_date=None,
        withdrawal_mean=None,
        insomnia_nights=0,
        nights_known=0,
        doses_per_day_recent=None,
        doses_per_day_prev=None,
        strains_recent=("Red Bali", "Green Malay"),
        strain_switches=1,
    )
    assert any(line.endswith("(1 switch)") for line in advice.lines())


def test_an_import_line_counts_in_words() -> None:
    from dashboard.core.store.ingest import describe_rows

    assert describe_rows({"doses": 1, "sleep_sessions": 2, "daily_activity": 1}) == (
        "1 dose, 2 nights, 1 day of activity"
    )


def test_short_hours_and_minutes() -> None:
    from dashboard.core.words import short_hm

    assert (short_hm(412), short_hm(45), short_hm(60)) == ("6h52", "45m", "1h00")
