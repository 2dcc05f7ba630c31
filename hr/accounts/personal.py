"""Who sees personal data in full: the one policy table, applied by pages, exports, PDFs, the API
and the change history.

| role                 | ID number | bank account | mobile phone |
|----------------------|-----------|--------------|--------------|
| 市级管理员 admin      | full      | full         | full         |
| 区人事专员 officer    | full      | full         | full         |
| 区审核 reviewer       | full      | full         | full         |
| 只读审计 auditor      | masked    | masked       | masked       |

Always within the user's scope (another district's worker is not found at all). Lists, the
worker page's summary and salary slips mask the ID number for everyone (nobody needs it there);
the forms, exports and the bank sheet of the payroll workbook give it in full to the roles above.
Masked: ID number and bank account keep their first 6 and last 4 characters, a phone its first 3
and last 4."""
from __future__ import annotations

from typing import Any

from flask_login import current_user

FULL_ROLES = frozenset({"admin", "officer", "reviewer"})
ID_NUMBER, BANK_ACCOUNT, PHONE = "id_number", "bank_account", "phone"
PERSONAL_FIELDS = frozenset({ID_NUMBER, BANK_ACCOUNT, PHONE})


def sees_full(user: Any = None) -> bool:
    u = current_user if user is None else user
    if not getattr(u, "is_authenticated", False):
        return False
    # The command line's system actor has no role: it acts as the city administrator.
    role = getattr(u, "role", "admin" if getattr(u, "is_admin", False) else None)
    return role in FULL_ROLES


def mask_value(field: str, value: Any) -> Any:
    """`value` of a personal field, masked (other fields and empty values unchanged)."""
    if field not in PERSONAL_FIELDS or not isinstance(value, str) or not value:
        return value
    keep_head, keep_tail = (3, 4) if field == PHONE else (6, 4)
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def shown(field: str, value: Any, user: Any = None) -> Any:
    """`value` as the user may see it."""
    return value if sees_full(user) else mask_value(field, value)


def shown_changes(changes: Any, user: Any = None) -> Any:
    """An audit entry's {field: [before, after]} with personal fields masked for the user."""
    if not isinstance(changes, dict) or sees_full(user):
        return changes
    return {f: ([mask_value(f, v) for v in pair] if isinstance(pair, list) else mask_value(f, pair))
            for f, pair in changes.items()}
