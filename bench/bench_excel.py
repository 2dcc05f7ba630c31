"""Benchmark: the payroll workbook of a whole city's month (46,000 slips).

Benchmark fixture, not application code: a temporary SQLite database gets the real
organisation (16 districts, 215 streets, ~5,900 committees) and synthetic workers, runs and
payslips inserted directly (no calculation, for speed), with amounts that add up like real
slips. Then it times, in this process:

  city   - one workbook per district, all 46,000 slips (what the city exports in a month);
  single - one workbook holding all 46,000 slips (a worst case no real district reaches).

Each case runs in a fresh process, so that its peak RSS (resource.getrusage) is the export's
and not the seeding's. Prints a table row per case and writes bench/results/excel.json.

    .venv/bin/python bench/bench_excel.py [--slips 46000]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
MONTH = date(2026, 11, 1)
FEN = Decimal("0.01")


def make_app(tmp: str) -> Any:
    """A new database in `tmp` with the real organisation and reference data."""
    app = open_app(tmp)
    with app.app_context():
        from flask_migrate import upgrade

        from hr.core.db import db
        from seed.reference import load_all

        upgrade()
        load_all()
        db.session.commit()
    return app


def _id_number(n: int) -> str:
    from hr.workers.idcard import check_char

    first17 = f"310101{1960 + n % 40:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    first17 = first17[:6] + f"{1960 + (n // 1000) % 40:04d}" + first17[10:]
    return first17 + check_char(first17)


def _slip_amounts(rng: random.Random) -> dict[str, Decimal]:
    """Amounts that add up like a real slip (gross = earnings, net = gross - deductions)."""
    def money(lo: int, hi: int) -> Decimal:
        return (Decimal(rng.randint(lo * 100, hi * 100)) * FEN).quantize(FEN)

    grade_pay, allowance, perf = money(3000, 9000), money(0, 1500), money(800, 2500)
    qual = Decimal(rng.choice([0, 200, 400, 600])).quantize(FEN)
    adjustments = money(-200, 400) if rng.random() < 0.05 else Decimal("0.00")
    gross = grade_pay + allowance + perf + qual + adjustments
    base = gross
    pension, medical = (base * Decimal("0.08")).quantize(FEN), (base * Decimal("0.02")).quantize(FEN)
    unemployment, hf = (base * Decimal("0.005")).quantize(FEN), (base * Decimal("0.07")).quantize(FEN)
    iit = money(0, 600)
    net = gross - pension - medical - unemployment - hf - iit
    employer = (base * Decimal("0.3")).quantize(FEN)
    return {"grade_pay": grade_pay, "post_allowance": allowance, "performance": perf,
            "qualification_allowance": qual, "annual_bonus": Decimal("0.00"), "adjustments": adjustments,
            "gross": gross, "si_base": base, "hf_base": base, "pension": pension, "medical": medical,
            "unemployment": unemployment, "housing_fund": hf, "iit": iit, "bonus_tax": Decimal("0.00"),
            "net": net, "employer_pension": employer, "employer_medical": Decimal("0.00"),
            "employer_unemployment": Decimal("0.00"), "employer_injury": Decimal("0.00"),
            "employer_housing_fund": Decimal("0.00"), "employer_total": employer,
            "special": Decimal("0.00"), "cum_wages": gross * 11, "cum_si_hf": Decimal("0.00"),
            "cum_special": Decimal("0.00"), "cum_basic": Decimal("55000.00"), "cum_tax": iit * 11}


def seed(total: int, district_codes: list[str] | None = None, seed_value: int = 11) -> list[int]:
    """Insert `total` workers and their payslips for MONTH, spread over the committees of the
    given districts (all by default), one calculated run per district. Returns the run ids."""
    from sqlalchemy import insert, select

    from hr.core.db import db
    from hr.org.models import Committee, District, Street
    from hr.workers.models import Worker
    from payroll.runs.models import TOTAL_FIELDS, PayrollRun, Payslip

    rng = random.Random(seed_value)
    stmt = select(Committee.id, Committee.street_id, Street.district_id).join(Street).join(District)
    if district_codes:
        stmt = stmt.where(District.code.in_(district_codes))
    committees = db.session.execute(stmt.order_by(Committee.code)).all()
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    now = datetime(2026, 11, 20, 9, 0)
    runs: dict[int, int] = {}
    for did in sorted({d for _, _, d in committees}):
        run = PayrollRun(district_id=did, month=MONTH, status="approved", created_by="bench",
                         calculated_by="bench", calculated_at=now, approved_by="bench", approved_at=now)
        db.session.add(run)
        db.session.flush()
        runs[did] = run.id
    totals: dict[int, dict[str, Decimal]] = {rid: {f: Decimal("0.00") for f in TOTAL_FIELDS} for rid in runs.values()}
    counts: dict[int, int] = dict.fromkeys(runs.values(), 0)
    for start in range(0, total, 5000):
        n = min(5000, total - start)
        workers = []
        for i in range(start, start + n):
            cid, sid, did = committees[i % len(committees)]
            workers.append({
                "name": rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2)))),
                "id_number": _id_number(i), "birth_date": date(1980, 1, 1), "gender": "女", "phone": "",
                "education": "本科", "political_status": "群众", "qualification": "无", "hire_date": date(2018, 3, 1),
                "prior_years": 0, "committee_id": cid, "street_id": sid, "district_id": did, "status": "在职",
                "leave_reason": "", "shiye": False, "reserve_cadre": False, "bank_name": "中国工商银行上海市分行",
                "bank_account": f"62220210{i:011d}", "version": 1,
            })
        db.session.execute(insert(Worker), workers)
        ids = db.session.execute(
            select(Worker.id, Worker.name, Worker.committee_id, Worker.street_id, Worker.district_id)
            .where(Worker.id_number.in_([w["id_number"] for w in workers]))
        ).all()
        slips = []
        for wid, name, cid, sid, did in ids:
            amounts = _slip_amounts(rng)
            rid = runs[did]
            for f in TOTAL_FIELDS:
                totals[rid][f] += amounts[f]
            counts[rid] += 1
            lines = ([{"kind": "补发" if amounts["adjustments"] > 0 else "补扣", "amount": str(amounts["adjustments"]),
                       "reason": "2026-09 岗位等级调整差额", "corrects_month": "2026-09-01", "auto": True}]
                     if amounts["adjustments"] else [])
            slips.append({"run_id": rid, "worker_id": wid, "district_id": did, "street_id": sid, "committee_id": cid,
                          "month": MONTH, "name": name, "post": "STAF", "grade": rng.randint(1, 12),
                          "scale_version": "bench", "qualification": "无", "days_served": 30, "days_in_month": 30,
                          "inputs": {}, "adjustment_lines": lines, "tax_months": 11, "change": None,
                          "change_reason": "", **amounts})
        db.session.execute(insert(Payslip), slips)
    for run in db.session.execute(select(PayrollRun)).scalars():
        for f in TOTAL_FIELDS:
            setattr(run, f, totals[run.id][f])
        run.headcount = counts[run.id]
    db.session.commit()
    return [rid for rid in runs.values() if counts[rid]]


def admin_user() -> Any:
    from hr.accounts.services import create_user
    from hr.core.db import db

    user = create_user("benchadmin", "Bench-passw0rd", "admin", None)
    db.session.commit()
    return user


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_app(tmp: str) -> Any:
    from wsgi import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
        "UPLOAD_FOLDER": f"{tmp}/uploads", "JOBS_FOLDER": f"{tmp}/jobs",
    })


def measure_export(tmp: str, run_ids: list[int]) -> dict[str, Any]:
    """In a fresh process: export the runs' workbooks one after the other."""
    app = open_app(tmp)
    with app.app_context():
        from sqlalchemy import select

        from hr.accounts.models import User
        from hr.core.db import db
        from payroll.documents import services
        from payroll.runs.models import PayrollRun

        user = db.session.execute(select(User).where(User.username == "benchadmin")).scalar_one()
        base_rss = peak_rss_mb()
        rows = size = 0
        t0 = time.perf_counter()
        for rid in run_ids:
            doc = services.export_payroll(db.session.get(PayrollRun, rid), user)
            rows += doc.count
            size += len(doc.content)
            db.session.rollback()  # the audit entry is not kept in a benchmark
        seconds = time.perf_counter() - t0
    return {"rows": rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb(), "rss_before_mb": base_rss,
            "file_mb": size / 2**20}


def _child(tmp: str, run_ids: list[int]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--measure", tmp, "--runs", ",".join(map(str, run_ids))],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def merge_into_one(run_ids: list[int]) -> int:
    """Move every slip into the first run (one 46,000-row workbook)."""
    from sqlalchemy import update

    from hr.core.db import db
    from payroll.runs.models import TOTAL_FIELDS, PayrollRun, Payslip

    runs = [db.session.get(PayrollRun, rid) for rid in run_ids]
    first = runs[0]
    sums = {f: sum((getattr(r, f) for r in runs), Decimal("0.00")) for f in TOTAL_FIELDS}
    headcount = sum(r.headcount for r in runs)
    db.session.execute(update(Payslip).values(run_id=first.id, district_id=first.district_id))
    for f, v in sums.items():
        setattr(first, f, v)
    first.headcount = headcount
    db.session.commit()
    return first.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=int, default=46000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--runs", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_export(args.measure, [int(x) for x in args.runs.split(",")])))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(tmp)
        with app.app_context():
            t0 = time.perf_counter()
            run_ids = seed(args.slips)
            admin_user()
            seeded = time.perf_counter() - t0
        city = _child(tmp, run_ids)
        with app.app_context():
            single_id = merge_into_one(run_ids)
        single = _child(tmp, [single_id])
    ok = all(r["seconds"] <= 10 and r["peak_rss_mb"] <= 300 for r in (city, single))
    result = {
        "slips": city["rows"], "districts": len(run_ids), "seed_seconds": round(seeded, 1),
        "city": {k: round(v, 2) for k, v in city.items()}, "single": {k: round(v, 2) for k, v in single.items()},
        "budget": {"seconds": 10, "peak_rss_mb": 300}, "ok": ok,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "excel.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print("| case | slips | seconds | peak RSS MB | budget |")
    print("|---|---:|---:|---:|---|")
    print(f"| excel, city ({len(run_ids)} district workbooks) | {city['rows']} | {city['seconds']:.2f} | "
          f"{city['peak_rss_mb']:.0f} | ≤ 10 s, ≤ 300 MB |")
    print(f"| excel, one workbook | {single['rows']} | {single['seconds']:.2f} | {single['peak_rss_mb']:.0f} | "
          f"≤ 10 s, ≤ 300 MB |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
