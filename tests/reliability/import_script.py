"""Apply a register import the way the confirm page does (parse, apply, one commit), in a
process of its own so that a test can kill it half-way. Prints each phase as it starts.

Usage: python -m tests.reliability.import_script FILE.xlsx DISTRICT_CODE
(DATABASE_URL and FLASK_* settings from the environment)."""
from __future__ import annotations

import sys


def main(path: str, code: str) -> int:
    from sqlalchemy import select

    from hr.accounts.models import User
    from hr.core.db import db
    from hr.org.models import District
    from hr.workers import excel, imports
    from wsgi import create_app

    app = create_app()
    with app.app_context():
        district = db.session.execute(select(District).where(District.code == code)).scalar_one()
        user = db.session.execute(select(User).where(User.role == "admin")).scalars().first()
        with open(path, "rb") as fh:
            plan = excel.parse(fh.read(), district.id)
        if not plan.ok:
            print("errors", len(plan.errors), flush=True)
            return 1
        print(f"applying {len(plan.create)} new, {len(plan.update)} changed", flush=True)
        counts = imports.apply_plan(plan, district.id, user=user, filename=path)
        print("committing", flush=True)
        db.session.commit()
        print(f"done {counts['created']} {counts['updated']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
