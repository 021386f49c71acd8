"""Fixtures for the API tests: token clients for each role in two centres."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from oppdrag.activities import models as m
from oppdrag.api.tokens import create_token
from oppdrag.core.models import Center, Membership, Person
from oppdrag.grants.models import Assignment, Grant
from oppdrag.teams.models import FidelityReview

ROLES = (Membership.Role.READER, Membership.Role.EDITOR, Membership.Role.ADMIN)


def token_client(user: Any) -> APIClient:
    _token, key = create_token(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clients(center, make_user) -> dict[str, APIClient]:
    """A token client per role in ``center`` (napha)."""
    return {str(role): token_client(make_user(f"api-{role}", center, role)) for role in ROLES}


def one_of_each(center: Center, tag: str, grant_year: int = 2025) -> dict[str, Any]:
    """One record of every API resource in ``center``, keyed by the resource's slug."""
    from oppdrag.teams.tests import factories

    person = Person.objects.create(center=center, name=f"Person {tag}")
    assignment = Assignment.objects.create(center=center, year=2025, number=tag, title=tag)
    grant = Grant.objects.create(center=center, year=grant_year, scheme=f"Tilskudd {tag}")
    event = m.Event.objects.create(center=center, year=2025, theme="Bolig", title=f"Samling {tag}")
    event.assignments.set([assignment])
    team = factories.team(center, name=f"FACT {tag}")
    review = FidelityReview.objects.create(
        center=center, team=team, date=dt.date(2025, 5, 1), scale_version=factories.dacts(center)
    )
    return {
        "events": event,
        "presentations": m.Presentation.objects.create(
            center=center, year=2025, title=f"Foredrag {tag}", kind="Foredrag"
        ),
        "op-eds": m.OpEd.objects.create(
            center=center, year=2025, title=f"Kronikk {tag}", kind="Kronikk", outlet="Avis"
        ),
        "consultation-responses": m.ConsultationResponse.objects.create(
            center=center, year=2025, title=f"Høring {tag}"
        ),
        "publications": m.Publication.objects.create(
            center=center, year=2025, title=f"Rapport {tag}", kind="Rapport"
        ),
        "media-appearances": m.MediaAppearance.objects.create(
            center=center, year=2025, person=person, title=f"Intervju {tag}", outlet="NRK"
        ),
        "groups": m.Group.objects.create(
            center=center, year=2025, name=f"Nettverk {tag}", role="leder"
        ),
        "web-articles": m.WebArticle.objects.create(
            center=center, year=2025, title=f"Nettsak {tag}", category="nyhet"
        ),
        "topic-pages": m.TopicPage.objects.create(center=center, name=f"Temaside {tag}"),
        "advice-requests": m.AdviceRequest.objects.create(
            center=center, year=2025, channel="telefon", topic=f"Råd {tag}"
        ),
        "people": person,
        "grants": grant,
        "teams": team,
        "fidelity-reviews": review,
        "assignment": assignment,
    }


@pytest.fixture
def two_centres(make_center, make_user) -> dict[str, Any]:
    own = make_center("napha")
    other = make_center("korus-oslo")
    users = {str(role): make_user(f"u-{role}", own, role) for role in ROLES}
    return {
        "own": own,
        "other": other,
        "mine": one_of_each(own, "egen"),
        "theirs": one_of_each(other, "andres"),
        "clients": {role: token_client(user) for role, user in users.items()},
        "users": users,
    }
