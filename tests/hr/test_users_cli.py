"""`flask users create NAME --role ROLE [--district CODE]`, password on stdin."""
import pytest

from tests.conftest import login

GOOD = "Str0ng-pass-x\n"


def _user(username):
    from hr.accounts.models import User
    from hr.core.db import db

    db.session.expire_all()
    return db.session.query(User).filter_by(username=username).one_or_none()


@pytest.mark.parametrize("args, role, district", [
    (["pd1", "--role", "officer", "--district", "310115"], "officer", "浦东新区"),
    (["city", "--role", "admin"], "admin", None),
    (["aud", "--role", "auditor"], "auditor", None),
    (["aud2", "--role", "auditor", "--district", "310109"], "auditor", "虹口区"),
])
def test_create_accounts(runner, client, args, role, district):
    result = runner.invoke(args=["users", "create", *args], input=GOOD)
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    user = _user(args[0])
    assert user.role == role
    assert (user.district.name if user.district else None) == district
    assert login(client, args[0], GOOD.strip()).status_code == 302


@pytest.mark.parametrize("args, stdin, message", [
    (["x1", "--role", "boss"], GOOD, "角色"),
    (["x2", "--role", "officer"], GOOD, "区人事专员必须指定所属区"),
    (["x3", "--role", "officer", "--district", "999999"], GOOD, "区代码 999999 不存在"),
    (["x4", "--role", "admin", "--district", "310109"], GOOD, "市级管理员不属于某一个区"),
    (["x5", "--role", "auditor"], "short1\n", "密码至少 10 位"),
    (["x6", "--role", "auditor"], "onlyletterspassword\n", "字母和数字"),
    (["x7", "--role", "auditor"], "x7x7x7x7x7x7x\n", "不能包含用户名"),
    (["x8", "--role", "auditor"], "", "密码至少"),
    (["9bad", "--role", "auditor"], GOOD, "用户名须以小写字母开头"),
])
def test_refusals_exit_non_zero_with_a_chinese_message(runner, args, stdin, message):
    result = runner.invoke(args=["users", "create", *args], input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert _user(args[0]) is None


def test_duplicate_user_name_is_refused(runner):
    assert runner.invoke(args=["users", "create", "dup", "--role", "auditor"], input=GOOD).exit_code == 0
    result = runner.invoke(args=["users", "create", "dup", "--role", "auditor"], input=GOOD)
    assert result.exit_code != 0 and "已存在" in result.output
