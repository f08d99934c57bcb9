"""Numbers in the words the screens, the CLI and the clinician's report share: counted words
("1 night", "2 nights", "1 switch", "3 switches": one place, so no screen says "1 workouts"
again) and hours and minutes."""

from __future__ import annotations

_IRREGULAR = {"switch": "switches", "entry": "entries", "is": "are", "was": "were"}


def plural(n: float, word: str, many: str | None = None) -> str:
    """`word` in the form for n: `many`, a known irregular form, or word + s."""
    if n == 1:
        return word
    return many or _IRREGULAR.get(word) or word + "s"


def count(n: float, word: str, many: str | None = None) -> str:
    """`3 nights`, `1 night`; n as given (an int, or a float printed with :g)."""
    shown = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{shown} {plural(n, word, many)}"


def hm(minutes: float, unit: str = " min") -> str:
    """7 h 05 min (or "7 h 05" where the heading says the unit)."""
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d}{unit}"


def short_hm(minutes: float) -> str:
    """412 -> '6h52', 45 -> '45m': for a tile or a one-line summary (the hypnogram widget has
    its own copy: widgets do not import dashboard)."""
    m = round(minutes)
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m"


def signed(value: float, digits: int = 0, unit: str = "") -> str:
    """+4.5 / −3.0 with a true minus sign (U+2212), which lines up with the plus in a column."""
    return f"{value:+.{digits}f}{unit}".replace("-", "−")
