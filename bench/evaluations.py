"""Load on the public answer page: 500 participants answer right after a webinar.

Starts gunicorn on loopback against the benchmark database, then from this process
(a separate one from the server) 500 simulated participants each open the page
(GET: form, CSRF cookie, nonce) and submit a complete answer (POST, 303 expected),
with ``CONCURRENCY`` of them at a time. Every non-2xx/303 answer counts as an
error, and the database must hold exactly 500 new responses afterwards. The floor is
the same number of requests, at the same concurrency, to a bare Django view on the
same server.

``measure(database)`` uses the database Django is configured with (``DATABASE_URL``);
``python -m bench.evaluations [--database-url URL]`` runs it alone (a temporary
SQLite file by default) and prints JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PARTICIPANTS = 500
CONCURRENCY = 16
WORKERS = 2
THREADS = 4
ROOT = Path(__file__).resolve().parents[1]
NONCE = re.compile(r'name="skjemakode" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.evaluations_server",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread",
         "--log-level", "warning", "oppdrag.wsgi:application"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/floor/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start (see its output above)")


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.msg.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value


def participant(port: int, token: str) -> tuple[list[float], list[str]]:
    """One participant: open the page, then answer. Returns latencies and errors."""
    times, errors = [], []
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    conn.request("GET", f"/svar/{token}/")
    response = conn.getresponse()
    html = response.read().decode()
    times.append(time.perf_counter() - start)
    if response.status != 200:
        return times, [f"GET {response.status}"]
    _cookies(response, jar)
    nonce, csrf = NONCE.search(html), CSRF.search(html)
    if not nonce or not csrf:
        return times, ["form without nonce or CSRF token"]
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "skjemakode": nonce.group(1),
            "q-relevance": "4",
            "q-usefulness": "5",
            "q-quality": "4",
            "q-recommend": "5",
            "q-change": "Mer tid til spørsmål.",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
    }
    start = time.perf_counter()
    conn.request("POST", f"/svar/{token}/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    times.append(time.perf_counter() - start)
    if response.status != 303:
        errors.append(f"POST {response.status}")
    conn.close()
    return times, errors


def floor_requests(port: int) -> tuple[list[float], list[str]]:
    """The floor for one participant: two requests to the bare view."""
    times, errors = [], []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(2):
        start = time.perf_counter()
        conn.request("GET", "/bench/floor/")
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            errors.append(f"floor {response.status}")
    conn.close()
    return times, errors


def run_load(work: Any, count: int) -> tuple[float, list[float], list[str]]:
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda _i: work(), range(count)))
    wall = time.perf_counter() - start
    times = [t for ts, _e in results for t in ts]
    errors = [e for _t, es in results for e in es]
    return wall, times, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def prepare() -> str:
    """A fresh centre, event and standard evaluation; returns the public token."""
    from django.core.management import call_command
    from django.utils import timezone

    from oppdrag.activities.models import Event
    from oppdrag.core.models import Center
    from oppdrag.core.services import create_center
    from oppdrag.evaluations import services

    call_command("migrate", verbosity=0)
    Center.objects.filter(slug="bench-evaluering").delete()
    center = create_center(slug="bench-evaluering", name="Bench", short_name="BENCH")
    event = Event.objects.create(
        center=center, year=timezone.localdate().year, theme="Webinar", title="Webinar",
        participants=PARTICIPANTS,
    )  # fmt: skip
    survey = services.attach_evaluation(
        center=center, questionnaire=services.standard_questionnaire(), event=event
    )
    return survey.token


def measure(database: str) -> list[dict[str, Any]]:
    """The load measurement on the configured database; raises on any error."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.test")
    django.setup()
    from django.db import connections

    from bench.run import measurement
    from oppdrag.evaluations.models import Response

    token = prepare()
    connections.close_all()
    port = free_port()
    server = start_server(port)
    try:
        floor_wall, floor_times, floor_errors = run_load(lambda: floor_requests(port), PARTICIPANTS)
        wall, times, errors = run_load(lambda: participant(port, token), PARTICIPANTS)
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved = Response.objects.filter(survey__token=token).count()
    if errors or floor_errors or saved != PARTICIPANTS:
        raise RuntimeError(
            f"load errors: {sorted(set(errors + floor_errors))[:5]} "
            f"({len(errors)} errors, {saved} of {PARTICIPANTS} answers saved)"
        )
    return [
        measurement(
            "evaluation_answers_load",
            database,
            f"{PARTICIPANTS} participants, {CONCURRENCY} at a time",
            wall,
            "bare Django view, same number of requests and server",
            floor_wall,
            requests=len(times),
            errors=len(errors),
            rps=round(len(times) / wall, 1),
            p50_ms=round(statistics.median(times) * 1000, 1),
            p95_ms=round(percentile(times, 95) * 1000, 1),
            p99_ms=round(percentile(times, 99) * 1000, 1),
            floor_rps=round(len(floor_times) / floor_wall, 1),
            floor_p95_ms=round(percentile(floor_times, 95) * 1000, 1),
            server=f"gunicorn {WORKERS} workers x {THREADS} threads on loopback",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="defaults to a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench-evaluations.sqlite3"
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.test")
        name = "postgresql" if url.startswith("postgres") else "sqlite"
        json.dump(measure(name), sys.stdout, indent=2)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
