"""marshmallow fields of the money side, shared by every payroll schema (API, trial, imports):
money as a decimal string, never a float; months as YYYY-MM.

Each field describes itself for the OpenAPI document through `openapi()` (read by
hr.api.openapi), so that the document says what the field really accepts and writes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields

from payroll.calc.money import places
from payroll.reference.amounts import AmountError, read_number


class MoneyText(fields.Field):
    """A decimal given as a string or integer ("9811.50", 9811): never a float. Written as a
    string with two decimals ("9811.50"), or `max_places` for a rate ("0.0700")."""

    default_error_messages = {"invalid": "须为数字字符串，如 \"9811.50\"", "places": "最多两位小数",
                              "float": "金额请用字符串（如 \"0.07\" 或 \"9811.50\"），不要用浮点数"}

    def __init__(self, max_places: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_places = max_places

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float):
            raise self.make_error("float")
        if not isinstance(value, str | int | Decimal):
            raise self.make_error("invalid")
        try:
            d = read_number(str(value))
        except AmountError as e:
            raise ValidationError(str(e)) from None
        if not d.is_finite():
            raise self.make_error("invalid")
        if places(d) > self.max_places:
            raise self.make_error("places")
        return d

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal, not float")
        if self.max_places == 2:
            return f"{Decimal(value):.2f}"
        return str(Decimal(value))

    def openapi(self) -> dict[str, Any]:
        decimals = "{1," + str(self.max_places) + "}"
        return {"type": "string", "pattern": rf"^-?\d+(\.\d{decimals})?$",
                "example": "9811.50" if self.max_places == 2 else "0.07",
                "description": f"金额（元），字符串，最多 {self.max_places} 位小数；输出为两位小数"}


class MonthText(fields.Field):
    """A month as YYYY-MM, loaded as the date of its 1st."""

    default_error_messages = {"invalid": "月份格式应为 YYYY-MM"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        try:
            y, m = str(value).split("-")
            if len(y) != 4 or len(m) != 2 or not (y + m).isascii():
                raise ValueError
            return date(int(y), int(m), 1)
        except ValueError:
            raise self.make_error("invalid") from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{value:%Y-%m}"

    def openapi(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-11"}
