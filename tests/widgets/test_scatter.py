from __future__ import annotations

from tests.widgets.sample import Host
from widgets.scatter import Scatter, StripPlot, _quantile, render_scatter, render_strip

POINTS = [(4.0 + i * 0.5, 450.0 - i * 8.0 + (i % 3) * 12.0) for i in range(24)]
EXERCISE = [380.0, 395, 402, 410, 415, 420, 428, 433, 440, 455]
OTHER = [300.0, 320, 335, 350, 360, 366, 372, 380, 390, 398, 405, 412]


def test_scatter_dots_axes_and_n() -> None:
    text = render_scatter(POINTS, 80, 14, x_label="dose g", y_label="asleep min", title="Dose")
    rows = text.plain.split("\n")
    assert len(rows) == 14
    assert rows[0].startswith("Dose  ↑ asleep min") and rows[0].endswith("n = 24")
    plot = rows[1:-2]
    dots = "".join(plot)
    assert any(0x2800 < ord(c) <= 0x28FF for c in dots)
    # Falling trend: the first dots are high and left, the last low and right.
    first_rows = [i for i, r in enumerate(plot) if any(0x2800 < ord(c) <= 0x28FF for c in r[5:20])]
    last_rows = [i for i, r in enumerate(plot) if any(0x2800 < ord(c) <= 0x28FF for c in r[-15:])]
    assert max(first_rows) < min(last_rows)
    assert "dose g" in rows[-1]
    assert rows[-1].lstrip().startswith("4") and rows[-1].rstrip().endswith("16")


def test_scatter_drops_missing_and_empty() -> None:
    widget = Scatter([(1, None), (None, 2), (float("nan"), 1.0)])
    assert widget.data.points == ()
    assert "no data yet" in render_scatter([], 40, 8).plain
    assert "too small" in render_scatter(POINTS, 10, 8).plain


def test_single_point_does_not_divide_by_zero() -> None:
    text = render_scatter([(5.0, 5.0)], 40, 8)
    assert "n = 1" in text.plain


def test_quantile() -> None:
    assert _quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert _quantile([7.0], 0.25) == 7.0


def test_strip_two_groups() -> None:
    text = render_strip([("exercise", EXERCISE), ("other", OTHER)], 80, unit="min", title="Ex")
    rows = text.plain.split("\n")
    assert len(rows) == 1 + 2 * 2 + 2
    assert rows[0].startswith("Ex  n = 10 vs 12")
    assert "difference of means +" in rows[0]
    assert rows[1].startswith("exercise") and rows[3].startswith("other")
    assert rows[2].startswith("median 418")  # 417.5, shown to whole minutes
    # The exercise median sits right of the other group's median.
    assert rows[2].index("┃") > rows[4].index("┃")
    assert rows[-1].split() == ["300", "min", "400", "500"]  # 300…455 widened to round steps


def test_strip_empty_group_and_no_data() -> None:
    text = render_strip([("a", [1.0, 2.0]), ("b", [])], 60)
    assert "no data" in text.plain.split("\n")[3]
    assert "no data yet" in render_strip([("a", [])], 60).plain


async def test_widgets_mount_and_update() -> None:
    scatter = Scatter(POINTS, x_label="dose g", y_label="asleep min")
    strip = StripPlot([("exercise", EXERCISE), ("other", OTHER)], unit="min")
    app = Host(scatter, strip)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert scatter.size.height == 14
        assert strip.size.height == 7
        assert "n = 24" in scatter.render().plain
        scatter.set_points([])
        strip.set_groups([("only", [1.0, 2.0, 3.0])])
        await pilot.pause()
        assert "no data yet" in scatter.render().plain
        assert strip.size.height == 5
        await pilot.resize_terminal(80, 32)
        scatter.set_points(POINTS)
        await pilot.pause()
        assert all(len(r) <= 78 for r in scatter.render().plain.split("\n"))


def test_snapshot(snap_compare) -> None:
    app = Host(
        Scatter(POINTS, x_label="daily dose g", y_label="asleep min", title="Dose vs sleep"),
        StripPlot([("exercise ≥ 30 min", EXERCISE), ("other nights", OTHER)], unit="min asleep"),
    )
    assert snap_compare(app, terminal_size=(100, 24))
