"""`flask seed ...`: reference data and the demo city, always through the services."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

DATA = Path(__file__).resolve().parent / "data"


def init_app(app: Flask) -> None:
    from seed.cli import seed_cli

    app.cli.add_command(seed_cli)
