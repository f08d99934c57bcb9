from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from tests.widgets.sample import Host
from widgets.stat_tile import StatTile, delta_verdict, fmt_value


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        (None, None, "—"),
        ("n/a", None, "n/a"),
        (12345, None, "12,345"),
        (9.43, None, "9.4"),
        (9.43, ".2f", "9.43"),
        (float("nan"), None, "—"),
        (3, None, "3"),
    ],
)
def test_fmt_value(value, spec, expected) -> None:
    assert fmt_value(value, spec) == expected


@pytest.mark.parametrize(
    ("delta", "higher_is_better", "expected"),
    [
        (5, True, "good"),
        (-5, True, "bad"),
        (-5, False, "good"),
        (5, False, "bad"),
        (0, True, "neutral"),
        (None, True, "neutral"),
        (5, None, "neutral"),
    ],
)
def test_delta_verdict(delta, higher_is_better, expected) -> None:
    assert delta_verdict(delta, higher_is_better) == expected


def close(a: Color, b: Color) -> bool:
    return all(abs(x - y) <= 2 for x, y in zip(a.rgb, b.rgb, strict=True))


def texts(tile: StatTile) -> list[str]:
    return [str(s.render()) for s in tile.query(Static)]


class Tiles(App[None]):
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield StatTile(
                "Daily dose",
                9.4,
                unit="g",
                delta=-8.0,
                delta_suffix=" % vs last week",
                higher_is_better=False,
                spark=[12, 11.5, 11, 10.2, 9.8, 9.4],
                id="dose",
            )
            yield StatTile("Steps", 8412, delta=-1200, id="steps")
            yield StatTile("Cravings", None, id="cravings")


async def test_tiles_render_value_delta_and_colour() -> None:
    app = Tiles()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        dose = app.query_one("#dose", StatTile)
        assert texts(dose) == ["Daily dose", "9.4 g", "▼ -8 % vs last week"]
        delta = dose.query_one(".stat-tile--delta")
        assert delta.has_class("-good") and not delta.has_class("-bad")
        assert dose.query_one(Sparkline).display
        assert list(dose.query_one(Sparkline).data or []) == [12, 11.5, 11, 10.2, 9.8, 9.4]

        steps = app.query_one("#steps", StatTile)
        assert texts(steps)[1:] == ["8,412", "▼ -1,200"]
        assert steps.query_one(".stat-tile--delta").has_class("-bad")
        assert not steps.query_one(Sparkline).display  # no sparkline without data

        cravings = app.query_one("#cravings", StatTile)
        assert texts(cravings)[1:] == ["—", ""]
        # Three tiles share the row.
        assert dose.outer_size.width + steps.outer_size.width + cravings.outer_size.width == 100

        steps.set_stat(9100, delta=700, spark=[1, 2, 3])
        await pilot.pause()
        assert texts(steps)[1:] == ["9,100", "▲ +700"]
        assert steps.query_one(".stat-tile--delta").has_class("-good")
        assert steps.query_one(Sparkline).display


async def test_delta_colour_comes_from_theme() -> None:
    app = Tiles()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        good = app.query_one("#dose .stat-tile--delta").styles.color
        bad = app.query_one("#steps .stat-tile--delta").styles.color
        theme = app.current_theme
        # Theme colours go through a round trip (float RGB), so allow a unit of slack.
        assert close(good, Color.parse(theme.success))
        assert close(bad, Color.parse(theme.error))
        assert not close(good, bad)


async def test_narrow_tile_does_not_wrap() -> None:
    app = Host(
        StatTile("A long label for a tile", 1, delta=1, delta_suffix=" % vs the previous week")
    )
    async with app.run_test(size=(20, 10)) as pilot:
        await pilot.pause()
        tile = app.query_one(StatTile)
        for static in tile.query(Static):
            assert static.size.height == 1


def test_snapshot(snap_compare) -> None:
    assert snap_compare(Tiles(), terminal_size=(100, 10))
