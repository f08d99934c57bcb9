"""Links: every link of the fixed list as a card (the adjusted estimate with the other causes
held fixed, its 95 % CI and n, the plain comparison faintly beside it; "not enough data yet"
below the minimum n), and beside the selected card the data behind it, drawn from the pairs
of the plain comparison (links.link_pairs on the bundle's daily frame) with both figures and,
where they differ, why.

The list is shown in the links module's own order, not sorted by effect size: ranking the
cards by how striking they look would be the search for a good-looking subset the FDR
correction is there to guard against.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from dashboard.core.words import count
from dashboard.screens.base import DataScreen
from widgets.link_card import LinkCard, LinkData
from widgets.link_card import label as link_label
from widgets.scatter import Scatter, StripPlot

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle

SUPPLEMENT_PREFIX = "supplement:"
WIDE = 130
"""From this width the cards and the data behind the selected one sit side by side; below it
a card beside the plot is too narrow for its title and FDR verdict on one line."""

GROUP_NAMES: dict[str, tuple[str, str]] = {
    "exercise_30min": ("≥ 30 min", "< 30 min"),
    "taper_step": ("step window", "other"),
    "late_dose": ("late dose", "no late dose"),
    "regular_bedtime": ("regular", "irregular"),
    "strain_switch": ("switch", "same strain"),
}
"""Short names for the two sides of a comparison (the strip plot's labels are 12 wide)."""

Key = tuple[str, str, int]


def link_fields(link: Any) -> dict[str, Any]:
    """A link as a plain dict, whether it came as core.links.Link, a dataclass or a mapping."""
    if isinstance(link, Mapping):
        return dict(link)
    if dataclasses.is_dataclass(link) and not isinstance(link, type):
        return dataclasses.asdict(link)
    return dict(vars(link))


def link_key(fields: Mapping[str, Any]) -> Key:
    return (str(fields["cause"]), str(fields["effect"]), int(fields.get("lag_nights") or 0))


def card_data(fields: Mapping[str, Any]) -> LinkData:
    """What the card shows: n per side for a comparison, a supplement by its own name."""
    data = dict(fields)
    n_with, n_without = data.get("n_with"), data.get("n_without")
    if n_with is not None and n_without is not None:
        data["n"] = (int(n_with), int(n_without))
    data["cause"] = str(data["cause"]).removeprefix(SUPPLEMENT_PREFIX)
    return LinkData.from_mapping(data)


def group_names(cause: str) -> tuple[str, str]:
    if cause.startswith(SUPPLEMENT_PREFIX):
        name = cause.removeprefix(SUPPLEMENT_PREFIX)
        return (name[:12], "without")
    return GROUP_NAMES.get(cause, ("yes", "no"))


def is_correlation(fields: Mapping[str, Any]) -> bool:
    """A link of a number per day (grams, doses a day): drawn as a scatter, not two strips."""
    return fields.get("n_with") is None


def side_by_side(fields: Mapping[str, Any]) -> str:
    """'adjusted … · plain …' for the data-behind panel, and the line saying why they differ."""
    from widgets.link_card import fmt_effect

    unit = str(fields.get("unit") or "")
    parts: list[str] = []
    est, lo, hi = fields.get("estimate"), fields.get("ci_low"), fields.get("ci_high")
    if est is not None and lo is not None and hi is not None:
        parts.append(f"others held fixed {fmt_effect(est, unit)} (95 % CI {lo:+.3g} … {hi:+.3g})")
    given = fields.get("naive")
    naive: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    n_est = fields.get("naive_estimate", naive.get("estimate"))
    n_lo = fields.get("naive_ci_low", naive.get("ci_low"))
    n_hi = fields.get("naive_ci_high", naive.get("ci_high"))
    if n_est is not None and n_lo is not None and n_hi is not None:
        parts.append(f"plain comparison {fmt_effect(n_est, unit)} ({n_lo:+.3g} … {n_hi:+.3g})")
    line = " · ".join(parts)
    note = str(fields.get("note") or "")
    if note:
        line += f"\nWhy they differ: {note}."
    return line


def behind(bundle: Bundle, fields: Mapping[str, Any]) -> list[tuple[Any, float]]:
    """(cause, effect) pairs of the link: a bool per day for comparisons, grams for dose_g."""
    from dashboard.core.analysis import links as links_mod

    cause, effect, lag = link_key(fields)
    try:
        pairs = links_mod.link_pairs(bundle.daily, cause, effect, lag)
    except (KeyError, ValueError):
        return []  # a cause or effect this version of the screen does not know how to draw
    return [(c, e) for c, e in pairs.select("cause", "effect").iter_rows()]


class CardList(VerticalScroll):
    """The cards; ↑/↓ (j/k) move the selection instead of scrolling."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous link", key_display="↑/k"),
        Binding("down,j", "move(1)", "Next link", key_display="↓/j"),
        Binding("home", "jump(0)", "First link", show=False),
        Binding("end", "jump(-1)", "Last link", show=False),
    ]

    @property
    def cards(self) -> list[LinkCard]:
        return list(self.query_children(LinkCard))

    def _index(self) -> int:
        cards = self.cards
        focused = self.screen.focused
        return cards.index(focused) if isinstance(focused, LinkCard) and focused in cards else -1

    def action_move(self, delta: int) -> None:
        cards = self.cards
        if not cards:
            return
        i = self._index()
        target = 0 if i < 0 else max(0, min(len(cards) - 1, i + delta))
        cards[target].focus()

    def action_jump(self, index: int) -> None:
        cards = self.cards
        if cards:
            cards[index % len(cards)].focus()


class LinksScreen(DataScreen):
    TITLE = "Links"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e",
            "toggle_enough",
            "Only with data",
            tooltip="Hide or show the links without enough data yet",
        ),
        Binding("l", "focus_list", "Cards", show=False, tooltip="Move to the list of links"),
    ]

    CSS_PATH = "links.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._bundle: Bundle | None = None
        self._fields: list[dict[str, Any]] = []
        self._selected: Key | None = None
        self.only_enough = False

    def compose_body(self) -> ComposeResult:
        yield Static("", id="links-summary")
        yield Static("", id="no-links")
        with Horizontal(id="links-pane"):
            yield CardList(id="cards")
            with Vertical(id="link-detail"):
                yield Static("", id="detail-title")
                yield StripPlot(id="link-strip")
                yield Scatter(id="link-scatter")
                yield Static("", id="detail-text")
                yield Static("", id="detail-note")

    # -- data ----------------------------------------------------------------------------
    def show(self, bundle: Bundle) -> None:
        if not bundle.complete and self._fields:
            return  # keep the cards (and the selection) until the new links are computed
        self._bundle = bundle
        self._fields = [link_fields(lk) for lk in bundle.links]
        self._summarise()
        self._rebuild_cards()

    def _visible_fields(self) -> list[dict[str, Any]]:
        if not self.only_enough:
            return self._fields
        return [f for f in self._fields if f.get("estimate") is not None]

    def _summarise(self) -> None:
        summary = self.query_one("#links-summary", Static)
        no_links = self.query_one("#no-links", Static)
        pane = self.query_one("#links-pane")
        if not self._fields and not getattr(self._bundle, "complete", True):
            summary.update("")
            no_links.update("Computing the links…")
            no_links.display, pane.display = True, False
            return
        if not self._fields:
            summary.update("")
            no_links.update(
                "No links yet. They need days with doses, check-ins and nights side by side: "
                "keep logging and import your wearable's data (press 7)."
            )
            no_links.display, pane.display = True, False
            return
        no_links.display, pane.display = False, True
        with_estimate = [f for f in self._fields if f.get("estimate") is not None]
        holding = [f for f in with_estimate if f.get("fdr_ok")]
        hidden = " · e shows all" if self.only_enough else " · e hides those without data"
        summary.update(
            f"{count(len(self._fields), 'link')} · {len(with_estimate)} with enough data · "
            f"{len(holding)} hold after FDR correction · associations in your own data, "
            f"not proof of cause{hidden}"
        )

    def _rebuild_cards(self) -> None:
        cards = self.query_one("#cards", CardList)
        fields = self._visible_fields()
        existing = cards.cards
        had_focus = isinstance(self.focused, LinkCard)
        if len(existing) == len(fields):
            # A reload after a write usually keeps the list: update in place, keep the focus.
            for card, f in zip(existing, fields, strict=True):
                card.set_link(card_data(f))
            self._after_cards(fields, had_focus)
            return
        # Replacing the cards drops the focused one: the selection is put back below.
        cards.remove_children()
        cards.mount_all([LinkCard(card_data(f), classes="link") for f in fields])
        self.call_after_refresh(self._after_cards, fields, had_focus)

    def _after_cards(self, fields: list[dict[str, Any]], had_focus: bool) -> None:
        keys = [link_key(f) for f in fields]
        index = keys.index(self._selected) if self._selected in keys else 0
        cards = self.query_one("#cards", CardList).cards
        if not cards:
            self._show_detail(None)
            return
        if had_focus or not isinstance(self.focused, LinkCard):
            cards[index].focus(scroll_visible=True)
        self._show_detail(fields[index])

    def _show_detail(self, fields: Mapping[str, Any] | None) -> None:
        title = self.query_one("#detail-title", Static)
        strip = self.query_one("#link-strip", StripPlot)
        scatter = self.query_one("#link-scatter", Scatter)
        text = self.query_one("#detail-text", Static)
        if fields is None or self._bundle is None:
            self._selected = None
            title.update("")
            text.update("")
            self.query_one("#detail-note", Static).update("")
            strip.display = scatter.display = False
            return
        self._selected = link_key(fields)
        cause, effect, _ = self._selected
        data = card_data(fields)
        title.update(f"The data behind: {data.title} ({data.lag_text})")
        pairs = behind(self._bundle, fields)
        unit = str(fields.get("unit") or "")
        per = "night" if effect in ("asleep_min", "efficiency", "awakenings") else "day"
        if is_correlation(fields):
            strip.display = False
            scatter.display = True
            scatter.set_points(
                [(float(c), e) for c, e in pairs],
                x_label="doses a day" if cause == "doses_per_day" else "dose g",
                y_label=f"{link_label(effect)}, {data.lag_text}",
            )
            what = (
                "the number of doses that day"
                if cause == "doses_per_day"
                else "the day's dose (leaf-gram equivalents)"
            )
            note = f"Each dot is one {per}: {what} and the {per}'s {link_label(effect)}."
        else:
            scatter.display = False
            strip.display = True
            yes, no = group_names(cause)
            strip.set_groups(
                [(yes, [e for c, e in pairs if c]), (no, [e for c, e in pairs if not c])],
                # the link is a difference in percentage points; the nights themselves are in %
                unit="%" if unit == "pp" else unit,
            )
            note = f"Each dot is one {per}; the bar below a row spans its middle half, ┃ is the median."
        both = side_by_side(fields)
        text.update(str(fields.get("text") or "") + (f"\n{both}" if both else ""))
        self.query_one("#detail-note", Static).update(note)

    # -- events and actions --------------------------------------------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, LinkCard):
            self._select_card(event.widget)

    @on(LinkCard.Selected)
    def _card_chosen(self, event: LinkCard.Selected) -> None:
        event.card.focus()
        self._select_card(event.card)

    def _select_card(self, card: LinkCard) -> None:
        cards = self.query_one("#cards", CardList).cards
        fields = self._visible_fields()
        if card in cards and cards.index(card) < len(fields):
            f = fields[cards.index(card)]
            if link_key(f) != self._selected:
                self._show_detail(f)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    def action_toggle_enough(self) -> None:
        self.only_enough = not self.only_enough
        if self._bundle is not None:
            self._summarise()
            self._rebuild_cards()

    def action_focus_list(self) -> None:
        self.query_one("#cards", CardList).action_move(0)
