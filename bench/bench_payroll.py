"""One month's payroll for one district and for the whole city, on the seeded city (SQLite)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from bench.common import ROOT, city_url, ensure_city, report

DISTRICT = "310115"  # 浦东新区, the largest
MONTH = os.environ.get("BENCH_MONTH") or time.strftime("%Y-%m")  # the demo's open month


def _run(*args: str) -> tuple[float, float, str]:
    env = dict(os.environ, DATABASE_URL=city_url())
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "flask", "--app", "wsgi", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024
    return seconds, peak, proc.stdout


def main() -> None:
    ensure_city()
    seconds, peak, out = _run("payroll", "run", MONTH, "--district", DISTRICT)
    slips = re.search(r"total: (\d+) slips", out)
    report("payroll_district", {"month": MONTH, "district": DISTRICT, "slips": int(slips.group(1)) if slips else 0,
                                "seconds": seconds, "peak_mb": peak})
    seconds, peak, out = _run("payroll", "run", MONTH, "--all")
    slips = re.search(r"total: (\d+) slips", out)
    report("payroll_city", {"month": MONTH, "slips": int(slips.group(1)) if slips else 0,
                            "seconds": seconds, "peak_mb": peak})


if __name__ == "__main__":
    main()
