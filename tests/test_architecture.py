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
