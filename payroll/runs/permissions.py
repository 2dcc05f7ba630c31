"""Which run actions a user's role allows: officers and the city administrator do everything;
a reviewer (区审核) approves and sends back, and never calculates or locks."""
from __future__ import annotations

from typing import Any

APPROVAL_ACTIONS = ("approve", "reopen")


def may(user: Any, action: str) -> bool:
    if getattr(user, "can_write", False):
        return True
    return action in APPROVAL_ACTIONS and bool(getattr(user, "can_approve", False))
