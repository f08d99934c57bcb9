"""Numbers as people type them (`4,8`, `4.8 g`, `500 mg`, `1.250,5`) and the unit of an amount
column: the header's (`Menge (g)`), the cells' (`500 mg`), the person's (`--unit`), else the
values' when only one unit makes sense of them; a column that fits both is asked about."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

_NUMBER = re.compile(
    r"^([+-]?[\d.,' ]*\d)\s*(mg|g|gr|grams?|gramm|gramos|grammes|milligrams?)?\.?$", re.IGNORECASE
)

MAX_GRAMS = 100.0  # the dose log's own limit (dashboard/core/store/doses.py): more is a typo
# a bare number fits grams in (0, MAX_GRAMS] and milligrams in [MG_FLOOR, MAX_GRAMS * 1000]:
# no one weighs a 5 mg kratom dose, and no one takes 10 g and writes "10" meaning milligrams
MG_FLOOR = 10.0


class BadNumber(ValueError):
    pass


def number(raw: str, decimal_comma: bool = False) -> tuple[float, str | None]:
    """`4,8` -> (4.8, None); `500 mg` -> (500.0, "mg"); `1.250,5 mg` -> (1250.5, "mg")."""
    text = raw.strip().replace("\u00a0", " ")
    m = _NUMBER.match(text)
    if not m:
        raise BadNumber(f"not a number: {raw!r}")
    digits = m.group(1).replace(" ", "").replace("'", "")
    unit = m.group(2)
    if unit:
        unit = "mg" if unit.lower().startswith("m") else "g"
    if "," in digits and "." in digits:
        # the later mark is the decimal one: 1.250,5 or 1,250.5
        dec = "," if digits.rfind(",") > digits.rfind(".") else "."
        digits = digits.replace("." if dec == "," else ",", "").replace(",", ".")
    elif "," in digits:
        if digits.count(",") > 1:
            digits = digits.replace(",", "")  # 1,250,000
        elif decimal_comma or not re.fullmatch(r"[+-]?\d{1,3},\d{3}", digits):
            digits = digits.replace(",", ".")  # 4,8 (a thousands comma needs three digits after)
        else:
            digits = digits.replace(",", "")
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")  # 1.250.000
    elif decimal_comma and re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", digits):
        digits = digits.replace(".", "")  # 2.000 where the decimal mark is a comma
    try:
        value = float(digits)
    except ValueError:
        raise BadNumber(f"not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise BadNumber(f"not a finite number: {raw!r}")
    return value, unit


# one mark followed by exactly three digits: 2,500 or 2.000 (a leading 0 is never a thousands
# group, so 0,250 and 0.500 are plain decimals)
_AMBIGUOUS = re.compile(r"[+-]?([1-9]\d{0,2})([.,])(\d{3})")


def amount(raw: str, decimal_comma: bool = False) -> tuple[float, str | None]:
    """A dose amount: `number()`, but `2,500` and `2.000` are refused as ambiguous, as
    dashboard/core/store/doses.py's parse_grams refuses `1,000`: thousands to some, decimals
    to others, and a dose read 1000x wrong must never be stored."""
    value, unit = number(raw, decimal_comma)
    digits = _NUMBER.match(raw.strip().replace("\u00a0", " "))
    assert digits is not None  # number() matched it
    m = _AMBIGUOUS.fullmatch(digits.group(1).replace(" ", "").replace("'", ""))
    if m:
        whole, _mark, part = m.groups()
        decimals = part.rstrip("0")
        small = whole + ("," if decimal_comma else ".") + decimals if decimals else whole
        raise BadNumber(
            f"{raw.strip()!r} is ambiguous (thousands or decimals?): write {whole}{part} or {small}"
        )
    return value, unit


def fits_grams(v: float) -> bool:
    return 0 < v <= MAX_GRAMS


def fits_mg(v: float) -> bool:
    return MG_FLOOR <= v <= MAX_GRAMS * 1000


class UnitQuestion(ValueError):
    """Bare numbers that fit grams and milligrams alike: the person has to say which."""


def bare_unit(values: Iterable[tuple[int, float]]) -> str:
    """The unit of bare numbers ((line, value) pairs): "g" or "mg"; raises UnitQuestion when
    every value fits both, BadNumber when no one unit fits them all."""
    only_g: tuple[int, float] | None = None
    only_mg: tuple[int, float] | None = None
    neither: tuple[int, float] | None = None
    seen = False
    for line, v in values:
        seen = True
        g, mg = fits_grams(v), fits_mg(v)
        if g and not mg:
            only_g = only_g or (line, v)
        elif mg and not g:
            only_mg = only_mg or (line, v)
        elif not g and not mg:
            neither = neither or (line, v)
    if only_g and only_mg:
        raise BadNumber(
            f"amounts mix grams and milligrams ({only_g[1]:g} on line {only_g[0]}, "
            f"{only_mg[1]:g} on line {only_mg[0]})"
        )
    if only_mg:
        return "mg"
    if only_g:
        return "g"
    if neither:
        raise BadNumber(f"line {neither[0]}: {neither[1]:g} is not a dose in grams or milligrams")
    if not seen:
        return "g"
    raise UnitQuestion("every amount could be grams or milligrams")
