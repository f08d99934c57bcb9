"""Numbers in the words the screens, the CLI and the clinician's report share."""

from __future__ import annotations


def hm(minutes: float, unit: str = " min") -> str:
    """7 h 05 min (or "7 h 05" where the heading says the unit)."""
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d}{unit}"
