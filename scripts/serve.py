"""`make run`'s server: gunicorn in the foreground and the job worker (`flask jobs worker`)
beside it, as two processes of their own. The job worker is restarted if it dies, and stops
when the server stops (Ctrl-C, SIGTERM, or this process killed: the kernel then sends it
SIGTERM). Exits with gunicorn's status.

Usage: python scripts/serve.py GUNICORN_ARGS...
"""
from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when this supervisor goes, however it goes."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _start(cmd: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, cwd=ROOT, preexec_fn=_die_with_parent)


def main(args: list[str]) -> int:
    bindir = Path(sys.executable).parent
    web = _start([str(bindir / "gunicorn"), *args])
    worker_cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"]
    worker = _start(worker_cmd)
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in (web, worker):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while web.poll() is None:
            if worker.poll() is not None and not stopping:
                print(f"job worker exited ({worker.returncode}); restarting", file=sys.stderr, flush=True)
                time.sleep(1)
                worker = _start(worker_cmd)
            time.sleep(0.5)
    finally:
        stopping = True
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return web.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
