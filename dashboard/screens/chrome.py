"""The top line (the screens and their keys) and the footer (this screen's keys), both made to
fit the terminal: at 80 columns Textual's footer cut "? Help  q Quit" off the right, and the
top line lost "9 Plan B"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey


def nav_line(current: str, width: int | None = None) -> Text:
    """The screens and their keys, this one marked. Two spaces between screens where they fit
    in `width`, one where they do not (all nine fit in 80 columns that way)."""
    from dashboard.screens import SCREENS

    items = [(str(i), title, target == current) for i, (_, title, target) in enumerate(SCREENS, 1)]
    wide = sum(len(f" {key} {title} ") for key, title, _ in items)
    pad = " " if width is None or wide <= width else ""
    line = Text(no_wrap=True, overflow="ellipsis")
    for n, (key, title, marked) in enumerate(items):
        if n and not pad:
            line.append(" ")
        if marked:
            line.append(f"{pad}{key} {title}{pad}", style="reverse bold")
        else:
            line.append(f"{pad}{key}", style="bold")
            line.append(f" {title}{pad}")
    return line


class NavLine(Static):
    """nav_line, drawn again for the width it has."""

    def __init__(self, current: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._current = current

    def render(self) -> Text:
        return nav_line(self._current, self.size.width or None)


class KeysFooter(Footer):
    """Textual's Footer, but what does not fit is dropped from the screen's keys (the last
    first), never the app's "? Help  q Quit"; `?` lists every key. The command palette is on
    ctrl+p, in the help and on the About screen, not in the footer."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    def _shown(self) -> list[tuple[Binding, bool, str]]:
        seen: set[str] = set()
        app_keys: list[tuple[Binding, bool, str]] = []
        screen_keys: list[tuple[Binding, bool, str]] = []
        for namespace, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            (app_keys if namespace is self.app else screen_keys).append((binding, enabled, tooltip))

        def cost(keys: list[tuple[Binding, bool, str]]) -> int:
            # a key is drawn " k description " (FooterKey's padding)
            return sum(
                len(self.app.get_key_display(b)) + len(b.description) + 3 for b, _, _ in keys
            )

        width = self.size.width or self.app.size.width
        while screen_keys and cost(screen_keys + app_keys) > width:
            screen_keys.pop()
        return screen_keys + app_keys

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown = self._shown()
        self.styles.grid_size_columns = len(shown)
        for binding, enabled, tooltip in shown:
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)
