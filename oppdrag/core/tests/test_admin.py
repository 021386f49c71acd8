"""The back-office: every model is there, in Norwegian, and scoped to the user's centres."""

import pytest
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Person
from oppdrag.grants.models import Assignment

TENANT_MODELS = [
    model
    for model, model_admin in admin.site._registry.items()
    if any(f.name == "center" for f in model._meta.fields)
]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def outsider_rows(make_center):
    other = make_center("rvts-nord")
    person = Person.objects.create(center=other, name="Ekstern Person")
    event = m.Event.objects.create(
        center=other, year=2025, theme="Hemmelig", title="Skjult samling"
    )
    event.assignments.add(
        Assignment.objects.create(center=other, year=2025, number="3.1", title="Hemmelig oppdrag")
    )
    m.Presentation.objects.create(center=other, year=2025, title="Skjult foredrag", kind="Foredrag")
    return {"center": other, "event": event, "person": person}


def test_every_registry_model_is_in_the_admin():
    registered = set(admin.site._registry)
    for model in (
        m.Event,
        m.Presentation,
        m.OpEd,
        m.ConsultationResponse,
        m.Publication,
        m.MediaAppearance,
        m.Group,
        m.WebArticle,
        m.TopicPage,
        m.AdviceRequest,
        m.EventSeries,
        m.PublishedFigure,
        Person,
        Center,
    ):
        assert model in registered, model


OPPDRAG_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"core", "grants", "activities"}
]


@pytest.mark.parametrize("model", OPPDRAG_MODELS, ids=lambda m: m.__name__)
def test_every_list_opens_for_a_centre_administrator_in_norwegian(demo, client, model):
    client.login(request=HttpRequest(), username="demo", password="demo")
    response = client.get(changelist(model), HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    assert "Logg ut" in response.content.decode()


def test_lists_show_only_the_users_centre(demo, client, outsider_rows):
    client.login(request=HttpRequest(), username="demo", password="demo")
    for model in TENANT_MODELS:
        body = client.get(changelist(model)).content.decode()
        assert "Skjult" not in body and "Hemmelig" not in body and "Ekstern Person" not in body


def test_another_centres_record_cannot_be_opened(demo, client, outsider_rows):
    client.login(request=HttpRequest(), username="demo", password="demo")
    event = outsider_rows["event"]
    url = reverse("admin:activities_event_change", args=[event.pk])
    response = client.get(url)
    # The admin answers an object outside the queryset by redirecting to its index.
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    response = client.post(url, {"title": "Endret"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Skjult samling"


def test_search_and_filters_work_on_the_event_list(demo, client):
    client.login(request=HttpRequest(), username="demo", password="demo")
    body = client.get(changelist(m.Event), {"q": "Housing First", "format": "Digital"}).content
    assert "Housing First teamledersamling" in body.decode()


def test_the_event_list_takes_the_same_number_of_queries_for_more_rows(
    demo, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oppdrag.figures.scale import multiply

    client.login(request=HttpRequest(), username="demo", password="demo")
    with CaptureQueriesContext(connection) as small:
        client.get(changelist(m.Event))
    multiply(demo, 2025, 5)
    with CaptureQueriesContext(connection) as large:
        client.get(changelist(m.Event))
    assert len(large) == len(small)
