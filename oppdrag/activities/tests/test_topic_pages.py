"""Topic pages (temasider) as a kind of the staff interface: every page listed with the
visits of the year shown, registered and changed with a year's count, deleted with its
counts and restored with them, and the list's export read back by the importer."""

import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.activities.importers import TopicPageImporter
from oppdrag.core.models import Membership

THIN = "\u2009"


@pytest.fixture
def editor(center, make_user):
    return make_user("kari", center, Membership.Role.EDITOR)


def url(name, center="napha", **kwargs):
    return reverse(f"activities:{name}", kwargs={"center": center, "kind": "temasider", **kwargs})


def page_with(center, name, **visits):
    page = m.TopicPage.objects.create(center=center, name=name, url=f"https://example.no/{name}")
    for year, count in visits.items():
        m.TopicPageVisits.objects.create(
            center=center, page=page, year=int(year.removeprefix("y")), visits=count
        )
    return page


def listed(response):
    return {cells[0]: cells[2:] for _page, cells in response.context["rows"]}


def test_a_topic_page_is_registered_changed_deleted_and_restored_with_its_counts(
    client, editor, center
):
    client.force_login(editor)
    form = client.get(url("kind_create"), {"year": "2025"}).context["form"]
    assert form["year"].value() == 2025 and "assignments" not in form.fields
    data = {"name": "Bolig", "url": "napha.no/tema/bolig", "year": "2025", "visits": "12345"}
    response = client.post(url("kind_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    page = m.TopicPage.objects.get(center=center)
    assert page.url == "https://napha.no/tema/bolig"
    assert list(page.visits.values_list("year", "visits")) == [(2025, 12345)]
    assert page.visits.get().history.get().history_user == editor

    # The list shows the year's count with a thin space; the next year has none yet.
    html = client.get(url("kind_list"), {"year": "2025"}).content.decode()
    assert f"12{THIN}345" in html
    next_year = client.get(url("kind_list"), {"year": "2026"})
    assert listed(next_year) == {"Bolig": ["2026", "", "12345"]}

    # Changing 2026 keeps 2025; the form opens on the year in view with its count.
    edit = client.get(url("kind_edit", uid=page.uid), {"year": "2025"})
    assert edit.context["form"]["visits"].value() == 12345
    version = edit.content.decode().split('name="versjon" value="')[1].split('"')[0]
    changed = {**data, "year": "2026", "visits": "15000", "versjon": version}
    assert client.post(url("kind_edit", uid=page.uid), changed).status_code == 302
    assert sorted(page.visits.values_list("year", "visits")) == [(2025, 12345), (2026, 15000)]

    like = client.get(url("kind_create"), {"like": page.uid}).context["form"]
    assert like["name"].value() is None and like["url"].value() is None

    detail = client.get(url("kind_detail", uid=page.uid)).content.decode()
    assert f"15{THIN}000" in detail and f"12{THIN}345" in detail

    confirmation = client.get(url("kind_delete", uid=page.uid)).content.decode()
    assert "2 års besøkstall" in confirmation
    assert client.post(url("kind_delete", uid=page.uid)).status_code == 302
    assert not m.TopicPageVisits.objects.filter(center=center).exists()
    deletion = m.Deletion.objects.get(record_uid=page.uid)
    assert client.post(url("kind_restore", uid=deletion.uid)).status_code == 302
    restored = m.TopicPage.objects.get(uid=page.uid)
    assert sorted(restored.visits.values_list("year", "visits")) == [
        (2025, 12345),
        (2026, 15000),
    ]
    assert [h.history_type for h in restored.history.order_by("history_date")] == [
        "+", "~", "-", "+",
    ]  # fmt: skip


def test_a_bad_count_or_a_name_taken_is_refused_naming_the_field_and_keeping_the_rest(
    client, editor, center
):
    client.force_login(editor)
    page_with(center, "Rus og bolig")
    response = client.post(
        url("kind_create"),
        {"name": "rus og bolig", "url": "https://napha.no/x", "year": "2025", "visits": "-3"},
    )
    form = response.context["form"]
    assert "allerede registrert" in form.errors["name"][0]
    assert "visits" in form.errors
    html = response.content.decode()
    assert "Navn: Temasiden «rus og bolig» er allerede registrert." in html
    assert 'value="https://napha.no/x"' in html
    assert m.TopicPage.objects.filter(center=center).count() == 1


def test_the_list_shows_every_page_filters_the_missing_counts_in_fixed_queries(
    client, editor, center, make_center
):
    client.force_login(editor)
    page_with(center, "Bolig", y2025=900, y2024=700)
    page_with(center, "Rus", y2024=300)
    page_with(make_center("korus-nord"), "Fremmed", y2025=5)
    response = client.get(url("kind_list"), {"year": "2025"})
    assert listed(response) == {"Bolig": ["2025", "900", "700"], "Rus": ["2025", "", "300"]}
    missing = client.get(url("kind_list"), {"year": "2025", "visits": "mangler"})
    assert list(listed(missing)) == ["Rus"]
    most = client.get(url("kind_list"), {"year": "2024", "sort": "-visits"})
    assert list(listed(most)) == ["Bolig", "Rus"]
    assert list(listed(client.get(url("kind_list"), {"q": "rus"}))) == ["Rus"]
    # No year chosen: the newest year with counts.
    assert listed(client.get(url("kind_list")))["Bolig"][0] == "2025"

    params = {"year": "2025", "sort": "-visits"}
    with CaptureQueriesContext(connection) as small:
        client.get(url("kind_list"), params)
    for n in range(40):
        page_with(center, f"Side {n}", y2025=n, y2024=n)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(url("kind_list"), params).context["rows"]) == 42
    assert len(large) == len(small)


def test_another_centres_topic_page_answers_404_on_every_page(client, editor, make_center):
    foreign = page_with(make_center("korus-nord"), "Hemmelig", y2025=1)
    client.force_login(editor)
    for name in ("kind_detail", "kind_edit", "kind_delete"):
        assert client.get(url(name, uid=foreign.uid)).status_code == 404, name
        assert client.post(url(name, uid=foreign.uid), {"name": "x"}).status_code == 404, name
    assert "Hemmelig" not in client.get(url("kind_list"), {"year": ""}).content.decode()
    assert m.TopicPage.objects.get(pk=foreign.pk).name == "Hemmelig"


def test_the_lists_export_is_read_back_by_the_importer(client, editor, center):
    client.force_login(editor)
    page_with(center, "Bolig", y2025=900, y2024=700)
    export = client.get(url("kind_list"), {"year": "2025", "export": "csv"})
    m.TopicPage.objects.all().delete()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "temasider.csv"
        path.write_bytes(export.content)
        result = TopicPageImporter(center, 2025, editor).run(path)
    assert result.ok, result.problems
    page = m.TopicPage.objects.get(center=center, name="Bolig")
    assert page.url == "https://example.no/Bolig"
    assert sorted(page.visits.values_list("year", "visits")) == [(2024, 700), (2025, 900)]


@pytest.mark.parametrize("name", ["kind_detail", "kind_edit", "kind_delete", "kind_create"])
def test_a_topic_pages_own_pages_take_the_same_queries_for_one_count_and_many(
    client, editor, center, name
):
    client.force_login(editor)
    page = page_with(center, "Bolig", y2025=1)
    address = url(name) if name == "kind_create" else url(name, uid=page.uid)
    client.get(address)
    with CaptureQueriesContext(connection) as one:
        assert client.get(address).status_code == 200
    for year in range(2000, 2025):
        m.TopicPageVisits.objects.create(center=center, page=page, year=year, visits=year)
    with CaptureQueriesContext(connection) as many:
        assert client.get(address).status_code == 200
    assert len(many) == len(one)


def test_the_api_writes_topic_pages_through_the_same_service(client, editor, center):
    from oppdrag.api.tests.conftest import token_client

    api = token_client(editor)
    body = {"name": "Bolig", "url": "https://napha.no/tema/bolig"}
    created = api.post("/api/v1/napha/topic-pages/", body, format="json")
    assert created.status_code == 201, created.json()
    refused = api.post("/api/v1/napha/topic-pages/", {"name": "bolig"}, format="json")
    assert refused.status_code == 400 and "name" in refused.json()
    uid = created.json()["uid"]
    page = m.TopicPage.objects.get(uid=uid)
    m.TopicPageVisits.objects.create(center=center, page=page, year=2025, visits=77)
    assert api.delete(f"/api/v1/napha/topic-pages/{uid}/").status_code == 204
    deletion = m.Deletion.objects.get(record_uid=uid)
    assert deletion.kind == "temasider" and deletion.links["visits"] == [
        {"year": 2025, "visits": 77}
    ]
    client.force_login(editor)
    client.post(url("kind_restore", uid=deletion.uid))
    assert m.TopicPage.objects.get(uid=uid).visits.get().visits == 77
