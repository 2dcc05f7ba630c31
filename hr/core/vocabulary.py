"""The domain's words, declared once: posts and their grade ranges, assessment ratings, education,
political status, professional qualifications and their levels, worker statuses, genders.

Every form, schema, import, report and rule imports them from here. The calculation core
(``payroll.calc.reference``) keeps its own copy of posts, ratings and qualifications because it
imports nothing of the application; a test checks that the two agree.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# --- posts (三岗) and grades (十八级) -------------------------------------------------------------

LEAD: Final = "LEAD"
SUPV: Final = "SUPV"
STAF: Final = "STAF"
POSTS: Final[tuple[str, ...]] = (LEAD, SUPV, STAF)
"""Post codes, most senior first."""
POST_NAMES: Final[Mapping[str, str]] = MappingProxyType({LEAD: "负责人", SUPV: "主管", STAF: "工作人员"})
"""Post code -> Chinese name."""
POST_BY_NAME: Final[Mapping[str, str]] = MappingProxyType({name: code for code, name in POST_NAMES.items()})
"""Chinese name -> post code."""
POST_RANGES: Final[Mapping[str, tuple[int, int]]] = MappingProxyType({LEAD: (7, 18), SUPV: (4, 15), STAF: (1, 12)})
"""Post code -> (lowest, highest) grade of the post."""
POST_SENIORITY: Final[Mapping[str, int]] = MappingProxyType({STAF: 1, SUPV: 2, LEAD: 3})
"""Post code -> rank, higher is more senior."""
GRADES: Final[tuple[int, ...]] = tuple(range(1, 19))

# --- annual assessment ----------------------------------------------------------------------

RATINGS: Final[tuple[str, ...]] = ("优秀", "合格", "基本合格", "不合格")
"""Assessment ratings, best first."""

# --- the register's personal fields --------------------------------------------------------------

EDUCATIONS: Final[tuple[str, ...]] = ("高中/中专", "大专", "本科", "硕士", "博士")
POLITICAL_STATUSES: Final[tuple[str, ...]] = ("中共党员", "中共预备党员", "共青团员", "民主党派", "群众")
GENDERS: Final[tuple[str, ...]] = ("男", "女")

NO_QUALIFICATION: Final = "无"
QUALIFICATIONS: Final[tuple[str, ...]] = (NO_QUALIFICATION, "助理社会工作师", "社会工作师", "高级社会工作师")
"""Professional qualifications, lowest first; ``无`` is none."""
HELD_QUALIFICATIONS: Final[tuple[str, ...]] = QUALIFICATIONS[1:]
"""The qualifications a worker can hold (and be paid an allowance for)."""
QUALIFICATION_LEVELS: Final[Mapping[str, int]] = MappingProxyType(
    {NO_QUALIFICATION: 0, "": 0, **{q: level for level, q in enumerate(HELD_QUALIFICATIONS, start=1)}})
"""Qualification -> level 0..3 (an empty value is no qualification)."""

IN_SERVICE: Final = "在职"
WORKER_STATUSES: Final[tuple[str, ...]] = (IN_SERVICE, "离职", "退休")
