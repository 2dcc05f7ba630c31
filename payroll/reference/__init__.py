"""Reference data as dated versions: pay scales, contribution bounds, rates and tax tables,
edited by the city administrator."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from payroll.reference.views import bp

    app.register_blueprint(bp)
    add_nav("reference.index", "薪酬标准", admin_only=True)
