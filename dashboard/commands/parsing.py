"""The parser every command uses, and the argument types: a usage error is one line naming
the command, the argument and what is wrong, and where the help is; exit code 2."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from typing import NoReturn

from dashboard.core.errors import UserError

_ARGUMENT = re.compile(r"^argument (\S+): (.*)$", re.DOTALL)


def one_line(prog: str, message: str) -> str:
    """`taperdash log` + argparse's message -> `taperdash: log: '3.5g' is not ...; try
    taperdash log --help`."""
    m = _ARGUMENT.match(message)
    if m:
        name, rest = m.groups()
        # an option names itself; a positional's name (grams) adds nothing to its message
        message = f"{name}: {rest}" if name.startswith("-") else rest
    program, _, command = prog.partition(" ")
    where = f"{program}: {command}: " if command else f"{program}: "
    return f"{where}{' '.join(message.split())}; try {prog} --help"


class CliParser(argparse.ArgumentParser):
    """argparse prints its whole usage above an error; one line is easier to read (and the
    subcommands' parsers are made from this class too: add_subparsers uses the parser's type)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(one_line(self.prog, message) + "\n")
        sys.exit(2)


def _type_error(exc: UserError) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(str(exc))


def iso_date(text: str) -> dt.date:
    from dashboard.core.clock import parse_date

    try:
        return parse_date(text)
    except UserError as exc:
        raise _type_error(exc) from None


def grams(text: str) -> float:
    """Grams as Today's form reads them (doses.parse_grams): `3,5`, `3.5g`; `1,000` refused."""
    from dashboard.core.store.doses import parse_grams

    try:
        return parse_grams(text)
    except UserError as exc:
        raise _type_error(exc) from None


def whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def number(text: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
