"""The organisation tree's scope is the same in pages and API: a district's users see their
district only (another district's is not found), city users see the whole city."""
from __future__ import annotations

import pytest

from tests.conftest import HONGKOU, PUDONG, district, login
from tests.helpers.web import new_client


@pytest.mark.parametrize("role, code, sees_pudong", [("officer", HONGKOU, False), ("auditor", HONGKOU, False),
                                                     ("auditor", None, True), ("admin", None, True)])
def test_pages_and_api_agree(app, make_user, role, code, sees_pudong):
    from tests.helpers.api import make_token

    user = make_user(role, code, username=f"org{role}{code or 'c'}")
    c = new_client(app)
    login(c, user.username)
    pd = district(PUDONG)
    street = pd.streets[0] if hasattr(pd, "streets") and pd.streets else None
    from sqlalchemy import select

    from hr.core.db import db
    from hr.org.models import Street

    street = db.session.execute(select(Street).where(Street.district_id == pd.id).limit(1)).scalar_one()
    token = make_token(user)
    auth = {"Authorization": f"Bearer {token}"}
    page = c.get(f"/org/district/{PUDONG}").status_code
    street_page = c.get(f"/org/street/{street.id}").status_code
    api = new_client(app).get(f"/api/v1/districts/{pd.id}", headers=auth).status_code
    api_street = new_client(app).get(f"/api/v1/streets/{street.id}", headers=auth).status_code
    expected = 200 if sees_pudong else 404
    assert (page, street_page, api, api_street) == (expected,) * 4
    listing = c.get("/org/").get_data(as_text=True)
    assert ("浦东新区" in listing) == sees_pudong
