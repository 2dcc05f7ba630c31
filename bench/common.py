"""Shared benchmark plumbing: a city database kept between benchmarks, timing, peak memory,
and one result row per benchmark (printed and written to bench/results/NAME.json)."""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CITY_DB = Path(os.environ.get("BENCH_DB", "/tmp/shequ-bench-city.db"))


def city_url() -> str:
    return f"sqlite:///{CITY_DB}"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB, {cpu}, Python {platform.python_version()}"


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start


def report(name: str, row: dict[str, Any]) -> None:
    row = {"benchmark": name, **row, "machine": machine(), "at": time.strftime("%Y-%m-%d %H:%M")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(row, ensure_ascii=False, indent=1))
    shown = {k: (f"{v:.2f}" if isinstance(v, float) else v) for k, v in row.items() if k not in ("machine", "at")}
    print(" | ".join(f"{k}={v}" for k, v in shown.items()), flush=True)


def flask(*args: str, env: dict[str, str] | None = None, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, DATABASE_URL=city_url(), **(env or {}))
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=e, check=True,
                          text=True, capture_output=quiet)


def ensure_city() -> None:
    """The seeded city, built once by bench_seed and reused by the other benchmarks."""
    if not CITY_DB.exists():
        from bench import bench_seed

        bench_seed.main()
