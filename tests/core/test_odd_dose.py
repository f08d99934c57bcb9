"""A new dose far above the person's own recent doses is asked about before it is stored: 25
typed for 2.5 is the mistake a decimal point makes, and 25 g is under the 100 g bound."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.core.store import doses
from dashboard.core.store.schema import DOSES

NOW = dt.datetime(2026, 12, 5, 13, 0, tzinfo=dt.UTC)


def logged(*rows: tuple[float, str, int, bool]) -> pl.DataFrame:
    """(grams, form, days before NOW, deleted) per dose."""
    return pl.DataFrame(
        [
            {
                "id": i,
                "taken_at": NOW - dt.timedelta(days=days, hours=1),
                "utc_offset_min": 60,
                "grams": grams,
                "strain": None,
                "form": form,
                "potency": 1.0,
                "note": None,
                "created_at": NOW,
                "updated_at": NOW,
                "deleted": deleted,
            }
            for i, (grams, form, days, deleted) in enumerate(rows, 1)
        ],
        schema=DOSES,
    )


def new(grams: float, form: str = "powder") -> doses.DoseInput:
    return doses.DoseInput(grams, NOW, 60, form=form)


USUAL = logged((2.0, "powder", 1, False), (3.0, "powder", 2, False), (2.5, "powder", 9, False))


def test_a_slipped_decimal_point_is_asked_about_with_the_likely_amount() -> None:
    assert doses.out_of_line(new(25), USUAL) == (
        "25 g is 8x the largest powder dose of the four weeks before (3 g): a typo for 2.5 g?"
    )


def test_a_tenfold_amount_that_would_still_be_odd_is_only_called_a_typo() -> None:
    why = doses.out_of_line(new(99), logged(*[(1.0, "powder", d, False) for d in (1, 2, 3)]))
    assert why is not None and why.endswith("(1 g): a typo?")


@pytest.mark.parametrize(
    "grams", [3.0, 6.0, 15.0]
)  # up to 5x the largest: a hard day, asked nothing
def test_larger_doses_within_five_times_the_largest_pass(grams: float) -> None:
    assert doses.out_of_line(new(grams), USUAL) is None


def test_no_yardstick_no_question() -> None:
    assert doses.out_of_line(new(25), logged()) is None
    two = logged((2.0, "powder", 1, False), (2.0, "powder", 2, False))
    assert doses.out_of_line(new(25), two) is None


def test_other_forms_deleted_doses_and_older_doses_are_not_the_yardstick() -> None:
    extract = logged(*[(0.5, "extract", d, False) for d in (1, 2, 3)])
    assert doses.out_of_line(new(3.0), extract) is None  # a switch of form, not a typo
    assert doses.out_of_line(new(3.0, "extract"), extract) is not None
    deleted = logged(*[(0.5, "powder", d, True) for d in (1, 2, 3)])
    assert doses.out_of_line(new(3.0), deleted) is None
    old = logged(*[(0.5, "powder", d, False) for d in (29, 30, 31)])
    assert doses.out_of_line(new(3.0), old) is None
    # a dose logged afterwards for an earlier time is measured against the weeks before it
    later = logged(*[(0.5, "powder", d, False) for d in (1, 2, 3)])
    back = doses.DoseInput(3.0, NOW - dt.timedelta(days=5), 60)
    assert doses.out_of_line(back, later) is None
