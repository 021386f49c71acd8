"""The API's behaviour: reading, writing through the forms, filters, pages, figures."""

from __future__ import annotations

import json
from io import StringIO

import django_filters
import pytest
from django.core.management import call_command

from oppdrag.activities import models as m
from oppdrag.api.filters import list_filter
from oppdrag.api.resources import RESOURCES
from oppdrag.api.tests.conftest import token_client
from oppdrag.core.models import Person
from oppdrag.reports.builder import build_report
from oppdrag.reports.renderers import RENDERERS
from oppdrag.web import filters as web_filters
from oppdrag.web.filters import EventFilter
from oppdrag.web.registry import KINDS


@pytest.fixture
def demo_client(demo, make_user):
    return token_client(make_user("api-demo", demo, "editor"))


def test_the_figures_equal_the_commands_json(demo, demo_client):
    out = StringIO()
    call_command("figures", "2025", "--center", "napha", "--json", stdout=out)
    response = demo_client.get("/api/v1/napha/years/2025/figures")
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["counts"]["events"] == m.Event.objects.filter(year=2025).count()


def test_the_report_is_the_report_apps_json(demo, demo_client):
    response = demo_client.get("/api/v1/napha/years/2025/report")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    _name, _mime, data = RENDERERS["json"].render(build_report(demo, 2025))
    assert response.json() == json.loads(data)


@pytest.mark.parametrize("year", [1000, 3000, 99999999999])
def test_years_out_of_range_are_not_found(center, clients, year):
    assert clients["reader"].get(f"/api/v1/napha/years/{year}/figures").status_code == 404


def test_an_editor_registers_changes_and_deletes_an_event(center, clients):
    client = clients["editor"]
    response = client.post(
        "/api/v1/napha/events/",
        {"year": 2025, "theme": "Bolig", "title": "Boligsamling", "date_start": "2025-03-04"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    uid = response.json()["uid"]
    event = m.Event.objects.get(uid=uid)
    assert event.center == center and event.date_start.isoformat() == "2025-03-04"
    assert event.history.first().history_user.username == "api-editor"
    url = f"/api/v1/napha/events/{uid}/"
    response = client.patch(url, {"participants": 40}, format="json")
    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.participants, event.title) == (40, "Boligsamling")
    assert client.delete(url).status_code == 204
    assert not m.Event.objects.filter(uid=uid).exists()
    assert client.get(url).status_code == 404


def test_the_event_forms_rules_apply_and_name_the_field(center, clients):
    """The date must be in the registered year: the services' rule, as the form says it."""
    response = clients["editor"].post(
        "/api/v1/napha/events/",
        {"year": 2025, "theme": "Bolig", "title": "Feil år", "date_start": "2024-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["date_start"] == [
        "Datoen 31.12.2024 er ikke i 2025, året posten gjelder."
    ]
    assert not m.Event.objects.exists()


def test_a_change_based_on_an_old_etag_is_refused_with_412(center, clients, make_user):
    first, second = clients["editor"], token_client(make_user("api-editor-2", center, "editor"))
    uid = first.post(
        "/api/v1/napha/events/",
        {"year": 2025, "theme": "Bolig", "title": "Boligsamling", "participants": 30},
        format="json",
    ).json()["uid"]
    url = f"/api/v1/napha/events/{uid}/"
    etag_first, etag_second = first.get(url)["ETag"], second.get(url)["ETag"]
    assert etag_first == etag_second and etag_first.startswith('"')
    response = first.patch(url, {"title": "Boligdag"}, format="json", HTTP_IF_MATCH=etag_first)
    assert response.status_code == 200 and response["ETag"] != etag_first
    refused = second.patch(url, {"participants": 55}, format="json", HTTP_IF_MATCH=etag_second)
    assert refused.status_code == 412
    assert "endret av noen andre" in refused.json()["detail"]
    assert second.delete(url, HTTP_IF_MATCH=etag_second).status_code == 412
    event = m.Event.objects.get(uid=uid)
    assert (event.title, event.participants) == ("Boligdag", 30)
    fresh = second.get(url)["ETag"]
    assert fresh == response["ETag"]
    again = second.patch(url, {"participants": 55}, format="json", HTTP_IF_MATCH=fresh)
    assert again.status_code == 200
    event.refresh_from_db()
    assert (event.title, event.participants) == ("Boligdag", 55)


def test_every_writable_kind_honours_if_match(center, clients):
    from oppdrag.api.tests.conftest import one_of_each

    client = clients["editor"]
    for slug, record in one_of_each(center, "E").items():
        resource = RESOURCES.get(slug)
        if resource is None or not resource.writable:
            continue
        url = f"/api/v1/napha/{slug}/{record.uid}/"
        response = client.patch(url, {}, format="json", HTTP_IF_MATCH='"gammel"')
        assert response.status_code == 412, slug
        etag = client.get(url)["ETag"]
        assert client.patch(url, {}, format="json", HTTP_IF_MATCH=etag).status_code == 200, slug


def test_a_change_without_if_match_is_still_accepted(center, clients):
    client = clients["editor"]
    uid = client.post("/api/v1/napha/people/", {"name": "Kari"}, format="json").json()["uid"]
    url = f"/api/v1/napha/people/{uid}/"
    assert client.patch(url, {"name": "Kari N."}, format="json").status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"year": "i fjor", "theme": "T", "title": "X"}, "year"),
        ({"year": 2025, "title": "X"}, "theme"),
        ({"year": 2025, "theme": "T", "title": "X", "participants": -3}, "participants"),
        ({"year": 2025, "theme": "T", "title": "X", "format": "Telepatisk"}, "format"),
        ({"year": 2025, "theme": "T", "title": "X", "regions": ["atlantis"]}, "regions"),
        ({"year": 2025, "theme": "T", "title": "X", "series": "ikke-en-uid"}, "series"),
        ({"year": 2025, "theme": "T", "title": "X", "assignments": "A1"}, "assignments"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_changes_nothing(center, clients, body, field):
    response = clients["editor"].post("/api/v1/napha/events/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not m.Event.objects.exists()


@pytest.mark.parametrize("body", ["[1, 2]", "null", '"tekst"', "{ikke json"])
def test_bodies_that_are_not_objects_answer_400(center, clients, body):
    response = clients["editor"].generic(
        "POST", "/api/v1/napha/people/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_a_duplicate_name_is_refused_on_the_name_field(center, clients):
    client = clients["editor"]
    assert client.post("/api/v1/napha/people/", {"name": "Kari"}, format="json").status_code == 201
    response = client.post("/api/v1/napha/people/", {"name": "Kari"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_person_in_use_cannot_be_deleted(center, clients):
    client = clients["editor"]
    uid = client.post("/api/v1/napha/people/", {"name": "Kari"}, format="json").json()["uid"]
    response = client.post(
        "/api/v1/napha/media-appearances/",
        {"year": 2025, "title": "Intervju", "outlet": "NRK", "person": uid},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["person_name"] == "Kari"
    assert client.delete(f"/api/v1/napha/people/{uid}/").status_code == 409


def test_the_event_list_is_filtered_by_the_list_pages_filterset(demo, demo_client):
    """Every filter of the page's FilterSet is an API parameter, with the same result."""
    assert RESOURCES["events"].filter_class() is list_filter("arrangementer") is EventFilter
    params = {"format": "Digital", "q": "webinar", "sort": "title", "year": "2025"}
    response = demo_client.get("/api/v1/napha/events/", {**params, "page_size": 200})
    assert response.status_code == 200
    expected = EventFilter(params, queryset=KINDS["arrangementer"].queryset(demo), center=demo).qs
    assert [row["uid"] for row in response.json()["results"]] == [str(e.uid) for e in expected]
    assert 0 < response.json()["count"] < m.Event.objects.count()
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == sorted(titles)
    response = demo_client.get("/api/v1/napha/events/", {"format": "Telepatisk"})
    assert response.status_code == 400 and "format" in response.json()


def test_a_filterset_declared_for_a_list_reaches_the_api(demo, demo_client, monkeypatch):
    """A FilterSet registered for a kind's list page becomes the API's, unchanged.

    The substitute has a filter no declared FilterSet has, so the API can only apply it
    by taking the registered class (an unknown parameter is otherwise ignored).
    """

    class ByInitial(django_filters.FilterSet):
        forbokstav = django_filters.CharFilter(field_name="title", lookup_expr="istartswith")

        class Meta:
            model = m.Presentation
            fields: list[str] = []

        def __init__(self, *args, center, **kwargs):
            super().__init__(*args, **kwargs)

    assert "forbokstav" not in web_filters.FILTERSETS["presentasjoner"].base_filters
    monkeypatch.setitem(web_filters.FILTERSETS, "presentasjoner", ByInitial)
    initial = m.Presentation.objects.values_list("title", flat=True)[0][0]
    expected = m.Presentation.objects.filter(title__istartswith=initial).count()
    assert expected < m.Presentation.objects.count()
    response = demo_client.get(
        "/api/v1/napha/presentations/", {"forbokstav": initial, "page_size": 200}
    )
    assert response.status_code == 200
    assert response.json()["count"] == expected
    assert all(row["title"][0].lower() == initial.lower() for row in response.json()["results"])


def test_search_and_year_as_on_the_list_page(demo, demo_client):
    response = demo_client.get("/api/v1/napha/presentations/", {"q": "webinar", "year": 2025})
    rows = response.json()["results"]
    assert rows and all(
        "webinar" in row["title"].lower() or "webinar" in row["kind"].lower() for row in rows
    )
    assert demo_client.get("/api/v1/napha/presentations/", {"year": "x"}).status_code == 400


def test_pages_have_a_size_with_a_maximum(demo, demo_client):
    first = demo_client.get("/api/v1/napha/events/").json()
    assert len(first["results"]) == 50 and first["next"]
    big = demo_client.get("/api/v1/napha/events/", {"page_size": 10_000}).json()
    assert len(big["results"]) == min(200, big["count"])
    assert demo_client.get("/api/v1/napha/events/", {"page": 999}).status_code == 404


def test_a_session_write_needs_the_csrf_token(center, make_user):
    from rest_framework.test import APIClient

    user = make_user("nettleser", center, "editor")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/napha/events/").status_code == 200
    response = client.post("/api/v1/napha/people/", {"name": "Uten token"}, format="json")
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_the_hours_are_appendix_7_as_computed(full_demo, make_user):
    from oppdrag.hours.tables import appendix_7

    client = token_client(make_user("timer", full_demo, "reader"))
    response = client.get("/api/v1/napha/years/2025/hours")
    assert response.status_code == 200
    table = appendix_7(full_demo, 2025)
    body = response.json()
    assert body["total_hours"] == str(table.total_hours)
    assert [g["title"] for g in body["performed"]] == [g.title for g in table.performed]
    assert table.total_hours > 0
