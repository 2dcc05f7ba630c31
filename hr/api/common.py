"""Helpers shared by the API modules (hr and payroll alike)."""
from __future__ import annotations

from flask_login import current_user

from hr.accounts.scope import get_in_scope
from hr.core.errors import NotFound, ValidationError
from hr.org.models import District


def chosen_district(district_id: int | None, field: str = "district_id") -> District:
    """The district an operation is about: an officer's own (another id is answered as
    missing), or the one a city-wide user names (required then)."""
    own = current_user.district_id
    if own is not None:
        if district_id is not None and district_id != own:
            raise NotFound("记录不存在或不在您的管辖范围内。")
        return get_in_scope(District, own, district_attr="id")
    if district_id is None:
        raise ValidationError("全市账号须指定区（district_id）", field)
    return get_in_scope(District, district_id, district_attr="id")
