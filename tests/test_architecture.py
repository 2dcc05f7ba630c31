"""The dependency rules of the architecture: the calculation core is standard library only,
and the people side never imports the money side."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_calc_core_uses_the_standard_library_only():
    allowed = set(sys.stdlib_module_names) | {"payroll"}
    for path in (ROOT / "payroll" / "calc").glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in allowed, f"{path.name} imports {name}"
            if top == "payroll":
                assert name.startswith("payroll.calc"), f"{path.name} imports {name}"


def test_hr_never_imports_payroll():
    for path in (ROOT / "hr").rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith("payroll"), f"{path.relative_to(ROOT)} imports {name}"


def test_only_the_factory_imports_the_statistics():
    """stats reads both sides; neither side, nor the seed, depends on it."""
    for package in ("hr", "payroll", "seed"):
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path):
                assert not name.startswith("stats"), f"{path.relative_to(ROOT)} imports {name}"


# The pay rules' primitives: only payroll/calc (behind payslip.price) may call them.
PRICING_MODULES = ("payroll.calc.contributions", "payroll.calc.earnings", "payroll.calc.tax")
PRICING_NAMES = {"special_due", "cumulative_special", "special_for_month", "annual_bonus", "monthly_tax",
                 "separate_bonus_tax", "employee_contributions", "employer_contributions", "clamp_bases",
                 "contribution_base", "month_earnings", "standard_monthly", "basic_deduction", "annual_tax"}
ALLOWED_FROM_TAX = {"TaxState"}  # a carry-over value, not a rule


def test_no_pricing_outside_the_calculation_core():
    """No module outside payroll/calc computes a contribution, a tax or a bonus: the run, the
    trial, the budget and back pay all go through payroll.calc.payslip.price."""
    for package in ("hr", "payroll", "seed", "stats"):
        for path in (ROOT / package).rglob("*.py"):
            if path.is_relative_to(ROOT / "payroll" / "calc"):
                continue
            where = path.relative_to(ROOT)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        assert not alias.name.startswith(PRICING_MODULES), f"{where} imports {alias.name}"
                elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("payroll.calc"):
                    names = {a.name for a in node.names}
                    if node.module.startswith(PRICING_MODULES):
                        assert names <= ALLOWED_FROM_TAX, f"{where} imports {names} from {node.module}"
                    assert not names & PRICING_NAMES, f"{where} imports {names & PRICING_NAMES}"
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                      and node.func.attr in PRICING_NAMES):
                    raise AssertionError(f"{where} calls {node.func.attr}")
