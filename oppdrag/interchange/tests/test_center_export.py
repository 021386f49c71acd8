"""A centre's full export and import: lossless round trips, refusals, the admin page."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Membership
from oppdrag.evaluations.models import Response
from oppdrag.figures.models import KeyFigureSelection
from oppdrag.figures.scale import multiply
from oppdrag.figures.selection import choose_key_figures
from oppdrag.interchange.archived import (
    CARRIED_APART,
    EXCLUDED,
    archived_models,
    belongs_to,
    identity_fields,
    is_history,
)
from oppdrag.interchange.export import export_center, export_files, file_name
from oppdrag.interchange.restore import ArchiveRejected, import_center
from oppdrag.reports.models import AssessmentBlock
from tests.database_templates import postgres_template, sqlite_template


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
    assert manifest["format_version"] == 4 and manifest["center"] == "napha"
    assert manifest["app_version"] and manifest["created_at"].endswith("+00:00")
    with zipfile.ZipFile(archive) as zipped:
        for name, info in manifest["files"].items():
            assert hashlib.sha256(zipped.read(name)).hexdigest() == info["sha256"]
            assert len(files[name]) - 1 == info["rows"]
    for model in archived_models():
        name = f"{model._meta.app_label}.{model._meta.model_name}.csv"
        stored = model._default_manager.filter(belongs_to(model, full_demo))
        assert len(files[name]) - 1 == stored.count(), name
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
    call_command(
        "import_center", str(archive), "--slug", "napha-ny", "--grant-roles-to-existing", stdout=out
    )
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
    report = import_center(str(archive), slug="napha-kopi", grant_roles_to_existing=True)
    assert report.new_uids
    copy = tmp_path / "copy.zip"
    export_center(Center.objects.get(slug="napha-kopi"), str(copy))
    _m, first = read_zip(archive)
    _m, second = read_zip(copy)
    # Records keep their order, so the n-th id of a file maps to the n-th of the copy:
    # uids, UUID keys (responses) and link tokens (surveys, invitations) are all new.
    new_for_old: dict[str, str] = {}
    for model in archived_models():
        header, *rows = first[file_name(model)]
        for f in identity_fields(model):
            column = header.index(f.name)
            for old, new in zip(rows, second[file_name(model)][1:], strict=True):
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


def test_an_archive_naming_who_chose_the_key_figures_imports_without_that_column(
    center, make_user, tmp_path
):
    """Archives written while the choice of key figures carried ``changed_by`` (now the
    history's ``history_user``) still import: the column is read and left out."""
    leader = make_user("leder", center)
    choose_key_figures(
        center=center, user=leader, year=2025, keys=["events"], reach_counting="municipalities"
    )
    archive = tmp_path / "napha.zip"
    export_center(center, str(archive))
    name = "figures.keyfigureselection.csv"

    def change(contents):
        header, *rows = contents[name].decode().splitlines()
        assert "changed_by" not in header.split(",") and len(rows) == 1
        lines = [f"{header},changed_by", *(f"{row},leder" for row in rows)]
        contents[name] = ("\r\n".join(lines) + "\r\n").encode()
        manifest = json.loads(contents["manifest.json"])
        manifest["files"][name]["sha256"] = hashlib.sha256(contents[name]).hexdigest()
        contents["manifest.json"] = json.dumps(manifest).encode()

    older = rewrite(archive, tmp_path / "older.zip", change)
    report = import_center(str(older), slug="ny")
    restored = KeyFigureSelection.objects.get(center=report.center)
    assert (restored.year, restored.keys, restored.reach_counting) == (
        2025, ["events"], "municipalities",
    )  # fmt: skip


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


def tenant_owned_models() -> set[type[Model]]:
    """Every model with a ``center``, or a foreign key to one that has: found by looking."""
    owned: set[type[Model]] = set()
    grown = True
    while grown:
        grown = False
        for model in apps.get_models(include_auto_created=True):
            if model in owned or model is Center:
                continue
            for f in model._meta.concrete_fields:
                if not (f.is_relation and (f.many_to_one or f.one_to_one)):
                    continue
                # A many-to-many table's ``center`` names a partner, not an owner.
                direct = f.name == "center" and f.related_model is Center
                if (direct and not model._meta.auto_created) or f.related_model in owned:
                    owned.add(model)
                    grown = True
                    break
    return owned


def test_every_tenant_owned_model_is_carried(archive, full_demo):
    """A model that belongs to a centre has a file in the archive, with all of the
    centre's rows, unless it is history or left out on purpose with a reason."""
    manifest, _files = read_zip(archive)
    owned = tenant_owned_models()
    assert {f"{m._meta.label_lower}" for m in owned} >= set(EXCLUDED)
    assert all(reason.strip() for reason in EXCLUDED.values())
    carried = [
        model
        for model in owned
        if not is_history(model)
        and model not in CARRIED_APART
        and model._meta.label_lower not in EXCLUDED
    ]
    missing = sorted(m._meta.label for m in carried if file_name(m) not in manifest["files"])
    assert missing == []
    for model in carried:
        rows = model._default_manager.filter(belongs_to(model, full_demo)).count()
        assert manifest["files"][file_name(model)]["rows"] == rows, model._meta.label
    # The evaluations of the demo (the data once lost on the way) are all there.
    assert (
        manifest["files"]["evaluations.response.csv"]["rows"]
        == Response.objects.filter(survey__center=full_demo).count()
        > 100
    )


def test_an_archive_with_a_table_this_version_does_not_know_is_refused(archive, tmp_path):
    def change(contents):
        contents["evaluations.future.csv"] = b"survey,text\n"
        manifest = json.loads(contents["manifest.json"])
        manifest["files"]["evaluations.future.csv"] = {
            "rows": 0,
            "sha256": hashlib.sha256(contents["evaluations.future.csv"]).hexdigest(),
        }
        contents["manifest.json"] = json.dumps(manifest).encode()

    newer = rewrite(archive, tmp_path / "newer.zip", change)
    before = counts()
    with pytest.raises(ArchiveRejected, match=r"evaluations\.future\.csv: .*kjenner ikke tabellen"):
        import_center(str(newer), slug="ny")
    assert counts() == before


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_is_unpacked(db, tmp_path):
    """Far below the fixed ceiling, but 30 MB from a few kilobytes."""
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.json", json.dumps({"format": "oppdrag-center-export"}))
        out.writestr("core.person.csv", b"0" * 30_000_000)
    assert bomb.stat().st_size < 100_000
    before = counts()
    with pytest.raises(CommandError, match="pakker seg ut til 30000"):
        call_command("import_center", str(bomb), "--slug", "ny", stdout=io.StringIO())
    assert counts() == before


def member_archive(full_demo, tmp_path, make_user) -> Path:
    """NAPHA's archive with «gjest» as an administrator; here «gjest» has no back office."""
    guest = make_user("gjest", full_demo, Membership.Role.ADMIN)
    guest.is_staff = False
    guest.save()
    guest.groups.clear()
    path = tmp_path / "members.zip"
    export_center(full_demo, str(path))
    return path


def test_an_existing_account_of_an_archived_name_gets_no_role_without_the_option(
    full_demo, tmp_path, make_user
):
    archive = member_archive(full_demo, tmp_path, make_user)
    out = io.StringIO()
    call_command("import_center", str(archive), "--slug", "napha-ny", stdout=out)
    assert not Membership.objects.filter(center__slug="napha-ny").exists()
    assert "fikk ingen rolle" in out.getvalue() and "gjest" in out.getvalue()
    assert not get_user_model().objects.get(username="gjest").is_staff


def test_with_the_option_an_existing_account_gets_its_role_but_never_the_back_office(
    full_demo, tmp_path, make_user
):
    archive = member_archive(full_demo, tmp_path, make_user)
    call_command(
        "import_center",
        str(archive),
        "--slug",
        "napha-ny",
        "--grant-roles-to-existing",
        stdout=io.StringIO(),
    )
    guest = get_user_model().objects.get(username="gjest")
    assert Membership.objects.get(center__slug="napha-ny", user=guest).role == "admin"
    assert not guest.is_staff and not guest.is_superuser
    assert not guest.groups.exists()


def test_a_new_account_from_an_archive_gets_its_role_but_never_the_back_office(
    full_demo, tmp_path, make_user
):
    archive = member_archive(full_demo, tmp_path, make_user)
    full_demo.delete()
    get_user_model().objects.filter(username="gjest").delete()
    import_center(str(archive))
    guest = get_user_model().objects.get(username="gjest")
    assert Membership.objects.get(center__slug="napha", user=guest).role == "admin"
    assert not guest.is_staff and not guest.is_superuser and not guest.has_usable_password()


def test_an_account_the_records_name_moves_with_them_without_a_role(full_demo, tmp_path, make_user):
    """A former employee who wrote a report text is no member, but the text names them."""
    former = make_user("tidligere")
    block = AssessmentBlock.objects.filter(center=full_demo).first()
    block.author = former
    block.save()
    archive = tmp_path / "former.zip"
    export_center(full_demo, str(archive))
    full_demo.delete()
    former.delete()
    report = import_center(str(archive))
    restored = AssessmentBlock.objects.get(uid=block.uid)
    assert restored.author.username == "tidligere" and "tidligere" in report.users_created
    assert not restored.author.has_usable_password()
    assert not Membership.objects.filter(user=restored.author).exists()


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


def oppdrag(database_url: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "oppdrag.cli", *args, "--database-url", database_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def figures_and_report(tmp_path: Path, database_url: str | None = None) -> tuple[dict, dict]:
    """``figures --json`` and the report's JSON for NAPHA 2025, here or in ``database_url``."""
    report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.json"
    figures = ["figures", "2025", "--center", "napha", "--json"]
    build = ["report", "2025", "--center", "napha", "--format", "json", "--out", str(report)]
    if database_url is None:
        out = io.StringIO()
        call_command(*figures, stdout=out)
        call_command(*build, stdout=io.StringIO())
        text = out.getvalue()
    else:
        text = oppdrag(database_url, *figures)
        oppdrag(database_url, *build)
    return json.loads(text), json.loads(report.read_text(encoding="utf-8"))


def test_a_centre_moves_to_postgresql_and_back_with_every_figure_and_the_report(
    archive, full_demo, tmp_path
):
    """From the test database (SQLite, or PostgreSQL in the PostgreSQL run) to a new
    PostgreSQL database, and from there to a new SQLite file: the archives are the same
    file for file, and so are the key figures (evaluations included) and the report.

    The whole installation moves: the partner centre NAPHA shares a network with goes
    first, so the sharing link has its other end in the new database too.
    """
    import psycopg

    before = figures_and_report(tmp_path)
    assert before[0]["evaluations"]["responses"] > 100
    partner = tmp_path / "partner.zip"
    call_command("export_center", str(partner), "--center", "korus-ost", stdout=io.StringIO())
    postgres = POSTGRES + TARGET_DB
    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{TARGET_DB}" WITH (FORCE)')
        # A copy of the migrated template is what ``oppdrag migrate`` makes of a new
        # database (the same migrations); migrate confirms there is nothing left to do.
        template = postgres_template(TEST_POSTGRES_URL)
        admin.execute(f'CREATE DATABASE "{TARGET_DB}" TEMPLATE "{template}"')
    try:
        moved = tmp_path / "moved.zip"
        output = move_in(postgres, partner, archive, moved)
        assert "Nye brukere" in output and "demo" in output
        in_postgres = figures_and_report(tmp_path, postgres)
    finally:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{TARGET_DB}" WITH (FORCE)')
    with sqlite_template() as template_file:
        shutil.copy(template_file, tmp_path / "back.sqlite3")
    sqlite = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    back = tmp_path / "back.zip"
    move_in(sqlite, partner, moved, back)
    assert in_postgres == before
    assert figures_and_report(tmp_path, sqlite) == before
    for other in (moved, back):
        _m, first = read_zip(archive)
        _m, second = read_zip(other)
        assert set(first) == set(second)
        for name in sorted(first):
            assert first[name] == second[name], name


def move_in(database_url: str, partner: Path, archive: Path, again: Path) -> str:
    """Restore the partner and ``archive`` into a new database; export NAPHA to ``again``."""
    oppdrag(database_url, "migrate", "--noinput")
    oppdrag(database_url, "load-reference-data")
    oppdrag(database_url, "import-center", str(partner))
    output = oppdrag(database_url, "import-center", str(archive))
    oppdrag(database_url, "export-center", "--center", "napha", str(again))
    return output
