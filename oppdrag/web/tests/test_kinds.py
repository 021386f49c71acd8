"""Every registry's list, detail, export and spreadsheet upload."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.figures.scale import multiply
from oppdrag.web.registry import KINDS
from tests.files import write_table


def list_url(kind, center="napha"):
    return reverse("activities:kind_list", kwargs={"center": center, "kind": kind})


@pytest.fixture
def reader(demo, make_user):
    return make_user("leser", demo, Membership.Role.READER)


@pytest.fixture
def editor(demo, make_user):
    return make_user("redaktor", demo, Membership.Role.EDITOR)


@pytest.mark.parametrize("slug", [k for k in KINDS if k != "arrangementer"])
def test_every_list_shows_the_centres_records_and_takes_fixed_queries(client, reader, demo, slug):
    client.force_login(reader)
    client.get(list_url(slug))
    with CaptureQueriesContext(connection) as small:
        response = client.get(list_url(slug))
    count = KINDS[slug].model._default_manager.filter(center=demo).count()
    assert response.context["page"].paginator.count == count
    multiply(demo, 2025, 3)
    with CaptureQueriesContext(connection) as large:
        client.get(list_url(slug))
    assert len(large) == len(small)


def test_presentations_list_searches_and_exports_in_the_appendix_columns(client, reader):
    client.force_login(reader)
    response = client.get(list_url("presentasjoner"), {"q": "Housing First", "export": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nr;Tittel;Publiseringsdato;Type;Bidragsytere;Oppdrag"
    assert all("Housing First" in line for line in lines[1:])
    assert len(lines) - 1 == 11  # presentations in appendix 2 whose title names Housing First


def test_detail_pages_show_the_record_and_its_history(client, reader, demo):
    client.force_login(reader)
    presentation = m.Presentation.objects.filter(center=demo).first()
    url = reverse(
        "activities:kind_detail",
        kwargs={"center": "napha", "kind": "presentasjoner", "uid": presentation.uid},
    )
    body = client.get(url).content.decode()
    assert presentation.title in body and "Opprettet" in body


def test_another_centres_records_are_not_found(client, reader, make_center):
    other = make_center("rvts-vest")
    foreign = m.Group.objects.create(center=other, year=2025, name="Hemmelig", role="medlem")
    client.force_login(reader)
    url = reverse(
        "activities:kind_detail", kwargs={"center": "napha", "kind": "grupper", "uid": foreign.uid}
    )
    assert client.get(url).status_code == 404
    assert client.get(list_url("grupper", center="rvts-vest")).status_code == 404
    assert "Hemmelig" not in client.get(list_url("grupper")).content.decode()


def test_an_unknown_kind_is_not_found(client, reader):
    client.force_login(reader)
    assert client.get(list_url("hemmeligheter")).status_code == 404


def upload_url(kind="horingsinnspill"):
    return reverse("web:kind_upload", kwargs={"center": "napha", "kind": kind})


def test_an_upload_is_previewed_row_by_row_and_saved_only_when_confirmed(
    client, editor, demo, tmp_path
):
    client.force_login(editor)
    path = write_table(
        tmp_path,
        "innspill.xlsx",
        [["Dato", "Tittel"], ["01.12.2025", "Innspill A"], ["02.12.2025", "Innspill B"]],
    )
    before = m.ConsultationResponse.objects.filter(center=demo).count()
    with path.open("rb") as handle:
        response = client.post(upload_url(), {"file": handle, "year": "2025"})
    assert response.context["result"].ok
    assert [r.number for r in response.context["rows"]] == [2, 3]
    assert m.ConsultationResponse.objects.filter(center=demo).count() == before
    response = client.post(upload_url(), {"token": response.context["token"]})
    assert response.status_code == 302
    assert m.ConsultationResponse.objects.filter(center=demo).count() == before + 2


def test_a_bad_upload_shows_each_rows_problem_and_saves_nothing(client, editor, demo, tmp_path):
    client.force_login(editor)
    path = write_table(
        tmp_path,
        "innspill.csv",
        [["Dato", "Tittel"], ["01.12.2025", "Bra"], ["31.11.2025", "Feil dato"], ["", "Uten"]],
    )
    before = m.ConsultationResponse.objects.count()
    with path.open("rb") as handle:
        response = client.post(upload_url(), {"file": handle, "year": "2025"})
    rows = {r.number: [p.message for p in r.problems] for r in response.context["rows"]}
    assert rows[2] == []
    assert "ikke en gyldig dato" in rows[3][0]
    assert rows[4] == ["Cellen må fylles ut."]
    assert response.context["token"] is None
    assert m.ConsultationResponse.objects.count() == before


def test_an_upload_cannot_be_confirmed_from_another_session(
    client, editor, tmp_path, make_user, demo
):
    client.force_login(editor)
    path = write_table(tmp_path, "i.csv", [["Dato", "Tittel"], ["01.12.2025", "A"]])
    with path.open("rb") as handle:
        token = client.post(upload_url(), {"file": handle, "year": "2025"}).context["token"]
    other = make_user("annen", demo, Membership.Role.EDITOR)
    client.force_login(other)
    assert client.post(upload_url(), {"token": token}).status_code == 404


def test_readers_cannot_upload(client, reader):
    client.force_login(reader)
    assert client.get(upload_url()).status_code == 403


def bad_dates_upload(client, tmp_path, bad_rows, rows=600):
    """An upload of ``rows`` rows of which the numbers in ``bad_rows`` have an impossible date."""
    table = [["Dato", "Tittel"]] + [
        ["31.11.2025" if n in bad_rows else "01.12.2025", f"Innspill {n}"]
        for n in range(2, rows + 2)
    ]
    path = write_table(tmp_path, "mine-innspill.csv", table)
    with path.open("rb") as handle:
        return client.post(upload_url(), {"file": handle, "year": "2025"})


def test_a_problem_beyond_the_preview_is_named_with_row_column_and_the_users_file(
    client, editor, tmp_path, settings
):
    settings.VAR_DIR = tmp_path / "var"
    client.force_login(editor)
    response = bad_dates_upload(client, tmp_path, {601})
    html = response.content.decode()
    assert "mine-innspill.csv har 1 problem." in html
    assert "mine-innspill.csv, rad 601, kolonne «Dato»: " in html
    assert "ikke en gyldig dato" in html.split("rad 601")[1]
    assert [p.file for p in response.context["problems"]] == ["mine-innspill.csv"]
    assert response.context["result"].problems[0].file != "mine-innspill.csv"  # stored name


def test_many_problems_list_the_first_and_count_the_rest(client, editor, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    client.force_login(editor)
    response = bad_dates_upload(client, tmp_path, set(range(2, 27)), rows=30)
    html = response.content.decode()
    assert "mine-innspill.csv har 25 problemer." in html
    assert "rad 11, kolonne «Dato»" in html.split("problemer til")[0]
    assert "… og 15 problemer til." in html


def age(path, hours):
    old = time.time() - hours * 3600
    os.utime(path, (old, old))


def test_uploads_never_confirmed_are_deleted_after_a_day(client, editor, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    folder = tmp_path / "var" / "uploads"
    folder.mkdir(parents=True)
    stale, recent = folder / "gammel.csv", folder / "ny.csv"
    for path, hours in ((stale, 25), (recent, 23)):
        path.write_text("Dato;Tittel\n")
        age(path, hours)
    client.force_login(editor)
    table = write_table(tmp_path, "i.csv", [["Dato", "Tittel"], ["01.12.2025", "A"]])
    with table.open("rb") as handle:
        assert client.post(upload_url(), {"file": handle, "year": "2025"}).status_code == 200
    assert not stale.exists() and recent.exists()
    assert len(list(folder.iterdir())) == 2  # the new upload, waiting for confirmation


def test_purge_uploads_deletes_old_uploads(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    folder = tmp_path / "var" / "uploads"
    folder.mkdir(parents=True)
    stale, recent = folder / "gammel.xlsx", folder / "ny.xlsx"
    for path, hours in ((stale, 30), (recent, 1)):
        path.write_bytes(b"x")
        age(path, hours)
    out = StringIO()
    call_command("purge_uploads", stdout=out)
    assert not stale.exists() and recent.exists()
    assert "Slettet 1 gamle opplastinger." in out.getvalue()
    call_command("purge_uploads", "--hours", "0.5", stdout=out)
    assert not recent.exists()
