"""`make run`'s server (scripts/serve.py): gunicorn serves, the job worker runs beside it as a
process of its own, is restarted if it dies, and both stop when the server is stopped or killed."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.reliability import ROOT


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in (b"Z", b"X")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_server_runs_the_job_worker_and_stops_it(tmp_path, how):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/serve.db", FLASK_SECRET_KEY="test",
               FLASK_JOBS_FOLDER=str(tmp_path / "jobs"), FLASK_UPLOAD_FOLDER=str(tmp_path / "uploads"))
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "scripts/serve.py", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                               "wsgi:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        def worker() -> list[int]:
            return [c for c in _children(server.pid) if "jobs worker" in _cmdline(c)]

        _wait(lambda: len(worker()) == 1, 60, "the job worker")

        def up() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).status == 200
            except OSError:
                return False

        _wait(up, 60, "the web server")
        first = worker()[0]
        os.kill(first, signal.SIGKILL)  # a crashed job worker is started again
        _wait(lambda: worker() not in ([], [first]), 30, "a new job worker")
        children = _children(server.pid)
        assert len(children) == 2
        os.kill(server.pid, signal.SIGTERM if how == "sigterm" else signal.SIGKILL)
        if how == "sigterm":
            assert server.wait(60) == 0
        _wait(lambda: not any(_alive(c) for c in children), 60, "the server's processes to stop")
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(30)
