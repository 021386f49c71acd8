"""The production set-up as an operator runs it (deploy/): several gunicorn processes in
front of one PostgreSQL with the production settings, and the nightly backup restored.

These start their own databases on the PostgreSQL server of the suite (TEST_POSTGRES_URL,
which scripts/test.sh always sets), whichever database the rest of the suite runs on.
"""

from __future__ import annotations

import http.cookies
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.database_templates import postgres_template

ROOT = Path(__file__).resolve().parent.parent
# The production set-up runs on PostgreSQL only; the SQLite pass of the suite leaves
# these to the PostgreSQL pass (scripts/test.sh always runs both).
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production set-up is tested in the PostgreSQL pass",
)
TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
SERVER = TEST_POSTGRES_URL.rsplit("/", 1)[0]
PREFIX = TEST_POSTGRES_URL.rsplit("/", 1)[1]
PASSWORD = "riktig-hest-batteri-stift"


@contextmanager
def scratch_database(purpose: str) -> Iterator[str]:
    """A new database copied from the migrated template, dropped afterwards."""
    name = f"{PREFIX}_{purpose}_{os.getpid()}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template(TEST_POSTGRES_URL)}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def oppdrag(database_url: str, *args: str, env: dict[str, str] | None = None) -> str:
    env = env or {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test",
        "DATABASE_URL": database_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "oppdrag.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oppdrag.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "deploy-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "OPPDRAG_VAR_DIR": str(var_dir),
        "OPPDRAG_LOG_LEVEL": "INFO",
    }


class Process:
    """One gunicorn process (one sync worker) with the production settings."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "oppdrag.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.server.poll() is None, self.log.read_text()
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def get(self, path: str, cookies: dict[str, str] | None = None, **headers: str):
        return self.request("GET", path, None, cookies, headers)

    def request(self, method, path, body, cookies, headers):  # type: ignore[no-untyped-def]
        # Behind the proxy the request arrived over HTTPS (nginx.conf sets the header);
        # the cookies are Secure, so they are sent by hand over this plain socket.
        headers = {"X-Forwarded-Proto": "https", **headers}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def cookies_of(headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    jar: dict[str, str] = {}
    for header in headers.get_all("Set-Cookie") or []:
        parsed = http.cookies.SimpleCookie(header)
        jar.update({key: morsel.value for key, morsel in parsed.items()})
    return jar


def sign_in(process: Process, username: str) -> dict[str, str]:
    status, body, headers = process.get("/logg-inn/")
    assert status == 200
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": PASSWORD}
    ).encode()
    status, _body, headers = process.request(
        "POST",
        "/logg-inn/",
        form,
        jar,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{process.port}/logg-inn/",
        },
    )
    assert status == 302, _body[:2000]
    jar.update(cookies_of(headers))
    assert "sessionid" in jar
    return jar


SET_UP = f"""
from django.contrib.auth import get_user_model
from oppdrag.core.models import Membership
from oppdrag.core.services import add_member, create_center
center = create_center(slug="alfa", name="Senter Alfa", short_name="ALFA")
user = get_user_model().objects.create_user("anne", password="{PASSWORD}")
add_member(center=center, user=user, role=Membership.Role.EDITOR)
"""


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory) -> Iterator[tuple[Process, Process, str]]:
    tmp = tmp_path_factory.mktemp("deploy")
    with scratch_database("processes") as url:
        env = production_env(url, tmp)
        # Made under the production settings, so the password has their hasher.
        oppdrag(url, "shell", "--no-imports", "-c", SET_UP, env=env)
        oppdrag(url, "collectstatic", "--noinput", "-v", "0", env=env)
        processes = [Process(env, tmp / f"gunicorn-{n}.log") for n in (1, 2)]
        worker = subprocess.Popen(
            [sys.executable, "-m", "oppdrag.cli", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=(tmp / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            for process in processes:
                process.wait()
            yield processes[0], processes[1], url
        finally:
            for process in processes:
                process.stop()
            worker.terminate()
            worker.wait(timeout=60)


def test_a_sign_in_through_one_process_holds_in_the_other(two_processes):
    first, second, _url = two_processes
    jar = sign_in(first, "anne")
    status, body, _headers = second.get("/alfa/", jar)
    assert status == 200
    assert b'<span class="site-center">ALFA</span>' in body


def test_a_write_through_one_process_is_read_through_the_other_at_once(two_processes):
    first, second, _url = two_processes
    jar = sign_in(first, "anne")
    status, body, _h = second.get("/api/v1/alfa/people/", jar)
    assert status == 200 and b"Ny Person" not in body
    status, body, _h = first.request(
        "POST",
        "/api/v1/alfa/people/",
        json.dumps({"name": "Ny Person"}).encode(),
        jar,
        {
            "Content-Type": "application/json",
            "X-CSRFToken": jar["csrftoken"],
            "Referer": f"https://127.0.0.1:{first.port}/",
        },
    )
    assert status == 201, body
    status, body, _h = second.get("/api/v1/alfa/people/", jar)
    assert status == 200 and b"Ny Person" in body


def test_a_membership_removed_in_the_database_is_refused_by_every_process(two_processes):
    first, second, url = two_processes
    jar = sign_in(first, "anne")
    assert first.get("/alfa/", jar)[0] == 200
    assert second.get("/alfa/", jar)[0] == 200
    with psycopg.connect(url, autocommit=True) as operator:
        operator.execute(
            "DELETE FROM core_membership WHERE user_id = "
            "(SELECT id FROM auth_user WHERE username = 'anne')"
        )
    try:
        assert first.get("/alfa/", jar)[0] == 404
        assert second.get("/alfa/", jar)[0] == 404
    finally:
        oppdrag(
            url,
            "shell",
            "--no-imports",
            "-c",
            SET_UP.split("center = ")[0]
            + (
                "from oppdrag.core.models import Center\n"
                "add_member(center=Center.objects.get(slug='alfa'), "
                "user=get_user_model().objects.get(username='anne'), role=Membership.Role.EDITOR)"
            ),
        )


def test_the_processes_serve_again_at_once_after_the_database_drops_their_connections(
    two_processes,
):
    """What a database restart does to the application: every connection it held is cut.

    The suite shares its PostgreSQL server, so the restart is simulated by terminating
    every backend of the database; production's CONN_HEALTH_CHECKS then opens a new
    connection on the next request instead of failing it.
    """
    first, second, url = two_processes
    jar = sign_in(first, "anne")
    assert second.get("/alfa/", jar)[0] == 200
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
            [name],
        ).fetchone()
    assert cut is not None and cut[0] >= 1
    assert first.get("/alfa/", jar)[0] == 200
    assert second.get("/alfa/", jar)[0] == 200
    assert first.get("/healthz")[0] == 200


def test_a_report_file_ordered_through_one_process_is_made_by_the_worker(two_processes):
    first, second, _url = two_processes
    jar = sign_in(first, "anne")
    status, _body, headers = first.get("/alfa/rapport/2025/last-ned/docx/", jar)
    assert status == 302
    progress = headers["Location"]
    deadline = time.monotonic() + 120
    state = {}
    while time.monotonic() < deadline:
        state = json.loads(second.get(progress + "?format=json", jar)[1])
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state["status"] == "done"
    status, body, _headers = second.get(state["file"], jar)
    assert status == 200 and body[:2] == b"PK"


def test_static_files_are_served_by_the_application_under_hashed_names(two_processes):
    first, _second, _url = two_processes
    status, body, _h = first.get("/logg-inn/")
    stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body)
    assert status == 200 and stylesheet is not None, body[:3000]
    status, _body, headers = first.get(stylesheet.group(1).decode())
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]


def test_each_request_is_one_json_log_line_with_ids_and_no_query(two_processes):
    first, _second, _url = two_processes
    jar = sign_in(first, "anne")
    first.get("/alfa/arrangementer/?q=Kari+Nordmann", jar)
    time.sleep(0.5)
    lines = [
        json.loads(line) for line in first.log.read_text().splitlines() if line.startswith("{")
    ]
    entry = next(line for line in lines if line.get("route") == "<slug:center>/arrangementer/")
    assert entry["status"] == 200 and entry["center"] == "alfa"
    assert isinstance(entry["user_id"], int)
    assert "Kari" not in first.log.read_text()


def test_the_healthcheck_answers_over_plain_http_to_a_bare_address(two_processes):
    first, _second, _url = two_processes
    status, body, _h = first.request("GET", "/healthz", None, None, {"Host": "10.1.2.3"})
    assert status == 200
    assert json.loads(body)["status"] == "ok"


def test_a_nightly_backup_restores_to_the_same_figures_and_report(tmp_path):
    """The restore drill: backup.sh, then restore.sh into a new database."""
    with scratch_database("drill_source") as source, scratch_database("drill_target") as target:
        oppdrag(source, "load-demo")
        env = {
            **os.environ,
            "DATABASE_URL": source,
            "BACKUP_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test",
            "OPPDRAG": str(Path(sys.executable).parent / "oppdrag"),
        }
        done = subprocess.run(
            ["bash", "deploy/backup.sh"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        backup = Path(done.stdout.strip().splitlines()[-1])
        assert (backup / "centers" / "napha.zip").stat().st_size > 0
        # The restore wants an empty database, not a migrated one.
        with psycopg.connect(target, autocommit=True) as empty:
            empty.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        done = subprocess.run(
            ["bash", "deploy/restore.sh", str(backup / "database.dump"), target],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        for side, url in (("source", source), ("target", target)):
            oppdrag(
                url,
                "report",
                "2025",
                "--center",
                "napha",
                "--format",
                "json",
                "--out",
                str(tmp_path / f"report-{side}.json"),
            )
        before = oppdrag(source, "figures", "2025", "--center", "napha", "--json")
        after = oppdrag(target, "figures", "2025", "--center", "napha", "--json")
        assert json.loads(before) == json.loads(after)
        assert json.loads(before)["counts"]["events"] > 0
        assert json.loads((tmp_path / "report-source.json").read_text()) == json.loads(
            (tmp_path / "report-target.json").read_text()
        )
