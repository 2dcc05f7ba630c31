"""Workforce statistics on the seeded city (SQLite): the city's figures of the current year
(every district side by side), one district's (浦东新区, by street), and the city's PDF report
and workbook. Each figure is the best of three runs after a first, cold one; CPU seconds are
shown beside the wall clock, since the machine is shared."""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from bench.common import city_url, ensure_city, peak_mb, report

RUNS = 3


def _best(fn: Callable[[], Any]) -> tuple[float, float, float, Any]:
    """(cold wall s, best warm wall s, CPU s of that run, result)."""
    t0 = time.perf_counter()
    result = fn()
    cold = time.perf_counter() - t0
    best, cpu = float("inf"), 0.0
    for _ in range(RUNS):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - w0
        if wall < best:
            best, cpu = wall, time.process_time() - c0
    return cold, best, cpu, result


def main() -> None:
    ensure_city()
    os.environ["DATABASE_URL"] = city_url()
    from wsgi import create_app

    app = create_app({"SERVER_NAME": "bench.local"})
    with app.app_context(), app.test_request_context():
        from sqlalchemy import select

        from hr.core.db import db
        from hr.grades.services import SYSTEM
        from hr.org.models import District
        from stats import documents, service

        pudong = db.session.execute(select(District).where(District.code == "310115")).scalar_one()
        cold, city, city_cpu, r = _best(lambda: service.workforce(service.today().year, SYSTEM))
        _, district, district_cpu, d = _best(lambda: service.workforce(service.today().year, SYSTEM, pudong.id))
        t0 = time.perf_counter()
        pdf = documents.report_pdf(r, SYSTEM)
        pdf_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        xlsx = documents.report_xlsx(r, SYSTEM)
        xlsx_kb = len(xlsx.content) / 1024
        xlsx_s = time.perf_counter() - t0
        db.session.rollback()  # the audit entries are not kept in a benchmark
    report("stats", {"workers": r.total.headcount, "city_cold_s": cold, "city_s": city, "city_cpu_s": city_cpu,
                     "district_workers": d.total.headcount, "district_s": district, "district_cpu_s": district_cpu,
                     "pdf_s": pdf_s, "pdf_kb": len(pdf.content) / 1024, "xlsx_s": xlsx_s, "xlsx_kb": xlsx_kb,
                     "peak_mb": peak_mb(), "load_1min": os.getloadavg()[0], "target_city_s": 2.0})


if __name__ == "__main__":
    main()
