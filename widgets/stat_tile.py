"""StatTile: a label, a big value with its unit, a delta vs the previous period, a sparkline."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from widgets._draw import fmt_num

Value = float | int | str | None


def fmt_value(value: Value, spec: str | None = None) -> str:
    """Tile text of a value: a str as given, None as an em dash, numbers readably."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return "—"
    if spec:
        return format(value, spec)
    # Thousands are shown in full on a tile (12,345 steps): there is room, and
    # '12.3k' reads as less precise than the source.
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return fmt_num(value)


def delta_verdict(delta: float | None, higher_is_better: bool | None) -> str:
    """'good', 'bad' or 'neutral': colour follows what the number means, not its sign."""
    if delta is None or delta == 0 or higher_is_better is None or not math.isfinite(delta):
        return "neutral"
    return "good" if (delta > 0) == higher_is_better else "bad"


class StatTile(Widget):
    """A small tile: label, big value + unit, optional delta and sparkline."""

    DEFAULT_CSS = """
    StatTile {
        width: 1fr;
        height: auto;
        min-width: 16;
        border: round $panel-lighten-2;
        padding: 0 1;
    }
    StatTile > .stat-tile--label { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    StatTile > .stat-tile--value { text-style: bold; }
    StatTile > .stat-tile--delta { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    StatTile > .stat-tile--delta.-good { color: $success; }
    StatTile > .stat-tile--delta.-bad { color: $error; }
    StatTile > Sparkline { height: 1; margin-top: 1; }
    StatTile > .-hidden { display: none; }
    """

    label: reactive[str] = reactive("")
    value: reactive[Value] = reactive(None)
    unit: reactive[str] = reactive("")
    delta: reactive[float | None] = reactive(None)
    spark: reactive[tuple[float, ...]] = reactive(tuple)

    def __init__(
        self,
        label: str,
        value: Value = None,
        *,
        unit: str = "",
        delta: float | None = None,
        delta_suffix: str = "",
        higher_is_better: bool | None = True,
        spark: Sequence[float] | None = None,
        value_format: str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """delta_suffix follows the delta ('% vs last week'); higher_is_better=None
        leaves the delta uncoloured; value_format is a format spec such as '.1f'."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.delta_suffix = delta_suffix
        self.higher_is_better = higher_is_better
        self.value_format = value_format
        self.set_reactive(StatTile.label, label)
        self.set_reactive(StatTile.value, value)
        self.set_reactive(StatTile.unit, unit)
        self.set_reactive(StatTile.delta, delta)
        self.set_reactive(StatTile.spark, tuple(spark or ()))

    def compose(self) -> ComposeResult:
        yield Static(classes="stat-tile--label")
        yield Static(classes="stat-tile--value")
        yield Static(classes="stat-tile--delta")
        yield Sparkline(classes="stat-tile--spark")

    def on_mount(self) -> None:
        self._sync()

    def set_stat(
        self,
        value: Value,
        *,
        delta: float | None = None,
        spark: Sequence[float] | None = None,
        unit: str | None = None,
    ) -> None:
        """Replace value, delta and sparkline at once (one repaint, not three)."""
        with self.app.batch_update():
            self.value = value
            self.delta = delta
            self.spark = tuple(spark or ())
            if unit is not None:
                self.unit = unit

    def _watch_label(self) -> None:
        self._sync()

    def _watch_value(self) -> None:
        self._sync()

    def _watch_unit(self) -> None:
        self._sync()

    def _watch_delta(self) -> None:
        self._sync()

    def _watch_spark(self) -> None:
        self._sync()

    @property
    def value_text(self) -> str:
        text = fmt_value(self.value, self.value_format)
        return f"{text} {self.unit}" if self.unit and self.value is not None else text

    @property
    def delta_text(self) -> str:
        if self.delta is None or not math.isfinite(self.delta):
            return ""
        arrow = "▲" if self.delta > 0 else "▼" if self.delta < 0 else "="
        number = (
            f"{self.delta:+,.0f}" if abs(self.delta) >= 1000 else fmt_num(self.delta, signed=True)
        )
        return f"{arrow} {number}{self.delta_suffix}"

    def _sync(self) -> None:
        if not self.is_mounted and not self.children:
            return
        label, value, delta = self.query(Static).results()
        label.update(Text(self.label))
        big = Text(fmt_value(self.value, self.value_format))
        if self.unit and self.value is not None:
            big.append(f" {self.unit}", "not bold")
        value.update(big)
        delta.update(self.delta_text)
        verdict = delta_verdict(self.delta, self.higher_is_better)
        delta.set_class(verdict == "good", "-good")
        delta.set_class(verdict == "bad", "-bad")
        sparkline = self.query_one(Sparkline)
        sparkline.data = list(self.spark)
        sparkline.set_class(len(self.spark) < 2, "-hidden")
