"""Bokmål whatever the browser asks for: pages, Django's own messages, the API, the admin.

Every request here says it prefers English, both in ``Accept-Language`` and in Django's
language cookie; the answer is Norwegian all the same.
"""

import datetime as dt
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework import exceptions as api_exceptions
from rest_framework import fields as api_fields

from oppdrag.activities import models as m
from oppdrag.api.tests.conftest import token_client
from oppdrag.core.models import Membership

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.fixture
def english_client(settings) -> Client:
    client = Client(**ENGLISH)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def norwegian_page(response, *texts: str) -> str:
    body = response.content.decode()
    assert '<html lang="nb"' in body
    for text in texts:
        assert text in body
    return body


def test_the_login_page_and_its_errors_are_norwegian(english_client, db):
    norwegian_page(english_client.get(reverse("web:login")), "Logg inn")
    response = english_client.post(reverse("web:login"), {"username": "ola", "password": "feil"})
    body = norwegian_page(response, "Vennligst oppgi korrekt brukernavn og passord")
    assert "Please enter" not in body


def test_the_dashboard_is_norwegian(english_client, center, make_user):
    english_client.force_login(make_user("kari", center))
    norwegian_page(english_client.get(reverse("web:dashboard", args=["napha"])), "Oversikt")


def test_a_lists_filter_error_is_django_s_norwegian_message(english_client, center, make_user):
    english_client.force_login(make_user("kari", center))
    response = english_client.get(reverse("activities:event_list", args=["napha"]), {"year": "x"})
    body = norwegian_page(response, "Oppgi et tall.")
    assert "Enter a number" not in body


def test_an_empty_required_field_on_the_event_form_is_norwegian(english_client, center, make_user):
    english_client.force_login(make_user("kari", center, Membership.Role.EDITOR))
    response = english_client.post(
        reverse("activities:event_create", args=["napha"]), {"title": ""}
    )
    norwegian_page(response, "Skjemaet har feil", "Dette feltet er påkrevd.")
    assert not m.Event.objects.exists()


def test_password_rules_speak_norwegian(english_client, center, make_user):
    user = make_user("kari", center)
    user.email = "kari@example.org"
    user.save()
    english_client.post(reverse("web:password_reset"), {"email": "kari@example.org"})
    link = re.search(r"https?://[^/]+(/nytt-passord/\S+)", mail.outbox[0].body).group(1)
    form_url = english_client.get(link, follow=True).redirect_chain[-1][0]
    response = english_client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    body = norwegian_page(
        response, "Passordet er for kort. Det må bestå av minst 8 tegn.", "for vanlig."
    )
    assert "too short" not in body
    user.refresh_from_db()
    assert user.check_password("pw-kari")


def test_the_not_found_page_is_norwegian(english_client, db):
    response = english_client.get("/finnes-ikke/noe/annet/")
    assert response.status_code == 404
    norwegian_page(response, "Fant ikke siden")


def test_the_apis_errors_are_norwegian(center, make_user):
    api = token_client(make_user("api", center, Membership.Role.EDITOR))
    response = api.post("/api/v1/napha/events/", {}, format="json", **ENGLISH)
    assert response.status_code == 400
    assert response.json()["title"] == ["Dette feltet er påkrevd."]
    missing = api.get("/api/v1/napha/events/00000000-0000-0000-0000-000000000000/", **ENGLISH)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Ikke funnet."}
    anonymous = Client(**ENGLISH)
    assert anonymous.get("/api/v1/napha/events/").json() == {
        "detail": "Manglende autentiseringsinformasjon."
    }


def test_the_admin_is_norwegian(english_client, db):
    admin = get_user_model().objects.create_superuser("sjef", "sjef@example.org", "pw")
    english_client.force_login(admin)
    body = english_client.get(reverse("admin:index")).content.decode()
    assert '<html lang="nb"' in body
    assert "Logg ut" in body and "Log out" not in body


def field_messages(module, base) -> dict[str, str]:
    """Every default error message of ``module``'s field classes, in the active language."""
    found = {}
    for name, cls in vars(module).items():
        if isinstance(cls, type) and issubclass(cls, base):
            for klass in cls.__mro__:
                for key, message in getattr(klass, "default_error_messages", {}).items():
                    found[f"{name}.{key}"] = str(message)
    return found


def library_messages(db) -> dict[str, str]:
    found = field_messages(forms, forms.Field) | field_messages(api_fields, api_fields.Field)
    for name, cls in vars(api_exceptions).items():
        if isinstance(cls, type) and hasattr(cls, "default_detail"):
            found[name] = str(cls.default_detail)
    user = get_user_model()(username="kari1234")
    for validator in password_validation.get_default_password_validators():
        try:
            validator.validate("1234", user)
        except ValidationError as error:
            found[type(validator).__name__] = " ".join(error.messages)
    return {key: message for key, message in found.items() if message}


def test_no_form_api_or_password_message_is_left_in_english(db):
    # Django's bokmål catalogue lags behind its English text; the project's fills the gaps.
    with translation.override("en"):
        english = library_messages(db)
    norwegian = library_messages(db)
    untranslated = {key: text for key, text in norwegian.items() if text == english.get(key)}
    assert untranslated == {}


def test_a_date_shown_without_a_format_is_day_month_year():
    # What Django formats itself (the admin, a template's plain {{ date }}): oppdrag/formats.
    moment = dt.datetime(2026, 11, 23, 14, 5, tzinfo=dt.UTC)
    rendered = Template("{{ day }} {{ moment }}").render(
        Context({"day": moment.date(), "moment": moment})
    )
    assert rendered == "23.11.2026 23.11.2026 15:05"
