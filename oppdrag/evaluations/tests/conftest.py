import datetime as dt

import pytest
from django.core.cache import cache

from oppdrag.activities.models import Event
from oppdrag.evaluations import services


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(center):
    return Event.objects.create(
        center=center, year=2026, theme="Rus", title="Webinar om rus", participants=40,
        date_start=dt.date(2026, 3, 1),
    )  # fmt: skip


@pytest.fixture
def survey(center, event):
    return services.attach_evaluation(
        center=center, questionnaire=services.standard_questionnaire(), event=event
    )


def fill_standard(client, survey, **overrides):
    """GET the form, then POST a complete answer with its nonce and CSRF token."""
    page = client.get(f"/svar/{survey.token}/")
    assert page.status_code == 200, page.content[:300]
    html = page.content.decode()
    nonce = html.split('name="skjemakode" value="')[1].split('"')[0]
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = {
        "csrfmiddlewaretoken": token,
        "skjemakode": nonce,
        "q-relevance": "4",
        "q-usefulness": "5",
        "q-quality": "3",
        "q-recommend": "4",
        "q-change": "Mer tid til spørsmål.",
    }
    data.update(overrides)
    return data
