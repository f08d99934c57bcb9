"""At 80×24 every screen keeps its top line, "? Help  q Quit" in the footer, and the Taper
screen's step table keeps all its columns."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from dashboard.app import TaperdashApp
from dashboard.screens.chrome import nav_line
from tests.ui.demo_home import DEMO_TODAY
from tests.ui.settling import settle


def test_the_top_line_fits_80_columns_and_names_every_screen() -> None:
    from dashboard.screens import SCREENS

    line = nav_line("dashboard.screens.relapse:RelapseScreen", 80)
    assert line.cell_len <= 80
    assert all(f"{i} {title}" in line.plain for i, (_, title, _) in enumerate(SCREENS, 1))


async def test_help_and_quit_stay_in_the_footer_of_every_screen(demo_copy: Path) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in "123456789":
            await pilot.press(key)
            await settle(app, pilot)
            shown = {
                k.action: k
                for k in app.screen.query(FooterKey)
                if k.region.width and k.region.right <= 80
            }
            assert {"quit_key", "toggle_help"} <= set(shown), (key, sorted(shown))
            nav = app.screen.query_one("#nav")
            assert "9 Plan B" in str(nav.render()), key


async def test_the_step_table_keeps_its_columns_at_80(demo_copy: Path) -> None:
    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        table = app.screen.query_one("#step-effects", DataTable)
        assert table.row_count > 3
        width = table.scrollable_content_region.width
        assert table.virtual_size.width <= width, (table.virtual_size, width)


async def test_every_today_field_is_on_the_screen_at_80(demo_copy: Path) -> None:
    from textual.widgets import Input

    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for field in app.screen.query(Input):
            app.screen.set_focus(field)  # scrolls it into view
            await pilot.pause()
            assert field.region.width > 0 and field.region.right <= 80, field.id


async def test_every_placeholder_is_read_whole_at_80(demo_copy: Path) -> None:
    """A hint cut in the middle ("when: now, 21:30,") says less than a short one."""
    from textual.widgets import Input

    app = TaperdashApp(home=demo_copy, pinned_today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in "17":
            await pilot.press(key)
            await settle(app, pilot)
            for field in app.screen.query(Input):
                if field.placeholder and field.region.width:
                    assert len(field.placeholder) <= field.region.width, (
                        field.id,
                        field.placeholder,
                        field.region.width,
                    )
