"""The error pages: Norwegian, with the site header and a way back."""

import uuid

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from oppdrag.activities import models as m
from oppdrag.core.models import Membership

HEADER = '<header class="site-header">'


def error_page(response, status: int, heading: str, back: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert '<html lang="nb"' in body
    assert HEADER in body
    assert f'<h1 class="ds-heading" data-size="lg">{heading}</h1>' in body
    assert f'href="{back}"' in body
    return body


def test_an_unknown_address_is_a_norwegian_404_with_a_link_to_the_front_page(client, db):
    body = error_page(client.get("/finnes/ikke/her/"), 404, "Fant ikke siden", "/")
    assert "Til forsiden" in body


def test_a_missing_record_links_back_to_the_centres_dashboard(client, center, make_user):
    client.force_login(make_user("kari", center))
    response = client.get(reverse("activities:event_detail", args=["napha", uuid.uuid4()]))
    body = error_page(response, 404, "Fant ikke siden", reverse("web:dashboard", args=["napha"]))
    assert "Tilbake til oversikten for NAPHA" in body


def test_another_centres_page_is_a_404_that_names_nothing_of_it(
    client, center, other_center, make_user
):
    client.force_login(make_user("kari", center))
    body = error_page(client.get("/korus-nord/"), 404, "Fant ikke siden", "/")
    assert "KORUS-NORD" not in body


def test_a_role_without_access_gets_a_norwegian_403(client, center, make_user):
    client.force_login(make_user("partner", center, Membership.Role.PARTNER))
    response = client.get(reverse("web:dashboard", args=["napha"]))
    error_page(response, 403, "Ingen tilgang", "/")


def test_a_bad_request_is_a_norwegian_400(client, db):
    # A host outside ALLOWED_HOSTS is Django's own 400, rendered without a request.
    response = client.get("/", HTTP_HOST="angriper.example")
    error_page(response, 400, "Ugyldig forespørsel", "/")


def test_a_form_post_without_its_csrf_token_is_refused_in_norwegian(center, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("kari", center, Membership.Role.EDITOR))
    response = client.post(
        reverse("activities:event_create", args=["napha"]), {"title": "Uten token"}
    )
    body = error_page(response, 403, "Skjemaet ble avvist", "/")
    assert "ingenting er lagret" in body
    assert not m.Event.objects.exists()


def test_the_500_page_needs_neither_a_request_context_nor_the_database():
    # No database fixture: any query here would fail the test.
    response = defaults.server_error(RequestFactory().get("/"))
    body = error_page(response, 500, "Noe gikk galt", "/")
    assert "Til forsiden" in body


@pytest.mark.django_db
def test_an_exception_in_a_view_answers_the_norwegian_500(client, center, make_user, monkeypatch):
    from oppdrag.web import views

    def broken(*args, **kwargs):
        raise RuntimeError("feil i visningen")

    monkeypatch.setattr(views, "dashboard_context", broken)
    client.raise_request_exception = False
    client.force_login(make_user("kari", center))
    response = client.get(reverse("web:dashboard", args=["napha"]))
    error_page(response, 500, "Noe gikk galt", "/")
