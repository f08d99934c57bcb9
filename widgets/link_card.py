"""LinkCard: one link (cause -> effect) with its adjusted estimate (the other causes held
fixed), 95 % CI around zero, the plain comparison faintly beside it, n and method.

A link is never shown without its n; without an estimate it says "not enough data yet".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from widgets._draw import CellGrid, component_style, fmt_num, scale

LABELS: dict[str, str] = {
    "exercise_30min": "≥ 30 min exercise",
    "taper_step": "taper step",
    "dose_g": "daily dose",
    "late_dose": "late dose",
    "doses_per_day": "doses per day",
    "regular_bedtime": "regular bedtime",
    "strain_switch": "strain switch",
    "support": "support contact",
    "asleep_min": "time asleep",
    "efficiency": "sleep efficiency",
    "awakenings": "awakenings",
    "withdrawal_score": "withdrawal score",
    "cravings": "cravings",
}
"""Readable names for the causes and effects the links module computes; any other
name (a supplement) is shown as given, underscores as spaces."""


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


@dataclass(frozen=True)
class LinkData:
    """One link as `taperdash links --json` describes it, plus the FDR verdict."""

    cause: str
    effect: str
    lag_nights: int = 0
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | str | tuple[int, int] | None = None
    unit: str = ""
    method: str = ""
    text: str = ""
    fdr_ok: bool | None = None
    # the plain comparison beside the adjusted estimate, and why they differ when they do
    naive_estimate: float | None = None
    naive_ci_low: float | None = None
    naive_ci_high: float | None = None
    note: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> LinkData:
        """Build from a dict (e.g. one entry of links --json); unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in names}
        naive = data.get("naive")
        if isinstance(naive, Mapping):  # links --json nests the plain comparison
            for key in ("estimate", "ci_low", "ci_high"):
                kwargs.setdefault(f"naive_{key}", naive.get(key))
        n = kwargs.get("n")
        if isinstance(n, list):
            kwargs["n"] = tuple(n)
        return cls(**kwargs)

    @property
    def n_text(self) -> str:
        if self.n is None:
            return "n = ?"
        if isinstance(self.n, tuple):
            return f"n = {self.n[0]} vs {self.n[1]}"
        return f"n = {self.n}"

    @property
    def has_estimate(self) -> bool:
        return self.estimate is not None and math.isfinite(self.estimate)

    @property
    def has_naive(self) -> bool:
        return self.naive_estimate is not None and math.isfinite(self.naive_estimate)

    @property
    def title(self) -> str:
        return f"{label(self.cause)} → {label(self.effect)}"

    @property
    def lag_text(self) -> str:
        # symptoms are rated per day, sleep per night
        unit = "day" if self.effect in DAY_EFFECTS else "night"
        if self.lag_nights == 0:
            return f"same {unit}"
        if self.lag_nights == 1:
            return f"1 {unit} later"
        return f"{self.lag_nights} {unit}s later"


DAY_EFFECTS = frozenset({"withdrawal_score", "cravings", "mood"})

LinkLike = LinkData | Mapping[str, Any]


def _as_link(link: LinkLike) -> LinkData:
    return link if isinstance(link, LinkData) else LinkData.from_mapping(link)


def _round_up(value: float) -> float:
    """A round half-range just above value; finer than 1-2-5 so ±55 gets ±60, not ±100."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10**exp >= value * (1 - 1e-9):
            return m * 10**exp
    return 10.0 ** (exp + 1)


def _ci_num(value: float, digits: int | None) -> str:
    return f"{value:+.{digits}f}" if digits is not None else fmt_num(value, signed=True)


def fmt_effect(value: float, unit: str) -> str:
    """A signed value with its unit: '+34 min', 'ρ +0.31', '-2.1 %'."""
    if unit.lower() in ("rho", "ρ", "spearman"):
        return f"ρ {value:+.2f}"
    if unit.lower() in ("r", "correlation"):
        return f"r {value:+.2f}"
    text = fmt_num(value, signed=True)
    if unit in ("%", "pct", "percent"):
        return f"{text} %"
    if unit in ("pp", "percentage points"):
        return f"{text} pp"
    return f"{text} {unit}".rstrip()


@dataclass(frozen=True)
class LinkCardStyles:
    title: Style = field(default_factory=Style)
    estimate: Style = field(default_factory=Style)
    muted: Style = field(default_factory=Style)
    interval: Style = field(default_factory=Style)
    weak: Style = field(default_factory=Style)
    zero: Style = field(default_factory=Style)
    fdr_ok: Style = field(default_factory=Style)
    fdr_no: Style = field(default_factory=Style)
    faint: Style = field(default_factory=lambda: Style(dim=True))


def _line(left: Text, right: Text, width: int) -> Text:
    """left and right on one line; right wins the space when both do not fit."""
    gap = width - left.cell_len - right.cell_len
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    if gap >= 1:
        line.append_text(left)
        line.append(" " * gap)
        line.append_text(right)
    else:
        cut = left.copy()
        cut.truncate(max(0, width - right.cell_len - 1), overflow="ellipsis")
        line.append_text(cut)
        line.append(" ")
        line.append_text(right)
        line.truncate(width)
    return line


def interval_bar(
    link: LinkData, width: int, styles: LinkCardStyles | None = None
) -> tuple[Text, float]:
    """The CI as a bar on a scale symmetric around zero; returns the line and its half-range."""
    st = styles or LinkCardStyles()
    assert link.estimate is not None
    lo = link.ci_low if link.ci_low is not None else link.estimate
    hi = link.ci_high if link.ci_high is not None else link.estimate
    lo, hi = min(lo, hi), max(lo, hi)
    reach = max(abs(lo), abs(hi), abs(link.estimate))
    is_corr = link.unit.lower() in ("rho", "ρ", "spearman", "r", "correlation")
    half = 1.0 if is_corr else _round_up(reach)
    left_label = fmt_num(-half)
    right_label = fmt_num(half, signed=True)
    bar_w = width - len(left_label) - len(right_label) - 2
    line = Text(no_wrap=True, overflow="crop", end="")
    if bar_w < 5:
        return line, half
    # Crossing zero means the data cannot tell the direction: drawn muted, not coloured.
    style = st.weak if lo <= 0 <= hi else st.interval
    grid = CellGrid(bar_w, 1)
    for x in range(bar_w):
        grid.put(x, 0, "─", st.zero)
    grid.put(0, 0, "├", st.zero)
    grid.put(bar_w - 1, 0, "┤", st.zero)
    zero_x = scale(0, -half, half, bar_w)
    grid.put(zero_x, 0, "┼", st.zero)
    a, b = scale(lo, -half, half, bar_w), scale(hi, -half, half, bar_w)
    for x in range(a, b + 1):
        grid.put(x, 0, "━", style)
    # Zero stays visible inside the bar: whether the interval crosses it is the point.
    if a <= zero_x <= b:
        grid.put(zero_x, 0, "┼", st.zero)
    grid.put(scale(link.estimate, -half, half, bar_w), 0, "●", style)
    line.append(left_label + " ", st.muted)
    line.append_text(grid.to_text())
    line.append(" " + right_label, st.muted)
    return line, half


def render_link_card(link: LinkData, width: int, styles: LinkCardStyles | None = None) -> Text:
    """Five lines: title + FDR, adjusted estimate + CI + the plain figure faintly + n, interval
    bar, the sentence, and why adjusted and plain differ (else the method)."""
    st = styles or LinkCardStyles()
    width = max(1, width)
    title = Text()
    title.append(link.title, st.title)
    title.append(f"  ({link.lag_text})", st.muted)
    fdr = Text()
    if link.has_estimate and link.fdr_ok is True:
        fdr.append("✓ holds after FDR", st.fdr_ok)
    elif link.has_estimate and link.fdr_ok is False:
        fdr.append("✗ not after FDR", st.fdr_no)

    n = Text(link.n_text, st.muted)
    value = Text()
    if link.has_estimate:
        assert link.estimate is not None
        value.append(fmt_effect(link.estimate, link.unit), st.estimate)
        if link.ci_low is not None and link.ci_high is not None:
            digits = 2 if abs(link.ci_high - link.ci_low) < 3 else None
            value.append(
                f"   95 % CI {_ci_num(link.ci_low, digits)} … {_ci_num(link.ci_high, digits)}",
                st.muted,
            )
        bar, _ = interval_bar(link, width, st)
    else:
        # Collinear causes or too few days per term: the reason is the sentence below.
        value.append("no adjusted figure" if link.has_naive else "not enough data yet", st.muted)
        bar = Text("", end="")
    if link.has_naive:
        assert link.naive_estimate is not None
        # The plain comparison, faint beside the adjusted headline.
        value.append(f"   plain {fmt_num(link.naive_estimate, signed=True)}", st.faint)

    if link.note:
        last = Text(f"why: {link.note}", st.muted, end="")
    else:
        last = Text(f"method: {link.method}" if link.method else "", st.muted, end="")
    lines = [
        _line(title, fdr, width),
        _line(value, n, width),
        bar,
        Text(link.text, st.muted, no_wrap=True, overflow="ellipsis", end=""),
        last,
    ]
    out = Text(no_wrap=True, overflow="ellipsis", end="")
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        line.truncate(width, overflow="ellipsis")
        out.append_text(line)
    return out


class LinkCard(Widget, can_focus=True):
    """One link as a card; Enter or a click posts `LinkCard.Selected` (to show its scatter)."""

    DEFAULT_CSS = """
    LinkCard {
        height: auto;
        border: round $panel-lighten-2;
        padding: 0 1;
    }
    LinkCard:focus { border: round $accent; }
    LinkCard > .link-card--title { text-style: bold; }
    LinkCard > .link-card--estimate { text-style: bold; }
    LinkCard > .link-card--muted { color: $text-muted; }
    LinkCard > .link-card--interval { color: $accent; }
    LinkCard > .link-card--weak { color: $foreground 60%; }
    LinkCard > .link-card--zero { color: $text-muted; }
    LinkCard > .link-card--fdr-ok { color: $success; }
    LinkCard > .link-card--fdr-no { color: $warning; }
    LinkCard > .link-card--faint { color: $text-disabled; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "link-card--title",
        "link-card--estimate",
        "link-card--muted",
        "link-card--interval",
        "link-card--weak",
        "link-card--zero",
        "link-card--fdr-ok",
        "link-card--fdr-no",
        "link-card--faint",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Show data", show=False),
    ]

    class Selected(Message):
        """The card was chosen (Enter or click)."""

        def __init__(self, card: LinkCard, link: LinkData) -> None:
            super().__init__()
            self.card = card
            self.link = link

        @property
        def control(self) -> LinkCard:
            return self.card

    link: reactive[LinkData] = reactive(lambda: LinkData("", ""), layout=True)

    def __init__(
        self,
        link: LinkLike,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(LinkCard.link, _as_link(link))

    def set_link(self, link: LinkLike) -> None:
        self.link = _as_link(link)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 5

    def action_select(self) -> None:
        self.post_message(self.Selected(self, self.link))

    def on_click(self, event: events.Click) -> None:
        self.action_select()

    def render(self) -> RenderResult:
        styles = LinkCardStyles(
            title=component_style(self, "link-card--title"),
            estimate=component_style(self, "link-card--estimate"),
            muted=component_style(self, "link-card--muted"),
            interval=component_style(self, "link-card--interval"),
            weak=component_style(self, "link-card--weak"),
            zero=component_style(self, "link-card--zero"),
            fdr_ok=component_style(self, "link-card--fdr-ok"),
            fdr_no=component_style(self, "link-card--fdr-no"),
            faint=component_style(self, "link-card--faint"),
        )
        return render_link_card(self.link, self.size.width, styles)
