"""Regenerate the single initial migration from the models (before the first release only).

Usage: .venv/bin/python scripts/regen_migration.py
"""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    for f in glob.glob(str(ROOT / "migrations" / "versions" / "*.py")):
        os.remove(f)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/empty.db")
        flask = str(ROOT / ".venv" / "bin" / "flask")
        cmd = [flask, "--app", "wsgi", "db", "revision", "--autogenerate", "--rev-id", "0001", "-m", "initial schema"]
        return subprocess.call(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
