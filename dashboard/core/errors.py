"""Errors a user can cause. The CLI and the UI turn each into one line; a bug keeps its traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input on the command line or in a form: nothing was written. Exit code 2."""

    exit_code = 2


class InvalidDose(UserError):
    pass


class InvalidCheckin(UserError):
    pass


class StoreError(UserError):
    """The home cannot be used as it is (unknown version, unreadable table) or cannot be
    written (disk full, read-only): nothing was written. A UserError, so every form that
    saves shows it as its one line instead of the app stopping with a traceback."""
