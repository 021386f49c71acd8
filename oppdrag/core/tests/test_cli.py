"""The ``oppdrag`` console command, run as a user runs it (a subprocess)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.database_templates import file_lock
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


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, worker_id):
    """``oppdrag load-demo`` into a new file named by ``--database-url``, while
    ``DATABASE_URL`` names ``unused.sqlite3`` next to it.

    Loaded once per run (most of two minutes): the tests only read it, and the xdist
    workers share the directory above their own temporary directories.
    """
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    directory = root / "cli-demo"
    with file_lock(root / "cli-demo.lock"):
        if not directory.exists():
            building = root / "cli-demo.building"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            database = f"sqlite:///{building / 'demo.sqlite3'}"
            result = oppdrag(
                "load-demo", "--database-url", database, database=building / "unused.sqlite3"
            )
            assert "Demoen er klar" in result.stdout
            building.rename(directory)
    return directory / "demo.sqlite3"


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


def test_the_database_url_option_chooses_the_database(demo_db):
    assert demo_db.exists()
    assert not (demo_db.parent / "unused.sqlite3").exists()
