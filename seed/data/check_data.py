#!/usr/bin/env python3
"""Sanity checks for the seed reference CSVs. Exits non-zero on any failure.

    python3 seed/data/check_data.py
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
errors: list[str] = []


def check(cond: bool, msg: str) -> None:
    if not cond:
        errors.append(msg)


def load(name: str, header: list[str]) -> list[dict[str, str]]:
    raw = (HERE / name).read_bytes()
    check(not raw.startswith(b"\xef\xbb\xbf"), f"{name}: has a BOM")
    text = raw.decode("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    check(list(rows[0].keys()) == header, f"{name}: header is not {header}")
    return rows


districts = load("districts.csv", ["code", "name", "pinyin"])
streets = load("streets.csv", ["code", "district_code", "name", "kind"])
committees = load("committees.csv", ["code", "street_code", "name", "kind"])

# counts
kinds = Counter(c["kind"] for c in committees)
check(len(districts) == 16, f"districts: {len(districts)} != 16")
check(len(streets) == 214, f"streets: {len(streets)} != 214")
check(kinds["居委会"] == 4286, f"居委会: {kinds['居委会']} != 4286")
check(kinds["村委会"] == 1588, f"村委会: {kinds['村委会']} != 1588")
check(set(kinds) <= {"居委会", "村委会"}, f"committee kinds: {set(kinds)}")
check({s["kind"] for s in streets} <= {"街道", "镇", "乡"}, "street kinds")

# codes unique and well-formed
for name, rows, width in (("districts", districts, 6), ("streets", streets, 9),
                          ("committees", committees, 12)):
    codes = [r["code"] for r in rows]
    check(len(codes) == len(set(codes)), f"{name}: duplicate codes")
    check(all(c.isdigit() and len(c) == width for c in codes), f"{name}: bad code width")
check(all(d["pinyin"].isascii() and d["pinyin"].islower() and d["pinyin"].isalpha()
          for d in districts), "district pinyin must be lowercase ASCII letters")

# references
dcodes = {d["code"] for d in districts}
scodes = {s["code"]: s for s in streets}
for s in streets:
    check(s["district_code"] in dcodes, f"street {s['code']}: unknown district")
    check(s["code"].startswith(s["district_code"]), f"street {s['code']}: prefix")
for c in committees:
    check(c["street_code"] in scodes, f"committee {c['code']}: unknown street")
    check(c["code"].startswith(c["street_code"]), f"committee {c['code']}: prefix")
    n = int(c["code"][-3:])
    if c["kind"] == "居委会":
        check(1 <= n <= 199, f"committee {c['code']}: 居委会 number out of 001-199")
    else:
        check(200 <= n <= 399, f"committee {c['code']}: 村委会 number out of 200-399")

# names unique within parent
for key, rows, parent in (("streets", streets, "district_code"),
                          ("committees", committees, "street_code")):
    seen = Counter((r[parent], r["name"]) for r in rows)
    dup = [k for k, v in seen.items() if v > 1]
    check(not dup, f"{key}: duplicate names within parent: {dup[:5]}")

# every street has >= 3 committees; 街道 have only 居委会
per_street: dict[str, Counter] = defaultdict(Counter)
for c in committees:
    per_street[c["street_code"]][c["kind"]] += 1
for code, s in scodes.items():
    total = sum(per_street[code].values())
    check(total >= 3, f"{s['name']} ({code}): only {total} committees")
    if s["kind"] == "街道":
        check(per_street[code]["村委会"] == 0, f"{s['name']}: 街道 with 村委会")

# report
dname = {d["code"]: d["name"] for d in districts}
print(f"districts {len(districts)}, streets {len(streets)}, "
      f"居委会 {kinds['居委会']}, 村委会 {kinds['村委会']}")
print(f"{'district':<8} streets 街道 镇 乡  居委会 村委会")
for d in districts:
    ss = [s for s in streets if s["district_code"] == d["code"]]
    k = Counter(s["kind"] for s in ss)
    j = sum(per_street[s["code"]]["居委会"] for s in ss)
    v = sum(per_street[s["code"]]["村委会"] for s in ss)
    print(f"{d['name']:<8} {len(ss):>4} {k['街道']:>4} {k['镇']:>3} {k['乡']:>2} {j:>6} {v:>6}")
jd = [per_street[s["code"]]["居委会"] for s in streets if s["kind"] == "街道"]
print(f"居委会 per 街道: min {min(jd)}, max {max(jd)}")

if errors:
    print("\nFAILED:", *errors, sep="\n  ")
    sys.exit(1)
print("all checks passed")
