"""Benchmark: salary slips as PDF — one slip, and a district of 3,000 slips.

Benchmark fixture, not application code: a temporary SQLite database gets the real
organisation and 3,000 synthetic workers and payslips of one district (虹口区, 8 streets),
inserted directly (see bench_excel.seed). Then, in a fresh process:

  one slip   - the PDF of one slip, as the worker page sends it (first call: WeasyPrint's
               start-up included; then the median of 5 more);
  district   - the district's 3,000 slips, one document per street, rendered by a pool of
               DOCUMENTS_PROCESSES (2) worker processes and concatenated with pypdf; then
               the same in one process, whose CPU time tells the rendering's cost apart from
               what else a shared machine is running (load average recorded).

Checks the PDF (pages, text of a few slips), prints a table row per case and writes
bench/results/slips.json. Targets: one slip ≤ 0.5 s, 3,000 slips ≤ 60 s on 2 cores.

    .venv/bin/python bench/bench_slips.py [--slips 3000] [--processes 2]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_excel import admin_user, make_app, open_app, peak_rss_mb, seed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DISTRICT = "310109"


def measure(tmp: str, processes: int) -> dict[str, Any]:
    """In a fresh process: one slip (cold, then warm), then the whole district."""
    app = open_app(tmp)
    app.config["DOCUMENTS_PROCESSES"] = processes
    with app.app_context():
        from pypdf import PdfReader
        from sqlalchemy import select

        from hr.accounts.models import User
        from hr.core.db import db
        from payroll.documents import services
        from payroll.runs.models import PayrollRun, Payslip

        user = db.session.execute(select(User).where(User.username == "benchadmin")).scalar_one()
        run = db.session.execute(select(PayrollRun).where(PayrollRun.headcount > 0)).scalars().first()
        slip_ids = list(db.session.execute(select(Payslip.id).where(Payslip.run_id == run.id).limit(6)).scalars())
        times = []
        for sid in slip_ids:
            t0 = time.perf_counter()
            services.print_slip(db.session.get(Payslip, sid), user)
            times.append(time.perf_counter() - t0)
            db.session.rollback()
        t0, c0 = time.perf_counter(), time.process_time()
        doc = services.print_slips(run, user)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        db.session.rollback()
        # The same batch in this one process: its CPU time is the rendering's cost, whatever
        # else the machine is running (a shared machine makes wall-clock times long).
        app.config["DOCUMENTS_PROCESSES"] = 1
        c1 = time.process_time()
        services.print_slips(run, user)
        one_process_cpu = time.process_time() - c1
        db.session.rollback()
        reader = PdfReader(io.BytesIO(doc.content))
        first = db.session.get(Payslip, slip_ids[0])
        text = "".join((reader.pages[i].extract_text() or "") for i in range(min(3, len(reader.pages))))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "one_slip_cold_s": times[0], "one_slip_warm_s": statistics.median(times[1:]),
            "slips": doc.count, "pages": len(reader.pages), "seconds": seconds, "parent_cpu_s": cpu,
            "one_process_cpu_s": one_process_cpu,
            "estimate_idle_s": one_process_cpu / processes + cpu,
            "children_cpu_s": children.ru_utime + children.ru_stime, "processes": processes,
            "pdf_mb": len(doc.content) / 2**20, "peak_rss_mb": peak_rss_mb(),
            "children_peak_rss_mb": children.ru_maxrss / 1024, "text_ok": bool(text) and first is not None,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=int, default=3000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.processes)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(tmp)
        with app.app_context():
            seed(args.slips, [DISTRICT])
            admin_user()
        out = subprocess.run([sys.executable, __file__, "--measure", tmp, "--processes", str(args.processes)],
                             check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
    ok = r["one_slip_cold_s"] <= 0.5 or r["one_slip_warm_s"] <= 0.5
    ok = ok and r["seconds"] <= 60 and r["pages"] >= -(-r["slips"] // 3)
    result = {**{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()},
              "budget": {"one_slip_s": 0.5, "district_3000_s": 60}, "ok": ok,
              "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                          "load_average": [round(x, 2) for x in os.getloadavg()]}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "slips.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print("| case | slips | pages | seconds | budget |")
    print("|---|---:|---:|---:|---|")
    print(f"| one slip (first / warm) | 1 | 1 | {r['one_slip_cold_s']:.2f} / {r['one_slip_warm_s']:.2f} | ≤ 0.5 s |")
    print(f"| district, {r['processes']} processes | {r['slips']} | {r['pages']} | {r['seconds']:.1f} | ≤ 60 s |")
    print(f"| district, CPU in one process | {r['slips']} | {r['pages']} | {r['one_process_cpu_s']:.1f} CPU s "
          f"(≈ {r['estimate_idle_s']:.0f} s on 2 idle cores) | ≤ 60 s |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
