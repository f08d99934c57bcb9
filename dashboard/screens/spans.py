"""Screens whose charts show a span of weeks (Sleep, Activity): w/W step the span, and until
the person picks one it fits the terminal's width."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from dashboard.core.views.span import DEFAULT_WEEKS, fitted_weeks, next_span
from dashboard.screens.base import DataScreen

if TYPE_CHECKING:
    from dashboard.core.views.bundle import Bundle

SPAN_BINDINGS: list[BindingType] = [
    Binding("w,plus", "span(1)", "Longer span", key_display="w/+", tooltip="Show more weeks"),
    Binding("W,minus", "span(-1)", "Shorter span", key_display="W/-", tooltip="Show fewer weeks"),
]


class SpanScreen(DataScreen):
    """A subclass draws the span in `_refresh_span` from `self.weeks` and `self._bundle`."""

    BINDINGS: ClassVar[list[BindingType]] = SPAN_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.weeks = DEFAULT_WEEKS
        self._weeks_chosen = False  # until a key changes it, the span follows the width
        self._bundle: Bundle | None = None

    def _refresh_span(self) -> None:
        raise NotImplementedError

    def fit_span(self) -> None:
        """The span the width affords, unless the person chose one."""
        if not self._weeks_chosen:
            self.weeks = fitted_weeks(self.size.width or self.app.size.width)

    def on_resize(self) -> None:
        if not self._weeks_chosen and self._bundle is not None:
            weeks = fitted_weeks(self.size.width)
            if weeks != self.weeks:
                self.weeks = weeks
                self._refresh_span()

    def action_span(self, step: int) -> None:
        self._weeks_chosen = True
        self.weeks = next_span(self.weeks, step)
        if self._bundle is not None:
            self._refresh_span()
