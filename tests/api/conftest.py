"""Fixtures of the API tests: token-authenticated clients by role and district, and a small
world in two districts (虹口区 and 浦东新区): workers with posts and ratings, a studio with a
cohort, a pairing and an activity, and a calculated payroll run, each made through the services
(or, for posts and ratings, as rows, like the other test suites do)."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.api import (
    ApiClient,
    World,
    build_place,
    make_token,
)


@pytest.fixture
def api_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., ApiClient]:
    """api_as("officer", HONGKOU): a client with a fresh token of a new user of that role."""
    counter = itertools.count()

    def make(role: str, district_code: str | None = HONGKOU) -> ApiClient:
        user = make_user(role, district_code, username=f"api{role}{next(counter)}")
        return ApiClient(app, make_token(user), user)

    return make


@pytest.fixture
def anonymous(app: Flask) -> ApiClient:
    return ApiClient(app, None)


@pytest.fixture
def world(make_user: Callable[..., Any]) -> World:
    admin = make_user("admin", username="worldadmin")
    hk = build_place(HONGKOU, admin, make_user("officer", HONGKOU, username="worldhk"))
    pd = build_place(PUDONG, admin, make_user("officer", PUDONG, username="worldpd"))
    return World(hk, pd, admin)
