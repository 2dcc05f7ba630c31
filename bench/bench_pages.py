"""The register list page and a worker page under 8 concurrent clients against gunicorn on the
seeded city (SQLite): p50, p95, requests/s, errors. Loopback only, bounded request counts."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

from bench.common import ROOT, city_url, ensure_city, report

CLIENTS = 8
REQUESTS_PER_CLIENT = 60
PASSWORD = os.environ.get("DEMO_PASSWORD") or "Shequ2026demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    data = urllib.parse.urlencode({"username": "pudong", "password": PASSWORD,
                                   "csrf_token": token.group(1) if token else ""}).encode()
    opener.open(base + "/login", data=data, timeout=30).read()
    return opener


def _load(base: str, paths: list[str]) -> dict[str, float]:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def work(i: int) -> None:
        opener = _client(base)
        for k in range(REQUESTS_PER_CLIENT):
            path = paths[(i * REQUESTS_PER_CLIENT + k) % len(paths)]
            start = time.perf_counter()
            try:
                with opener.open(base + path, timeout=30) as resp:
                    resp.read()
                    ok = resp.status == 200 and "/login" not in resp.url
            except Exception:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if not ok:
                    errors[0] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    q = statistics.quantiles(times, n=100)
    return {"requests": len(times), "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "rps": len(times) / wall, "errors": errors[0]}


def main() -> None:
    ensure_city()
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=city_url(), FLASK_SESSION_COOKIE_SECURE="false")
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "wsgi:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        opener = _client(base)
        listing = opener.open(base + "/workers/?page=3", timeout=30).read().decode()
        ids = sorted(set(re.findall(r'href="/workers/(\d+)"', listing)))[:40] or ["1"]
        list_paths = [f"/workers/?page={p}" for p in range(1, 41)] + [
            "/workers/?q=" + urllib.parse.quote("张"), "/workers/?sort=hire_date&dir=desc"]
        report("page_worker_list", {"clients": CLIENTS, **_load(base, list_paths)})
        report("page_worker", {"clients": CLIENTS, **_load(base, [f"/workers/{i}" for i in ids])})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
