from __future__ import annotations

import pytest

from widgets._draw import BrailleCanvas, CellGrid, fmt_num, nice_ceil, nice_range, nice_step, scale


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.0, 1.0), (1.0, 1.0), (3.0, 5.0), (410.0, 500.0), (0.07, 0.1), (2.2, 2.5)],
)
def test_nice_ceil(value: float, expected: float) -> None:
    assert nice_ceil(value) == pytest.approx(expected)


def test_nice_step_and_range() -> None:
    assert nice_step(450, 4) == 200
    assert nice_step(12, 6) == 2
    lo, hi = nice_range(4.2, 15.8)
    assert lo <= 4.2 and hi >= 15.8 and hi - lo <= 14
    assert nice_range(5.0, 5.0)[0] < 5.0 < nice_range(5.0, 5.0)[1]


@pytest.mark.parametrize(
    ("value", "signed", "expected"),
    [
        (12345, False, "12.3k"),
        (3.456, False, "3.5"),
        (0.123, False, "0.12"),
        (400, False, "400"),
        (34, True, "+34"),
        (-0.004, False, "0.00"),
        (2_500_000, False, "2.5M"),
        (12.25, False, "12.2"),
    ],
)
def test_fmt_num(value: float, signed: bool, expected: str) -> None:
    assert fmt_num(value, signed=signed) == expected


def test_scale_clamps() -> None:
    assert scale(0, 0, 10, 11) == 0
    assert scale(10, 0, 10, 11) == 10
    assert scale(50, 0, 10, 11) == 10
    assert scale(5, 5, 5, 11) == 0


def test_braille_dots() -> None:
    canvas = BrailleCanvas(2, 1)
    canvas.set(0, 0)
    canvas.set(3, 3)
    canvas.set(99, 99)  # outside: ignored
    assert list(canvas.cells()) == [(0, 0, "⠁"), (1, 0, "⢀")]


def test_cell_grid_text() -> None:
    grid = CellGrid(4, 2)
    grid.text(1, 0, "ab")
    grid.put(3, 1, "x")
    grid.put(9, 9, "y")
    assert grid.to_text().plain == " ab \n   x"
