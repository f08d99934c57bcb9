"""One module per screen. SCREENS: (mode, title, "module:Class") in key order 1..9.

A screen's module is imported when its mode is first shown, not at start-up: the first frame
needs only Today, and the others bring Markdown, the chart widgets and more (~80 ms)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from textual.screen import Screen

SCREENS = (
    ("today", "Today", "dashboard.screens.today:TodayScreen"),
    ("taper", "Taper", "dashboard.screens.taper:TaperScreen"),
    ("sleep", "Sleep", "dashboard.screens.sleep:SleepScreen"),
    ("activity", "Activity", "dashboard.screens.activity:ActivityScreen"),
    ("links", "Links", "dashboard.screens.links:LinksScreen"),
    ("review", "Review", "dashboard.screens.review.screen:ReviewScreen"),
    ("imports", "Imports", "dashboard.screens.imports:ImportsScreen"),
    ("about", "About", "dashboard.screens.about:AboutScreen"),
    ("relapse", "Plan B", "dashboard.screens.relapse:RelapseScreen"),
)


def screen_class(target: str) -> type[Screen[None]]:
    module, _, name = target.partition(":")
    screen: type[Screen[None]] = getattr(importlib.import_module(module), name)
    return screen


def screen_factory(target: str) -> Callable[[], Screen[None]]:
    """What App.MODES takes: a callable that makes the screen (and imports it) when needed."""

    def make() -> Screen[None]:
        return screen_class(target)()

    return make
