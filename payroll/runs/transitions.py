"""The one transition table of a payroll run: draft → calculated → approved → locked."""
from __future__ import annotations

from hr.core.errors import Conflict

TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "calculate"): "calculated",
    ("calculated", "calculate"): "calculated",
    ("calculated", "approve"): "approved",
    ("approved", "reopen"): "calculated",
    ("approved", "lock"): "locked",
}

ACTIONS = {"calculate": "计算", "approve": "审批", "reopen": "退回重算", "lock": "锁定"}


class IllegalTransition(Conflict):
    """The action is not allowed in the run's current state."""


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        if status == "locked":
            raise IllegalTransition("该月工资已锁定，不能再修改。更正请在下一个未锁定月份以补发/补扣处理。") from None
        from payroll.runs.models import STATUSES

        raise IllegalTransition(
            f"当前状态为“{STATUSES.get(status, status)}”，不能执行“{ACTIONS.get(action, action)}”。"
        ) from None


def allowed(status: str) -> list[str]:
    return [action for (s, action) in TRANSITIONS if s == status]
