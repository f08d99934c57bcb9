from __future__ import annotations

import datetime as dt

from rich.style import Style

from tests.widgets.sample import Host, night_stages
from widgets.hypnogram import Hypnogram, HypnogramStyles, Night, fmt_minutes, render_hypnogram


def test_rows_per_stage_summary_and_local_axis() -> None:
    night = Night.build(night_stages(), utc_offset_min=60)
    text = render_hypnogram(night, 96, title="Night of Mon 5 Oct")
    rows = text.plain.split("\n")
    assert len(rows) == 4 + 4  # header, 4 stages, axis, times, summary
    assert rows[0].startswith("Night of Mon 5 Oct  23:30 → 06:30")  # UTC+1
    assert [r[:6].strip() for r in rows[1:5]] == ["Awake", "REM", "Light", "Deep"]
    # Each column has exactly one main stage; blocks only, whole plot filled.
    plot = [r[6:] for r in rows[1:5]]
    for col in range(len(plot[0])):
        assert sum(row[col] == "█" for row in plot) == 1
    # Local whole hours on the axis, starting after 23:30.
    assert "00:00" in rows[6] and "06:00" in rows[6]
    assert "23:00" not in rows[6]
    # 14 blocks of 30 min: awake 2, rem 4, light 6, deep 2.
    assert rows[7].split("  ") == [
        "■ Awake 60 min",
        "■ REM 120 min",
        "■ Light 180 min",
        "■ Deep 60 min",
    ]
    assert "asleep 6h00" in rows[0]


def test_stage_order_follows_time() -> None:
    night = Night.build(night_stages())
    rows = render_hypnogram(night, 6 + 84).plain.split("\n")
    # 84 columns for 7 h: 6 columns per 30-minute block. First block light, second deep.
    assert rows[3][6:12] == "█" * 6  # light row
    assert rows[4][12:18] == "█" * 6  # deep row
    assert rows[1][6 + 6 * 4 : 6 + 6 * 5] == "█" * 6  # block 5 is awake


def test_short_awakening_still_shows() -> None:
    t = dt.datetime(2026, 10, 5, 23, 0)
    stages = [
        (t, t + dt.timedelta(minutes=200), "deep"),
        (t + dt.timedelta(minutes=200), t + dt.timedelta(minutes=203), "awake"),
        (t + dt.timedelta(minutes=203), t + dt.timedelta(minutes=420), "light"),
    ]
    rows = render_hypnogram(Night.build(stages), 40).plain.split("\n")
    # 34 columns for 7 h (12 min each): a 3-minute awakening is a quarter of a column at most.
    assert "▄" in rows[1] or "█" in rows[1]


def test_aware_datetimes_and_unknown_stage() -> None:
    utc = dt.UTC
    t = dt.datetime(2026, 10, 5, 22, 0, tzinfo=utc)
    stages = [
        (t, t + dt.timedelta(hours=1), "light"),
        (t + dt.timedelta(hours=1), t + dt.timedelta(hours=2), "Unknown"),
        (t + dt.timedelta(hours=2), t + dt.timedelta(hours=2), "deep"),  # empty: dropped
    ]
    night = Night.build(stages, utc_offset_min=-300)
    assert night.rows[-1] == "unknown"
    rows = render_hypnogram(night, 60).plain.split("\n")
    assert len(rows) == 9
    assert "17:00 → 19:00" in rows[0]
    assert rows[5].startswith("?")


def test_empty_and_narrow() -> None:
    assert "no sleep stages" in render_hypnogram(Night(), 60).plain
    narrow = render_hypnogram(Night.build(night_stages()), 10).plain
    assert "too narrow" in narrow


def test_styles_colour_each_stage() -> None:
    styles = HypnogramStyles(stages={"deep": Style(color="blue"), "awake": Style(color="red")})
    text = render_hypnogram(Night.build(night_stages()), 80, styles=styles)
    colours = {str(s.style) for s in text.spans}
    assert {"blue", "red"} <= colours


def test_fmt_minutes() -> None:
    assert fmt_minutes(45) == "45m"
    assert fmt_minutes(412) == "6h52"


async def test_widget_height_and_set_night() -> None:
    widget = Hypnogram(night_stages(), utc_offset_min=60, title="Night")
    app = Host(widget)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert widget.size.height == 8
        assert "Night  23:30" in widget.render().plain
        widget.set_night([], title="Empty")
        await pilot.pause()
        assert "no sleep stages" in widget.render().plain
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        widget.set_night(night_stages(), utc_offset_min=0)
        await pilot.pause()
        assert all(len(r) <= 78 for r in widget.render().plain.split("\n"))


def test_snapshot(snap_compare) -> None:
    widget = Hypnogram(night_stages(), utc_offset_min=60, title="Night of Mon 5 Oct")
    assert snap_compare(Host(widget), terminal_size=(100, 12))
