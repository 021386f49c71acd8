"""The back-office: a partner centre's user sees shared reviews read-only, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from oppdrag.core.models import Membership
from oppdrag.teams import services
from oppdrag.teams.models import FidelityReview

from .factories import dacts, team


@pytest.fixture
def reviews(center, other_center):
    version = dacts(center)
    shared = services.record_review(
        center=center,
        team=team(center, "Delt"),
        date=dt.date(2025, 5, 1),
        scale_version=version,
    )
    services.record_review(
        center=center,
        team=team(center, "Privat", municipalities=("Tromsø",)),
        date=dt.date(2025, 6, 1),
        scale_version=version,
    )
    services.share_review(shared, [other_center])
    return shared


def partner_client(client, make_user, other_center):
    user = make_user("rater", other_center, Membership.Role.ADMIN)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="teams"))
    client.force_login(user)
    return client


def test_a_partner_sees_the_shared_review_and_not_the_others(
    client, make_user, other_center, reviews
):
    client = partner_client(client, make_user, other_center)
    page = client.get("/admin/teams/fidelityreview/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Delt" in text
    assert "Privat" not in text


def test_a_partner_cannot_change_a_shared_review_nor_open_a_private_one(
    client, make_user, other_center, reviews
):
    client = partner_client(client, make_user, other_center)
    shared = client.get(f"/admin/teams/fidelityreview/{reviews.pk}/change/")
    assert shared.status_code == 200
    assert b'name="_save"' not in shared.content
    private = FidelityReview.objects.exclude(pk=reviews.pk).get()
    response = client.get(f"/admin/teams/fidelityreview/{private.pk}/change/")
    assert response.status_code in (302, 404)
    assert client.get("/admin/teams/serviceteam/").content.decode().count("Privat") == 0
