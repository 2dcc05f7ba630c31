"""`make bench`: every benchmark in turn, each printing one row and writing bench/results/NAME.json.
Set BENCH_ONLY=payroll,pages to run a subset; the seeded city database is reused between runs
(BENCH_DB, default /tmp/shequ-bench-city.db; BENCH_RESEED=1 rebuilds it)."""
from __future__ import annotations

import importlib
import os

from bench.common import CITY_DB, machine

ORDER = ("seed", "payroll", "excel", "slips", "pages", "stats")


def main() -> None:
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    print(f"machine: {machine()}", flush=True)
    for name in ORDER:
        if only and name not in only:
            continue
        if name == "seed" and CITY_DB.exists() and not os.environ.get("BENCH_RESEED") and not only:
            print("seed_city | (reusing the seeded city; BENCH_RESEED=1 rebuilds it)", flush=True)
            continue
        try:
            module = importlib.import_module(f"bench.bench_{name}")
        except ModuleNotFoundError:
            print(f"{name} | (not available)", flush=True)
            continue
        module.main()


if __name__ == "__main__":
    main()
