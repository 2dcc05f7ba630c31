"""One month's payroll (December: with the annual bonus) for one district and for the whole city,
on SQLite and, when BENCH_PG_URL names a PostgreSQL server, on PostgreSQL. Each figure is the
median of BENCH_REPEAT runs (default 3), wall time and CPU time (user + system of the command and
its worker processes: on a shared machine the wall time depends on the neighbours)."""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time

from bench.common import ROOT, city_url, ensure_city, report

DISTRICT = os.environ.get("BENCH_DISTRICT", "310115")  # 浦东新区, the largest
MONTH = os.environ.get("BENCH_MONTH") or time.strftime("%Y-%m")  # the demo's open month
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PROCESSES = os.environ.get("BENCH_PROCESSES", "2")


def _run(url: str, *args: str) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak MB, output) of one `flask ...` command."""
    env = dict(os.environ, DATABASE_URL=url)
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", sys.executable, "-m", "flask", "--app", "wsgi", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak, user, system = proc.stderr.strip().splitlines()[-1].split()
    return seconds, float(user) + float(system), int(peak) / 1024, proc.stdout


def _measure(name: str, db: str, url: str, *args: str) -> None:
    rows = [_run(url, *args) for _ in range(REPEAT)]
    slips = re.search(r"total: (\d+) slips", rows[-1][3])
    report(name, {"db": db, "month": MONTH, "args": " ".join(args[2:]),
                  "slips": int(slips.group(1)) if slips else 0,
                  "seconds": statistics.median(r[0] for r in rows), "cpu_seconds": statistics.median(r[1] for r in rows),
                  "peak_mb": max(r[2] for r in rows)})


def _bench(db: str, url: str) -> None:
    _measure(f"payroll_district_{db}", db, url, "payroll", "run", MONTH, "--district", DISTRICT)
    _measure(f"payroll_city_{db}", db, url, "payroll", "run", MONTH, "--all")
    _measure(f"payroll_city_{db}_parallel", db, url, "payroll", "run", MONTH, "--all", "--processes", PROCESSES)


def main() -> None:
    ensure_city()
    _bench("sqlite", city_url())
    if os.environ.get("BENCH_PG_URL"):
        from bench.pg_city import ensure_pg_city

        _bench("postgresql", ensure_pg_city(rebuild=bool(os.environ.get("BENCH_PG_REBUILD"))))


if __name__ == "__main__":
    main()
