"""Login throttling: atomic under parallel guesses, keyed so that a stranger cannot shut a known
account out, and answering a known and an unknown name alike."""
from __future__ import annotations

import threading
import time

from tests.conftest import PASSWORD
from tests.helpers.web import new_client


def _login(client, username: str, password: str, address: str = "127.0.0.1") -> tuple[int, str]:
    resp = client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})
    text = resp.get_data(as_text=True)
    if resp.status_code == 302:
        return 302, "ok"
    for answer in ("用户名或密码错误", "过于频繁", "停用"):
        if answer in text:
            return resp.status_code, answer
    return resp.status_code, text[-300:]


def test_forty_parallel_guesses_get_five_checks(app, make_user):
    make_user("admin", username="admin")
    barrier = threading.Barrier(40, timeout=60)
    answers: list[str] = []
    lock = threading.Lock()

    def guess(i: int) -> None:
        client = new_client(app)
        barrier.wait()
        _, answer = _login(client, "admin", f"wrong-guess-{i}")
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(answers) == 40
    assert answers.count("用户名或密码错误") == app.config["LOGIN_MAX_FAILURES"], answers
    assert answers.count("过于频繁") == 40 - app.config["LOGIN_MAX_FAILURES"]


def test_a_stranger_cannot_lock_the_owner_out(app, make_user):
    make_user("admin", username="admin")
    stranger, owner = new_client(app), new_client(app)
    for i in range(12):
        _login(stranger, "admin", f"wrong-{i}", "203.0.113.9")
    assert _login(stranger, "admin", PASSWORD, "203.0.113.9")[1] == "过于频繁"
    assert _login(owner, "admin", PASSWORD, "198.51.100.7") == (302, "ok")


def test_known_and_unknown_names_get_the_same_answers(app, make_user):
    make_user("officer", username="hk")
    seen = []
    for name in ("hk", "nosuchuser"):
        client = new_client(app)
        seen.append([_login(client, name, f"wrong-{i}", "192.0.2.1") for i in range(8)])
    assert seen[0] == seen[1]
    assert [a for _, a in seen[0]] == ["用户名或密码错误"] * 5 + ["过于频繁"] * 3


def test_one_address_guessing_many_names_is_stopped(app, make_user):
    limit = app.config["LOGIN_MAX_PER_ADDRESS"]
    make_user("officer", username="hk")
    client = new_client(app)
    answers = [_login(client, f"name{i}", "wrong-pass", "192.0.2.50")[1] for i in range(limit)]
    assert set(answers) == {"用户名或密码错误"}
    assert _login(client, "hk", PASSWORD, "192.0.2.50")[1] == "过于频繁"
    assert _login(client, "hk", PASSWORD, "192.0.2.51") == (302, "ok")


def test_many_addresses_on_one_name_are_slowed_not_shut(app, make_user, monkeypatch):
    from hr.core import ratelimit

    make_user("admin", username="admin")
    now = [time.time()]
    monkeypatch.setattr(ratelimit, "_clock", lambda: now[0])
    client = new_client(app)
    after = app.config["LOGIN_ACCOUNT_SLOW_AFTER"]
    answers = [_login(client, "admin", "wrong-pass", f"10.1.{i // 250}.{i % 250}")[1] for i in range(after + 5)]
    assert answers[:after] == ["用户名或密码错误"] * after
    assert "过于频繁" in answers[after:]  # at most one check per slot past the threshold
    now[0] += app.config["LOGIN_ACCOUNT_SLOW_SECONDS"] + 0.01
    assert _login(client, "admin", PASSWORD, "10.9.9.9") == (302, "ok")
