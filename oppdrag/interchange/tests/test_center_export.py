"""A centre's full export and import: lossless round trips, refusals, the admin page."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Membership
from oppdrag.figures.scale import multiply
from oppdrag.interchange.export import (
    ArchiveRejected,
    export_center,
    export_files,
    import_center,
    owned_models,
)
from tests.database_templates import postgres_template


def read_zip(path: Path) -> tuple[dict, dict[str, list[list[str]]]]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
            if name.endswith(".csv")
        }
    return manifest, files


def without_slug(files: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    """The files with the centre's slug blanked: the one thing a move may change."""
    copy = dict(files)
    header, row = files["center.csv"]
    copy["center.csv"] = [
        header,
        ["" if h == "slug" else v for h, v in zip(header, row, strict=True)],
    ]
    return copy


@pytest.fixture
def archive(full_demo, tmp_path) -> Path:
    path = tmp_path / "napha.zip"
    call_command("export_center", str(path), "--center", "napha", stdout=io.StringIO())
    return path


def test_the_archive_has_a_file_per_model_and_a_manifest_with_counts_and_checksums(
    archive, full_demo
):
    manifest, files = read_zip(archive)
    assert manifest["format_version"] == 3 and manifest["center"] == "napha"
    assert manifest["app_version"] and manifest["created_at"].endswith("+00:00")
    with zipfile.ZipFile(archive) as zipped:
        for name, info in manifest["files"].items():
            assert hashlib.sha256(zipped.read(name)).hexdigest() == info["sha256"]
            assert len(files[name]) - 1 == info["rows"]
    for model in owned_models():
        name = f"{model._meta.app_label}.{model._meta.model_name}.csv"
        assert len(files[name]) - 1 == model._default_manager.filter(center=full_demo).count()
    presentations = files["activities.presentation.csv"]
    assert "uid" in presentations[0] and "center" not in presentations[0]
    # Links name records by uid and reference data by official code.
    header, *rows = files["activities.event_municipalities.csv"]
    assert header == ["event", "municipality"]
    event = m.Event.objects.filter(center=full_demo, municipalities__isnull=False).first()
    municipality = event.municipalities.first()
    assert [str(event.uid), f"{municipality.number}|{municipality.valid_from.isoformat()}"] in rows
    assert files["memberships.csv"][1:] == [["demo", "admin"]]


def test_a_restored_centre_exports_to_the_same_csv_row_by_row(archive, full_demo, tmp_path):
    """Export, remove the centre, import it under a new slug, export again: lossless."""
    full_demo.delete()
    out = io.StringIO()
    call_command("import_center", str(archive), "--slug", "napha-ny", stdout=out)
    assert "Senteret «napha-ny» er lest inn" in out.getvalue()
    again = tmp_path / "again.zip"
    call_command("export_center", str(again), "--center", "napha-ny", stdout=io.StringIO())
    _manifest, first = read_zip(archive)
    _manifest, second = read_zip(again)
    assert set(first) == set(second)
    for name in sorted(first):
        assert without_slug(first)[name] == without_slug(second)[name], name
    assert sum(len(rows) - 1 for rows in first.values()) > 2000


def test_a_copy_next_to_the_original_gets_new_ids_and_the_same_content(archive, tmp_path):
    report = import_center(str(archive), slug="napha-kopi")
    assert report.new_uids
    copy = tmp_path / "copy.zip"
    export_center(Center.objects.get(slug="napha-kopi"), str(copy))
    _m, first = read_zip(archive)
    _m, second = read_zip(copy)
    # Records keep their order, so the n-th uid of a file maps to the n-th of the copy.
    new_for_old: dict[str, str] = {}
    for name, rows in first.items():
        if rows and rows[0] and "uid" in rows[0]:
            column = rows[0].index("uid")
            for old, new in zip(rows[1:], second[name][1:], strict=True):
                new_for_old[old[column]] = new[column]
    assert len(new_for_old) > 1000 and not set(new_for_old) & set(new_for_old.values())
    for name in sorted(first):
        mapped = [[new_for_old.get(cell, cell) for cell in row] for row in first[name]]
        if name == "center.csv":
            mapped[1][mapped[0].index("organization")] = ""  # the original keeps its entry
            mapped, expected = without_slug({name: mapped})[name], without_slug(second)[name]
        else:
            expected = second[name]
        assert mapped == expected, name


def rewrite(archive: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(archive) as source:
        contents = {name: source.read(name) for name in source.namelist()}
    change(contents)
    with zipfile.ZipFile(target, "w") as out:
        for name, data in contents.items():
            out.writestr(name, data)
    return target


def counts() -> tuple[int, int, int]:
    return Center.objects.count(), m.Presentation.objects.count(), m.Event.objects.count()


def test_it_refuses_a_centre_that_exists(archive):
    before = counts()
    with pytest.raises(CommandError, match="Senteret «napha» finnes allerede"):
        call_command("import_center", str(archive), stdout=io.StringIO())
    assert counts() == before


def test_it_refuses_a_changed_file_naming_it(archive, tmp_path):
    def change(contents):
        contents["activities.presentation.csv"] = contents["activities.presentation.csv"].replace(
            b"Foredrag", b"Forelesning", 1
        )

    damaged = rewrite(archive, tmp_path / "changed.zip", change)
    before = counts()
    with pytest.raises(ArchiveRejected) as refused:
        import_center(str(damaged), slug="ny")
    assert refused.value.file == "activities.presentation.csv"
    assert "Kontrollsummen" in str(refused.value)
    assert counts() == before


def test_it_refuses_a_missing_file_naming_it(archive, tmp_path):
    damaged = rewrite(archive, tmp_path / "missing.zip", lambda c: c.pop("core.person.csv"))
    with pytest.raises(ArchiveRejected, match=r"core\.person\.csv: Filen mangler i arkivet"):
        import_center(str(damaged), slug="ny")
    assert not Center.objects.filter(slug="ny").exists()


def test_an_archive_from_before_a_model_existed_imports_with_no_rows_for_it(archive, tmp_path):
    def change(contents):
        contents.pop("interchange.sitetraffic.csv")
        manifest = json.loads(contents["manifest.json"])
        del manifest["files"]["interchange.sitetraffic.csv"]
        contents["manifest.json"] = json.dumps(manifest).encode()

    older = rewrite(archive, tmp_path / "older.zip", change)
    report = import_center(str(older), slug="ny")
    assert report.rows["interchange.sitetraffic.csv"] == 0
    assert report.rows["activities.presentation.csv"] == 133


def test_it_refuses_an_unknown_format_version(archive, tmp_path):
    def change(contents):
        manifest = json.loads(contents["manifest.json"])
        manifest["format_version"] = 99
        contents["manifest.json"] = json.dumps(manifest).encode()

    damaged = rewrite(archive, tmp_path / "future.zip", change)
    with pytest.raises(ArchiveRejected, match=r"manifest\.json: Ukjent formatversjon 99"):
        import_center(str(damaged), slug="ny")


def test_it_refuses_a_bad_value_naming_file_row_and_column(archive, tmp_path):
    def change(contents):
        name = "activities.presentation.csv"
        rows = list(csv.reader(io.StringIO(contents[name].decode())))
        rows[3][rows[0].index("date")] = "31.02.2025"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        contents[name] = buffer.getvalue().encode()
        manifest = json.loads(contents["manifest.json"])
        manifest["files"][name]["sha256"] = hashlib.sha256(contents[name]).hexdigest()
        contents["manifest.json"] = json.dumps(manifest).encode()

    damaged = rewrite(archive, tmp_path / "bad.zip", change)
    before = counts()
    with pytest.raises(ArchiveRejected) as refused:
        import_center(str(damaged), slug="ny")
    assert (refused.value.file, refused.value.row, refused.value.column) == (
        "activities.presentation.csv",
        4,
        "date",
    )
    assert counts() == before


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "not.zip"
    path.write_text("hei")
    with pytest.raises(CommandError, match="ikke et lesbart ZIP-arkiv"):
        call_command("import_center", str(path), stdout=io.StringIO())


def test_the_export_takes_the_same_number_of_queries_at_twice_the_data(demo):
    export_files(demo)
    with CaptureQueriesContext(connection) as small:
        export_files(demo)
    multiply(demo, 2025, 2)
    with CaptureQueriesContext(connection) as large:
        export_files(demo)
    assert len(large) == len(small)


def test_a_centre_admin_downloads_the_export_and_others_cannot(
    client, demo, make_user, other_center
):
    admin = make_user("sjef", demo, Membership.Role.ADMIN)
    client.force_login(admin)
    assert 'href="/napha/eksport/"' in client.get("/napha/").content.decode()  # in the menu
    page = client.get("/napha/eksport/")
    assert page.status_code == 200 and "/napha/eksport/last-ned/" in page.content.decode()
    response = client.get("/napha/eksport/last-ned/")
    assert response["Content-Disposition"].startswith('attachment; filename="oppdrag-napha-')
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(zipped.read("manifest.json"))["center"] == "napha"
    client.force_login(make_user("leser", demo, Membership.Role.EDITOR))
    assert 'href="/napha/eksport/"' not in client.get("/napha/").content.decode()
    assert client.get("/napha/eksport/").status_code == 403
    assert client.get("/napha/eksport/last-ned/").status_code == 403
    client.force_login(make_user("utenfor", other_center))
    assert client.get("/napha/eksport/last-ned/").status_code == 404


# The server and database scripts/test.sh found or started (TEST_POSTGRES_URL).
TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
POSTGRES = TEST_POSTGRES_URL.rsplit("/", 1)[0] + "/"
# Named after that database, and one per process: two suites running on one server must
# not drop each other's.
TARGET_DB = f"{TEST_POSTGRES_URL.rsplit('/', 1)[1]}_move_test_{os.getpid()}"


def oppdrag(*args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "oppdrag.cli", *args, "--database-url", POSTGRES + TARGET_DB],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_export_moves_into_a_fresh_postgresql_database_losslessly(archive, tmp_path):
    """From the test database (SQLite, or PostgreSQL in the PostgreSQL run) to a new one.

    The whole installation moves: the partner centre NAPHA shares a network with goes
    first, so the sharing link has its other end in the new database too.
    """
    import psycopg

    partner = tmp_path / "partner.zip"
    call_command("export_center", str(partner), "--center", "korus-ost", stdout=io.StringIO())

    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{TARGET_DB}" WITH (FORCE)')
        # A copy of the migrated template is what ``oppdrag migrate`` makes of a new
        # database (the same migrations); migrate confirms there is nothing left to do.
        template = postgres_template(TEST_POSTGRES_URL)
        admin.execute(f'CREATE DATABASE "{TARGET_DB}" TEMPLATE "{template}"')
    try:
        oppdrag("migrate", "--noinput")
        oppdrag("load-reference-data")
        oppdrag("import-center", str(partner))
        output = oppdrag("import-center", str(archive))
        assert "Nye brukere" in output and "demo" in output
        moved = tmp_path / "moved.zip"
        oppdrag("export-center", "--center", "napha", str(moved))
    finally:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{TARGET_DB}" WITH (FORCE)')
    _m, first = read_zip(archive)
    _m, second = read_zip(moved)
    assert set(first) == set(second)
    for name in sorted(first):
        assert first[name] == second[name], name
