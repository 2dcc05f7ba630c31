"""`flask seed ...`: reference data and the demo city. The register, grades, mentoring and payroll
runs go through the services; the demo's tax declarations and adjustments are added as rows in bulk
(seed/demo/payroll.py), as their services would only repeat per row what the generator guarantees."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

DATA = Path(__file__).resolve().parent / "data"


def init_app(app: Flask) -> None:
    from seed.cli import seed_cli

    app.cli.add_command(seed_cli)
