"""The worker page's section of payroll inputs."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.grades.queries import settings_for
from payroll.inputs.models import Adjustment, BaseOverride, PayProfile, TaxOption
from payroll.inputs.options import BONUS_TAX_MODES
from payroll.inputs.services import closed_runs, declarations_of
from payroll.runs.paid import adjustment_states

ADJUSTMENTS_SHOWN = 36


def inputs_panel(worker: Any) -> tuple[str, dict[str, Any]]:
    adjustments = list(db.session.execute(
        select(Adjustment).where(Adjustment.worker_id == worker.id)
        .order_by(Adjustment.pay_month.desc(), Adjustment.id.desc()).limit(ADJUSTMENTS_SHOWN)
    ).scalars())
    return "payroll/inputs/_panel.html", {
        "worker": worker,
        "declarations": declarations_of(worker.id),
        "overrides": list(db.session.execute(
            select(BaseOverride).where(BaseOverride.worker_id == worker.id)
            .order_by(BaseOverride.year_start.desc())).scalars()),
        "profile": db.session.get(PayProfile, worker.id),
        "district_hf": settings_for(worker.district_id).hf_rate_pct,
        "options": list(db.session.execute(
            select(TaxOption).where(TaxOption.worker_id == worker.id).order_by(TaxOption.year.desc())).scalars()),
        "bonus_modes": BONUS_TAX_MODES,
        "adjustments": adjustments,
        "closed": closed_runs(worker.district_id, [a.pay_month for a in adjustments]),
        "paid": adjustment_states(adjustments),
    }
