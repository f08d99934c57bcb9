"""One module per screen. SCREENS: (mode, title, class) in key order 1..9."""

from __future__ import annotations

from dashboard.screens.about import AboutScreen
from dashboard.screens.activity import ActivityScreen
from dashboard.screens.imports import ImportsScreen
from dashboard.screens.links import LinksScreen
from dashboard.screens.relapse import RelapseScreen
from dashboard.screens.review import ReviewScreen
from dashboard.screens.sleep import SleepScreen
from dashboard.screens.taper import TaperScreen
from dashboard.screens.today import TodayScreen

SCREENS = (
    ("today", "Today", TodayScreen),
    ("taper", "Taper", TaperScreen),
    ("sleep", "Sleep", SleepScreen),
    ("activity", "Activity", ActivityScreen),
    ("links", "Links", LinksScreen),
    ("review", "Review", ReviewScreen),
    ("imports", "Imports", ImportsScreen),
    ("about", "About", AboutScreen),
    ("relapse", "Plan B", RelapseScreen),
)
