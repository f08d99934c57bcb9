from __future__ import annotations

from typing import Any

import pytest
from rich.style import Style
from textual.app import App, ComposeResult

from tests.widgets.sample import Host
from widgets.link_card import (
    LinkCard,
    LinkCardStyles,
    LinkData,
    fmt_effect,
    interval_bar,
    render_link_card,
)

EXERCISE: dict[str, Any] = {
    "cause": "exercise_30min",
    "effect": "asleep_min",
    "lag_nights": 0,
    "estimate": 34.0,
    "ci_low": 12.0,
    "ci_high": 55.0,
    "n": "18 vs 23",
    "unit": "min",
    "method": "difference in means, bootstrap CI",
    "text": "nights after ≥ 30 min of exercise: +34 min asleep",
    "fdr_ok": True,
}
DOSE = {
    "cause": "dose_g",
    "effect": "withdrawal_score",
    "lag_nights": 1,
    "estimate": -0.21,
    "ci_low": -0.45,
    "ci_high": 0.06,
    "n": 41,
    "unit": "rho",
    "method": "Spearman ρ, bootstrap CI",
    "text": "",
    "fdr_ok": False,
}
SPARSE = {
    "cause": "magnesium",
    "effect": "efficiency",
    "lag_nights": 0,
    "estimate": None,
    "ci_low": None,
    "ci_high": None,
    "n": [3, 38],
    "unit": "%",
    "method": "difference in means",
    "text": "too few nights with magnesium",
    "fdr_ok": None,
    "extra_key": "ignored",
}


def test_card_lines() -> None:
    rows = render_link_card(LinkData.from_mapping(EXERCISE), 90).plain.split("\n")
    assert len(rows) == 5
    assert rows[0].startswith("≥ 30 min exercise → time asleep  (same night)")
    assert rows[0].endswith("✓ holds after FDR")
    assert rows[1].startswith("+34 min   95 % CI +12 … +55")
    assert rows[1].endswith("n = 18 vs 23")
    assert rows[3] == EXERCISE["text"]
    assert rows[4] == "method: difference in means, bootstrap CI"
    assert all(len(r) <= 90 for r in rows)


def test_interval_bar_is_placed_around_zero() -> None:
    link = LinkData.from_mapping(EXERCISE)
    bar, half = interval_bar(link, 60)
    plain = bar.plain
    assert half == 60  # ±55 rounds to ±60, not ±100
    assert plain.startswith("-60 ├") and plain.endswith("┤ +60")
    inner = plain[len("-60 ") : -len(" +60")]
    zero, dot = inner.index("┼"), inner.index("●")
    first, last = inner.index("━"), inner.rindex("━")
    assert zero < first < dot < last  # all of the CI is right of zero
    assert abs(zero - len(inner) // 2) <= 1
    # Position matches value: +34 of 60 is ~78 % of the way along.
    assert abs(dot / (len(inner) - 1) - (34 + 60) / 120) < 0.03


def test_interval_crossing_zero_is_muted_and_keeps_zero_visible() -> None:
    styles = LinkCardStyles(interval=Style(color="green"), weak=Style(color="grey50"))
    link = LinkData.from_mapping(DOSE)
    bar, half = interval_bar(link, 60, styles)
    assert half == 1.0  # correlations are drawn on -1…+1
    assert "┼" in bar.plain  # zero stays visible inside the interval
    colours = {str(s.style) for s in bar.spans}
    assert "grey50" in colours and "green" not in colours
    exercise_bar, _ = interval_bar(LinkData.from_mapping(EXERCISE), 60, styles)
    assert "green" in {str(s.style) for s in exercise_bar.spans}


def test_correlation_and_fdr_false() -> None:
    rows = render_link_card(LinkData.from_mapping(DOSE), 90).plain.split("\n")
    assert "(1 day later)" in rows[0]  # withdrawal is rated per day, not per night
    assert rows[0].endswith("✗ not after FDR")
    assert rows[1].startswith("ρ -0.21   95 % CI -0.45 … +0.06")
    assert rows[1].endswith("n = 41")


def test_not_enough_data_still_shows_n() -> None:
    rows = render_link_card(LinkData.from_mapping(SPARSE), 80).plain.split("\n")
    assert rows[1].startswith("not enough data yet")
    assert rows[1].endswith("n = 3 vs 38")
    assert "FDR" not in rows[0]
    assert rows[2] == ""  # no interval without an estimate


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(34.0, "min", "+34 min"), (-0.213, "rho", "ρ -0.21"), (2.5, "%", "+2.5 %"), (-3.0, "", "-3")],
)
def test_fmt_effect(value: float, unit: str, expected: str) -> None:
    assert fmt_effect(value, unit) == expected


def test_narrow_card_keeps_n() -> None:
    rows = render_link_card(LinkData.from_mapping(EXERCISE), 40).plain.split("\n")
    assert all(len(r) <= 40 for r in rows)
    assert rows[1].endswith("n = 18 vs 23")
    assert rows[0].endswith("✓ holds after FDR")


class CardsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[LinkData] = []

    def compose(self) -> ComposeResult:
        yield LinkCard(EXERCISE, id="a")
        yield LinkCard(LinkData.from_mapping(SPARSE), id="b")

    def on_link_card_selected(self, message: LinkCard.Selected) -> None:
        self.chosen.append(message.link)


async def test_enter_and_click_post_selected() -> None:
    app = CardsApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        card = app.query_one("#a", LinkCard)
        assert card.size.height == 5
        assert card.outer_size.height == 7
        card.focus()
        await pilot.press("enter")
        await pilot.click("#b")
        await pilot.pause()
        assert [link.cause for link in app.chosen] == ["exercise_30min", "magnesium"]
        card.set_link(DOSE)
        await pilot.pause()
        assert "daily dose" in card.render().plain


def test_snapshot(snap_compare) -> None:
    app = Host(LinkCard(EXERCISE), LinkCard(DOSE), LinkCard(SPARSE))
    assert snap_compare(app, terminal_size=(100, 24))


def test_the_card_shows_the_plain_comparison_faintly_and_why_they_differ() -> None:
    from widgets.link_card import LinkCardStyles, LinkData, render_link_card

    data = LinkData.from_mapping(
        {
            "cause": "late_dose",
            "effect": "asleep_min",
            "estimate": 1.0,
            "ci_low": -12.0,
            "ci_high": 14.0,
            "n": [40, 72],
            "unit": "min",
            "method": "one linear model",
            "text": "Nights with a dose within 3 h of bedtime: +1 min asleep",
            "fdr_ok": False,
            # as `links --json` nests it
            "naive": {"estimate": -49.0, "ci_low": -64.0, "ci_high": -32.0},
            "note": "part of the plain difference came with taper steps",
        }
    )
    faint = LinkCardStyles().faint
    text = render_link_card(data, 90, LinkCardStyles(faint=faint))
    lines = text.plain.splitlines()
    assert lines[1].startswith("+1 min   95 % CI -12 … +14   plain -49")
    assert lines[4] == "why: part of the plain difference came with taper steps"
    start = text.plain.index("plain -49")
    assert any(span.style == faint and span.start <= start < span.end for span in text.spans)


def test_a_card_without_an_adjusted_figure_still_shows_the_plain_one() -> None:
    from widgets.link_card import LinkData, render_link_card

    data = LinkData(
        cause="taper_step",
        effect="asleep_min",
        n=(36, 65),
        unit="min",
        text="cannot be told apart from magnesium in your data",
        naive_estimate=-55.9,
        naive_ci_low=-70.0,
        naive_ci_high=-40.0,
    )
    lines = render_link_card(data, 90).plain.splitlines()
    assert lines[1].startswith("no adjusted figure   plain -55.9")
