"""Reusable Textual widgets for taperdash.

Each widget takes plain data (sequences, mappings, small dataclasses) and never reads
the store or imports `dashboard`. Imports here are cheap: no polars, no plotting library.
"""

from widgets.daily_chart import DailyChart, DailySeries
from widgets.heatmap import CalendarHeatmap
from widgets.hypnogram import Hypnogram, Night
from widgets.link_card import LinkCard, LinkData
from widgets.scatter import Scatter, StripPlot
from widgets.stat_tile import StatTile

__all__ = [
    "CalendarHeatmap",
    "DailyChart",
    "DailySeries",
    "Hypnogram",
    "LinkCard",
    "LinkData",
    "Night",
    "Scatter",
    "StatTile",
    "StripPlot",
]
