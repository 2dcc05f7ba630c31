"""The web's unit of work: one commit when the services succeed; on a domain error a rollback and
the Chinese message on the form field at fault or as a flash message; anything else rolls back
and propagates."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, get_flashed_messages
from wtforms import StringField

from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.forms import Form
from hr.core.unit_of_work import unit_of_work
from hr.org.models import District


class NameForm(Form):
    name = StringField()


def _names() -> set[str]:
    with db.engine.connect() as conn:  # another connection: sees only what was committed
        return set(conn.execute(sa.select(District.name)).scalars())


def _rename(code: str, name: str) -> None:
    d = db.session.execute(sa.select(District).where(District.code == code)).scalar_one()
    d.name = name
    db.session.flush()


def test_success_commits_once(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        with unit_of_work() as work:
            _rename("310109", "虹口区（改）")
        assert work.ok and work.error is None
        assert "虹口区（改）" in _names()
        assert get_flashed_messages() == []


def test_a_domain_error_rolls_back_and_flashes_its_message(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        with unit_of_work() as work:
            _rename("310109", "虹口区（改）")
            raise Conflict("当前状态不允许此操作。")
        assert not work.ok and isinstance(work.error, Conflict)
        assert "虹口区（改）" not in _names()
        assert db.session.execute(sa.select(District.name).where(District.code == "310109")).scalar_one() == "虹口区"
        assert get_flashed_messages(with_categories=True) == [("danger", "当前状态不允许此操作。")]


def test_a_domain_error_naming_a_field_goes_beside_it(app: Flask) -> None:
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = NameForm()
        with unit_of_work(form) as work:
            raise DomainError("名称已存在", field="name")
        assert not work.ok
        assert form.name.errors == ["名称已存在"]
        assert get_flashed_messages() == []


def test_several_messages_by_field_and_the_rest_flashed(app: Flask) -> None:
    class Invalid(DomainError):
        def __init__(self, errors: dict[str, str]) -> None:
            super().__init__("；".join(errors.values()))
            self.errors = errors

    with app.test_request_context(method="POST", data={"name": "x"}):
        form = NameForm()
        with unit_of_work(form):
            raise Invalid({"name": "名称过长", "other": "日期有误"})
        assert form.name.errors == ["名称过长"]
        assert get_flashed_messages() == ["日期有误"]


def test_show_false_leaves_the_message_to_the_view(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        with unit_of_work(show=False) as work:
            raise DomainError("不能导出")
        assert work.error is not None and work.error.message == "不能导出"
        assert get_flashed_messages() == []


def test_other_errors_roll_back_propagate_and_undo(app: Flask) -> None:
    undone: list[Any] = []
    with app.test_request_context(method="POST"):
        with pytest.raises(RuntimeError), unit_of_work() as work:
            _rename("310109", "虹口区（改）")
            work.on_rollback(lambda: undone.append("file removed"))
            raise RuntimeError("disk full")
        assert "虹口区（改）" not in _names()
        assert undone == ["file removed"]
