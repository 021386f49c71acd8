"""Throughput and latency of the dashboard and the events list under concurrent load.

gunicorn serves the application (``bench.settings``: the test settings plus a bare
view) with sync workers against the national data set on PostgreSQL; ``wrk``
runs in a second process on loopback with 16 connections, signed in through a
session cookie, against the bare view (the framework's floor), the dashboard and
the events list, one after the other in the same run.

For these measures ``wall_s`` is the server's time per request at the measured
throughput (1 / requests per second), so ``ratio`` is the bare view's throughput
divided by the page's (the target "at least 40 % of the bare view" is ratio ≤ 2.5).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.national import first_center, national_scale
from bench.pages import page_urls
from bench.run import OPTIONS, ROOT, measurement
from bench.urls import BARE_URL

CONNECTIONS = 16
WORKERS = 3  # sync workers: 2–4 on a 2-core machine
# wrk's --latency prints 50/75/90/99 %; this script adds 95 % (all in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("PCT p50=%d p95=%d p99=%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  io.write(string.format("TOTALS requests=%d errors=%d\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie(center: Any) -> str:
    """A signed-in editor's session, as the browser would send it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from bench.pages import signed_in_client

    signed_in_client(center)  # creates the editor and the membership
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench-reader")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wrk(url: str, cookie: str, seconds: int, script: Path) -> dict[str, Any]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, Any]:
    """Requests per second and the latency percentiles (ms) from wrk's report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    pct = re.search(r"PCT p50=(\d+) p95=(\d+) p99=(\d+)", out)
    totals = re.search(r"TOTALS requests=(\d+) errors=(\d+)", out)
    if not (rps and pct and totals):
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return {
        "output": out,
        "rps": float(rps.group(1)),
        "p50_ms": int(pct.group(1)) / 1000,
        "p95_ms": int(pct.group(2)) / 1000,
        "p99_ms": int(pct.group(3)) / 1000,
        "requests": int(totals.group(1)),
        "errors": int(totals.group(2)),
    }


def wait_until_idle(base: str, cookie: str) -> None:
    """Wait until the workers have drained the requests wrk left queued when it stopped.

    Sync workers serve every accepted connection, so a slow page leaves a backlog
    that would otherwise be served during the next measurement. The bare view
    answers at once only when a worker is free.
    """
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        start = time.perf_counter()
        request = urllib.request.Request(base + BARE_URL, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
        if time.perf_counter() - start < 0.05:
            return
    raise RuntimeError("the server did not drain its queue within five minutes")


def wait_until_up(url: str, cookie: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it answered")
        try:
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.geturl() != url:  # redirected: the session did not sign in
                    raise RuntimeError(f"{url} redirected to {response.geturl()}")
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within a minute")


def measure(database: str) -> list[dict[str, Any]]:
    if database != "postgresql":
        print("[bench] web load is measured on PostgreSQL only", file=sys.stderr)
        return []
    from django.db import connections

    scale = national_scale()
    center, year = first_center()
    cookie = session_cookie(center)
    connections.close_all()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    seconds, warm = (10, 3) if OPTIONS.quick else (30, 5)
    targets = {"bare": BARE_URL, **page_urls(center, year)}
    # BENCH_WEB_PAGES=dashboard,event_list: only those pages (and the bare view).
    if only := [name for name in os.environ.get("BENCH_WEB_PAGES", "").split(",") if name]:
        unknown = set(only) - set(targets)
        if unknown:
            raise RuntimeError(f"BENCH_WEB_PAGES: no such page {sorted(unknown)}")
        targets = {name: targets[name] for name in ["bare", *only]}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "oppdrag.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "percentiles.lua"
            script.write_text(WRK_SCRIPT)
            for path in targets.values():
                wait_until_up(base + path, cookie, server)
            runs = {}
            for name, path in targets.items():
                wrk(base + path, cookie, warm, script)  # warm the workers' caches
                wait_until_idle(base, cookie)
                runs[name] = wrk(base + path, cookie, seconds, script)
                wait_until_idle(base, cookie)
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor = 1 / runs["bare"]["rps"]
    for name, run in runs.items():
        if not run["requests"]:
            raise RuntimeError(f"{name}: no request completed in {seconds} s:\n{run['output']}")
        results.append(
            measurement(
                f"web_{name}",
                database,
                scale,
                1 / run["rps"],
                f"bare Django view under the same load ({WORKERS} gunicorn sync workers, "
                f"wrk {CONNECTIONS} connections)",
                floor,
                rps=run["rps"],
                p50_ms=run["p50_ms"],
                p95_ms=run["p95_ms"],
                p99_ms=run["p99_ms"],
                requests=run["requests"],
                errors=run["errors"],  # timeouts (10 s) and answers other than 2xx/3xx
                share_of_bare_rps=round(run["rps"] / runs["bare"]["rps"], 3),
            )
        )
    return results
