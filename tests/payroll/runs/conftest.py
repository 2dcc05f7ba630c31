from __future__ import annotations

from datetime import date

from payroll.runs import services


def month(text: str) -> date:
    return services.parse_month(text)
