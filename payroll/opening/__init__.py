"""Opening balances (期初累计, §6b) of a district that starts using the system in a month other
than January: per worker and year, what was paid and withheld before that month."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from payroll.opening.views import bp

    app.register_blueprint(bp)
