"""Private, atomic file writes: the home is 0700 and every file 0600, whatever the umask."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def make_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    # mkdir's mode is filtered by the umask; chmod is not.
    os.chmod(path, 0o700)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Atomically replaces `path` with `data` (temp file, fsync, rename, fsync of the folder)."""
    # per process and thread: two threads (two of the dashboard's loads) may write one file
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)
