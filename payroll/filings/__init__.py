"""Filings of a locked month (申报与报送): the tax client's files, the social insurance and
housing fund lists, the bank payment files, and the withholding agents behind them."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import payroll.filings.models  # noqa: F401
    from hr.core.ui import add_nav
    from payroll.filings import api, cli  # noqa: F401  (routes on the API blueprint; `flask payroll filings`)
    from payroll.filings.services import register_jobs
    from payroll.filings.views import bp, verify_bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(verify_bp)
    register_jobs()
    add_nav("filings.agents_page", "扣缴义务人", admin_only=True)
