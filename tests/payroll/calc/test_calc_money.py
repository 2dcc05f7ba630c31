"""Money: D(), rounding, integer fen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payroll.calc.money import (
    D,
    from_fen,
    places,
    round_fen,
    round_jiao_up,
    round_yuan,
    to_fen,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.10", Decimal("1.10")),
        (" 1,234.5 ", Decimal("1234.5")),
        (7, Decimal(7)),
        (Decimal("2.5"), Decimal("2.5")),
    ],
)
def test_d_accepts_str_int_decimal(value: str | int | Decimal, expected: Decimal) -> None:
    assert D(value) == expected


@pytest.mark.parametrize("value", [1.1, 0.0, True])
def test_d_refuses_float_and_bool(value: object) -> None:
    with pytest.raises(TypeError):
        D(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["abc", "", "NaN", "Infinity"])
def test_d_refuses_non_numbers(value: str) -> None:
    with pytest.raises(ValueError):
        D(value)


@pytest.mark.parametrize(
    ("value", "fen", "yuan"),
    [
        ("0.005", "0.01", "0.00"),
        ("0.0049", "0.00", "0.00"),
        ("2.675", "2.68", "3.00"),  # a float would give 2.67
        ("814.5", "814.50", "815.00"),
        ("1522.4993", "1522.50", "1522.00"),
        ("-1.005", "-1.01", "-1.00"),
        ("-0.5", "-0.50", "-1.00"),
    ],
)
def test_rounding_is_half_up(value: str, fen: str, yuan: str) -> None:
    assert str(round_fen(D(value))) == fen
    assert str(round_yuan(D(value))) == yuan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.20", "1.20"),
        ("1.21", "1.30"),
        ("1.29", "1.30"),
        ("1.2049", "1.20"),  # below half a fen: 1.20 at the fen, stays
        ("1.205", "1.30"),  # 1.21 at the fen, carries
        ("37.30", "37.30"),
        ("49.055", "49.10"),
        ("0", "0.00"),
        ("-1.21", "-1.30"),
    ],
)
def test_jiao_up(value: str, expected: str) -> None:
    assert str(round_jiao_up(D(value))) == expected


def test_rounding_refuses_float() -> None:
    with pytest.raises(TypeError):
        round_fen(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "fen"), [("123.45", 12345), ("1.230", 123), ("-0.01", -1), ("0", 0)]
)
def test_to_fen(value: str, fen: int) -> None:
    assert to_fen(D(value)) == fen


def test_to_fen_refuses_sub_fen() -> None:
    with pytest.raises(ValueError):
        to_fen(D("1.005"))


def test_from_fen() -> None:
    assert str(from_fen(12345)) == "123.45"
    assert str(from_fen(-5)) == "-0.05"
    with pytest.raises(TypeError):
        from_fen(1.5)  # type: ignore[arg-type]


def test_places() -> None:
    assert places(D("1.230")) == 2
    assert places(D("5")) == 0
    assert places(D("500")) == 0
    assert places(D("0.005")) == 3
