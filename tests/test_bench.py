"""The benchmark runner's own parts (a full ``python -m bench --quick`` takes minutes)."""

import importlib
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client, override_settings

from bench.__main__ import markdown
from bench.run import MEASURES, measurement, run_measured, selected
from bench.web import WRK_SCRIPT, wrk


def test_every_registered_measure_imports_and_has_a_measure_function():
    assert len({m.name for m in MEASURES}) == len(MEASURES)
    for entry in MEASURES:
        module = importlib.import_module(entry.module)
        assert callable(module.measure), entry.module
        assert entry.phase in {"demo", "national"}


def test_only_picks_measures_by_name_within_a_phase():
    assert [m.name for m in selected(["figures"], "demo")] == ["figures"]
    assert selected(["figures"], "national") == []
    assert {m.name for m in selected([], "national")} == {"national", "web"}


def test_a_measurement_is_its_ratio_to_the_floor_and_renders_as_a_table_row():
    row = measurement("x", "sqlite", "1x", 0.3, "floor", 0.1, queries=7, p99_ms=12.5)
    assert row["ratio"] == 3.0
    assert measurement("y", "sqlite", "1x", 0.3, "none", 0)["ratio"] is None
    table = markdown([row])
    assert "| x | sqlite | 1x | 0.3000 | 7 | floor | 0.1000 | 3.0 | p99_ms=12.5 |" in table


def test_peak_memory_is_that_of_the_child_process():
    wall, small, _out = run_measured([sys.executable, "-c", "pass"])
    _wall, large, out = run_measured(
        [
            sys.executable,
            "-c",
            "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print('done')",
        ]
    )
    assert out.strip() == "done"
    assert large - small > 140
    assert wall > 0


def test_a_failing_child_is_an_error_with_its_output():
    with pytest.raises(RuntimeError, match="boom"):
        run_measured([sys.executable, "-c", "raise SystemExit('boom')"])


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok" if self.headers.get("Cookie") == "sessionid=abc" else b"no cookie"
        self.send_response(200 if body == b"ok" else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_wrk_reports_throughput_and_percentiles_with_the_cookie_sent(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    script = tmp_path / "p.lua"
    script.write_text(WRK_SCRIPT)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        good = wrk(url, "sessionid=abc", 1, script)
        bad = wrk(url, "sessionid=wrong", 1, script)
    finally:
        server.shutdown()
    assert good["rps"] > 0 and good["requests"] > 0 and good["errors"] == 0
    assert 0 < good["p50_ms"] <= good["p95_ms"] <= good["p99_ms"]
    assert bad["errors"] == bad["requests"] > 0  # 403s count as failed requests


def test_the_bare_view_exists_only_under_the_bench_urls():
    from django.urls import resolve

    from bench.urls import BARE_URL, bare

    assert resolve(BARE_URL, urlconf="oppdrag.urls").func is not bare
    assert resolve(BARE_URL, urlconf="bench.urls").func is bare


@pytest.mark.django_db
def test_the_bare_view_answers_without_a_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with override_settings(ROOT_URLCONF="bench.urls"), CaptureQueriesContext(connection) as q:
        response = Client().get("/bench/bare/")
    assert response.status_code == 200 and response.content == b"ok"
    assert len(q) == 0


def test_oppdrag_bench_is_the_bench_runner(capsys):
    from oppdrag.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["oppdrag", "bench", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--scales" in out and "--only" in out and "--quick" in out


@pytest.mark.django_db(transaction=False)
def test_the_events_measure_is_against_its_database_floor_and_leaves_only_the_import():
    from bench import hours
    from oppdrag.activities.models import Event

    row, workbook = hours.measure_events("sqlite", 300)
    assert row["name"] == "import_events" and row["scale"] == "300 rows"
    # The target's floor is the database's own insert of the rows; the csv.reader
    # pass is only reported beside it.
    assert row["floor_name"] == "the database's insert of the same rows into the real tables"
    assert row["ratio"] == pytest.approx(row["wall_s"] / row["floor_s"], abs=0.01)
    assert {"csv_reader_s", "csv_reader_ratio", "bare_ratio"} <= set(row)
    assert "database_floor_s" not in row and "ratio_to_database_floor" not in row
    # The floor's second copy of the rows was rolled back (the demo's own events apart).
    assert Event.objects.filter(ref__startswith="B-").count() == 300
    assert Event.history.filter(ref__startswith="B-").count() == 300
    # The same rows under other numbers from an XLSX workbook, against openpyxl's read.
    assert workbook["name"] == "import_events_xlsx" and workbook["scale"] == "300 rows"
    assert workbook["floor_name"].startswith("openpyxl") and workbook["floor_s"] > 0
    assert Event.objects.filter(ref__startswith="X-").count() == 300
