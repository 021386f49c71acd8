"""The ``oppdrag`` console command, run as a user runs it (a subprocess)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.files import write_table


def oppdrag(*args, database: Path, check=True):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "oppdrag.settings.dev",
    }
    return subprocess.run(
        [sys.executable, "-m", "oppdrag.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    result = oppdrag("load-demo", database=database)
    assert "Demoen er klar" in result.stdout
    return database


def test_load_demo_then_figures_json(demo_db):
    data = json.loads(
        oppdrag("figures", "2025", "--center", "napha", "--json", database=demo_db).stdout
    )
    assert data["counts"]["events"] == 128
    assert data["events"]["participants"] == 9413


def test_import_dry_run_reports_and_a_bad_file_is_refused(demo_db, tmp_path):
    good = write_table(tmp_path, "h.csv", [["Dato", "Tittel"], ["01.12.2025", "Nytt innspill"]])
    result = oppdrag(
        "import",
        "consultation-responses",
        str(good),
        "--center",
        "napha",
        "--year",
        "2025",
        "--dry-run",
        database=demo_db,
    )
    assert "1 ville blitt lagt til" in result.stdout
    bad = write_table(tmp_path, "b.csv", [["Dato", "Tittel"], ["31.11.2025", "Feil dato"]])
    result = oppdrag(
        "import",
        "consultation-responses",
        str(bad),
        "--center",
        "napha",
        "--year",
        "2025",
        database=demo_db,
        check=False,
    )
    assert result.returncode != 0
    assert "b.csv, rad 2, kolonne «Dato»" in result.stderr
    assert "ingenting er endret" in result.stderr
    after = json.loads(
        oppdrag("figures", "2025", "--center", "napha", "--json", database=demo_db).stdout
    )
    assert after["counts"]["consultation_responses"] == 10


def test_the_database_url_option_chooses_the_database(tmp_path):
    target = tmp_path / "other.sqlite3"
    oppdrag("load-demo", "--database-url", f"sqlite:///{target}", database=tmp_path / "unused")
    assert target.exists()
    assert not (tmp_path / "unused").exists()
