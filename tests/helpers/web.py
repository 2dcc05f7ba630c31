"""Helpers for tests that go through the web: clients, response text, settings for a block."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient


class RequestClient(FlaskClient):
    """Runs each request in an application context of its own, as a server does. The autouse
    `_clean_db` fixture keeps one context pushed for the test, and Flask would reuse it for
    requests: every request of a test would then share `g` (where Flask-Login caches the user,
    so a second client would act as the first one's user) and one database session."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            return super().open(*args, **kwargs)


def new_client(app: Flask) -> FlaskClient:
    """A client of its own (cookies, session), each request in its own application context."""
    return RequestClient(app, app.response_class, use_cookies=True)


def text(resp: Any) -> str:
    return resp.get_data(as_text=True)  # type: ignore[no-any-return]


@contextmanager
def config(app: Flask, **values: Any) -> Iterator[None]:
    """Change app settings for the duration of a block (CSRF, limits, thresholds, the job backend)."""
    old = {k: app.config.get(k) for k in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)
