"""Seeding the demo city: 16 districts, 214 streets, 5,874 committees, ~46,000 workers,
through the services (`flask seed demo --scale city`)."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.common import CITY_DB, ROOT, city_url, report


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(str(CITY_DB) + suffix)
        except FileNotFoundError:
            pass
    env = dict(os.environ, DATABASE_URL=city_url())
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "flask", "--app", "wsgi", "seed", "demo", "--scale", "city"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024
    workers = sum(int(line.rsplit(" ", 2)[-2]) for line in proc.stdout.splitlines() if line.endswith(" workers"))
    report("seed_city", {"workers": workers, "seconds": seconds, "peak_mb": peak,
                         "db_mb": os.path.getsize(CITY_DB) / 2**20})


if __name__ == "__main__":
    main()
