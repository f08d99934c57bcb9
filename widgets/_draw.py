"""Small drawing helpers shared by the chart widgets.

Kept free of Textual imports except for typing so the pure parts (number formatting,
axis maths, the Braille canvas) can be unit-tested without an app.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""Vertical eighth blocks: index n is a cell filled n/8 from the bottom."""


def component_style(widget: Widget, name: str) -> Style:
    """The Rich style of a component class, with its colour resolved against the widget.

    Resolved by hand (as Textual's Sparkline does) so that `$primary 40%`, the `*-muted`
    colours and `auto` colours (`$text-muted` is `auto 60%` in most themes) come out as
    real colours on the widget's background, in light themes as well as dark ones.
    A component without a colour rule takes the widget's own text colour.
    """
    _, _, background, foreground = widget.colors
    styles = widget.get_component_styles(name)
    if styles.has_rule("color"):
        color = styles.color
        if styles.auto_color:
            color = background.get_contrast_text(color.a)
    else:
        color = foreground
    style = Style(color=(background + color).rich_color) + styles.text_style
    if styles.has_rule("background"):
        style += Style(bgcolor=(background + styles.background).rich_color)
    return style


def as_background(style: Style) -> Style:
    """Use a style's foreground colour as a background (to put a mark on a full cell)."""
    return Style(bgcolor=style.color)


def nice_ceil(value: float) -> float:
    """The smallest 'round' number (1, 2, 2.5, 5 × 10^k) at or above value."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = m * 10**exp
        # Tolerate float noise so 400.0000001 does not round up to 500.
        if candidate >= value * (1 - 1e-9):
            return candidate
    return 10.0 ** (exp + 1)


def nice_step(span: float, max_ticks: int) -> float:
    """A round tick step so that span is covered by at most max_ticks steps."""
    if span <= 0 or max_ticks <= 0:
        return 1.0
    raw = span / max_ticks
    exp = math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = m * 10**exp
        if step >= raw * (1 - 1e-9):
            return step
    return 10.0 ** (exp + 1)


def fmt_num(value: float, *, signed: bool = False) -> str:
    """Compact number for axes and tiles: 12 345 -> '12.3k', 3.456 -> '3.5', 0.123 -> '0.12'."""
    if not math.isfinite(value):
        return "–"
    sign = "+" if signed and value > 0 else ""
    a = abs(value)
    if a >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif a >= 10_000:
        text = f"{value / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    elif a >= 100 or a == int(a):
        text = f"{value:.0f}"
    elif a >= 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    elif a >= 1:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    return sign + text


def center_message(message: str, width: int, height: int, style: Style) -> Text:
    """A message centred in a width × height box (used for 'no data yet')."""
    width = max(1, width)
    height = max(1, height)
    lines = [""] * height
    lines[height // 2] = message[:width].center(width).rstrip()
    return Text("\n".join(lines), style=style, no_wrap=True, overflow="crop")


class CellGrid:
    """A width × height grid of (character, style) cells, turned into Rich Text.

    Charts are easier to draw as a grid than as runs of Text; the grid is small
    (a terminal screen at most), so the per-cell cost does not matter.
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = max(0, width)
        self.height = max(0, height)
        self.chars: list[list[str]] = [[" "] * self.width for _ in range(self.height)]
        self.styles: list[list[Style | None]] = [[None] * self.width for _ in range(self.height)]

    def put(self, x: int, y: int, char: str, style: Style | None = None) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            self.chars[y][x] = char
            self.styles[y][x] = style

    def text(self, x: int, y: int, text: str, style: Style | None = None) -> None:
        for i, char in enumerate(text):
            self.put(x + i, y, char, style)

    def restyle(self, x: int, y: int, style: Style) -> None:
        """Add style to a cell without changing its character."""
        if 0 <= x < self.width and 0 <= y < self.height:
            current = self.styles[y][x]
            self.styles[y][x] = style if current is None else current + style

    def row_text(self, y: int) -> str:
        return "".join(self.chars[y])

    def to_text(self) -> Text:
        out = Text(no_wrap=True, overflow="crop", end="")
        for y in range(self.height):
            if y:
                out.append("\n")
            row_chars = self.chars[y]
            row_styles = self.styles[y]
            # Merge runs of equal style: fewer spans, faster rendering.
            run_start = 0
            for x in range(1, self.width + 1):
                if x == self.width or row_styles[x] != row_styles[run_start]:
                    out.append("".join(row_chars[run_start:x]), row_styles[run_start])
                    run_start = x
        return out


# Braille: each cell is 2 dots wide and 4 dots high; bit for dot (dx, dy).
_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


class BrailleCanvas:
    """Dots on a Braille grid (2 × 4 dots per cell), for scatter and strip plots."""

    def __init__(self, width: int, height: int) -> None:
        self.width = max(0, width)
        self.height = max(0, height)
        self.bits = [[0] * self.width for _ in range(self.height)]

    @property
    def dot_width(self) -> int:
        return self.width * 2

    @property
    def dot_height(self) -> int:
        return self.height * 4

    def set(self, dx: int, dy: int) -> None:
        """Set dot (dx, dy); dy counts from the top."""
        if 0 <= dx < self.dot_width and 0 <= dy < self.dot_height:
            cx, sx = divmod(dx, 2)
            cy, sy = divmod(dy, 4)
            self.bits[cy][cx] |= _BRAILLE_BITS[sy][sx]

    def cells(self) -> Iterable[tuple[int, int, str]]:
        """(x, y, character) of every cell holding at least one dot."""
        for y, row in enumerate(self.bits):
            for x, bits in enumerate(row):
                if bits:
                    yield x, y, chr(0x2800 + bits)


def scale(value: float, lo: float, hi: float, size: int) -> int:
    """Map value in [lo, hi] to an integer position in [0, size - 1]."""
    if size <= 1 or hi <= lo:
        return 0
    pos = (value - lo) / (hi - lo) * (size - 1)
    return max(0, min(size - 1, round(pos)))


def nice_range(lo: float, hi: float) -> tuple[float, float]:
    """Widen [lo, hi] to round numbers; a zero-width range gets some room."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    # Six steps keeps the padding small: 4..16 becomes 4..16, not 0..20.
    step = nice_step(hi - lo, 6)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step
