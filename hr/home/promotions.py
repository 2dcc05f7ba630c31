"""How many rises of a promotion run wait for approval, per district, remembered between
requests: the run reads the register, the timelines and the ratings, so it is computed again
only when one of them changed (a grouped query per table gives the fingerprint)."""
from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy import func, select

from hr.core.db import db
from hr.grades import promotion
from hr.grades.models import Assessment, Assignment
from hr.workers.models import Worker

_lock = threading.Lock()
_memo: dict[tuple[int, int], tuple[tuple[object, ...], int]] = {}


def _fingerprints(district_ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
    parts: dict[int, list[object]] = {d: [] for d in district_ids}
    for model, stamp in ((Worker, Worker.updated_at), (Assignment, Assignment.id), (Assessment, Assessment.entered_at)):
        rows = dict((d, (n, m)) for d, n, m in db.session.execute(
            select(model.district_id, func.count(model.id), func.max(stamp))
            .where(model.district_id.in_(list(district_ids))).group_by(model.district_id)))
        for d in district_ids:
            parts[d].append(rows.get(d))
    return {d: tuple(p) for d, p in parts.items()}


def waiting(district_ids: Sequence[int], year: int) -> dict[int, int]:
    """district id → approvable rises of the run for 1 January of `year`."""
    out: dict[int, int] = {}
    for d, key in _fingerprints(district_ids).items():
        with _lock:
            hit = _memo.get((d, year))
        if hit is not None and hit[0] == key:
            out[d] = hit[1]
            continue
        n = sum(1 for line in promotion.compute(d, year) if line.approvable)
        with _lock:
            _memo[(d, year)] = (key, n)
        out[d] = n
    return out
