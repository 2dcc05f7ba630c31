"""Column types that give back exactly what was stored, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.types import TypeDecorator

from payroll.calc.money import D, from_fen, to_fen


class Money(TypeDecorator[Decimal]):
    """Yuan as `Decimal` with 2 places in Python, integer fen in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if type(value) is Decimal:  # the hot path of bulk writes
            fen = value.scaleb(2)
            if fen == fen.to_integral_value():
                return int(fen)
        if isinstance(value, float):
            raise TypeError("money must be Decimal, not float")
        return to_fen(D(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if type(value) is int:  # the hot path of reading slips: exactly 2 places, like from_fen
            return Decimal(value).scaleb(-2)
        return from_fen(int(value))


class DecimalText(TypeDecorator[Decimal]):
    """A rate or share (0.08, 0.005) kept as its exact decimal text."""

    impl = String(24)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("rates must be Decimal, not float")
        return str(D(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)
