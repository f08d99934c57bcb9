"""Blocks every attempt to reach the network: name look-ups and connections of internet
sockets raise, and each attempt is recorded (and written to stderr, for subprocesses).

Local sockets (AF_UNIX, as asyncio's self-pipe uses) are left alone. Used in-process through
pytest's monkeypatch, and in subprocesses as the body of a sitecustomize.py (its source is
copied there with `install()` appended), so it imports nothing outside the standard library.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import Any

ATTEMPTS: list[str] = []
_INET = (socket.AF_INET, socket.AF_INET6)


def _deny(what: str) -> None:
    ATTEMPTS.append(what)
    sys.stderr.write(f"NETWORK ATTEMPT: {what}\n")
    raise OSError(f"network blocked by the test: {what}")


def install(set_attr: Callable[[Any, str, Any], None] = setattr) -> list[str]:
    """Patches the socket module with `set_attr` (monkeypatch.setattr in tests)."""
    cls = socket.socket
    for method in ("connect", "connect_ex", "sendto", "sendmsg"):
        original = getattr(cls, method)

        def guarded(
            self: socket.socket, *args: Any, _name: str = method, _orig: Any = original
        ) -> Any:
            if self.family in _INET:
                _deny(f"socket.{_name}{args[:1]!r}")
            return _orig(self, *args)

        set_attr(cls, method, guarded)

    def refuse(name: str) -> Callable[..., Any]:
        def _refuse(*args: Any, **kwargs: Any) -> Any:
            _deny(f"socket.{name}{args[:1]!r}")

        return _refuse

    for name in (
        "create_connection",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
    ):
        set_attr(socket, name, refuse(name))
    ATTEMPTS.clear()
    return ATTEMPTS
