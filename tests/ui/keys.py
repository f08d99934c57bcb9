"""Keys as a terminal delivers a paste or a fast typist's burst: all queued at once, with no
pause for the app to act on one before the next arrives (Pilot.press idles between keys, which
hides the races a real burst shows)."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key


def _event(key: str) -> events.Key:
    if len(key) == 1:  # a character: what it types is itself
        return events.Key(key if key.isalnum() else _character_to_key(key), key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app: App[object], *keys: str) -> None:
    """Queue `keys` on the app's driver in one go, as one read from the terminal would."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = _event(key)
        event.set_sender(app)
        driver.send_message(event)
