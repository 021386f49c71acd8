"""The grant models in the back-office: every list opens, scoped to the user's centre."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oppdrag.grants.letter_parser import parse_letter
from oppdrag.grants.models import (
    Assignment,
    BudgetLine,
    Deliverable,
    DeliverableTag,
    Grant,
    GrantDate,
    NormativeProduct,
)
from oppdrag.grants.services import create_grant_from_draft

MODELS = [Grant, Assignment, BudgetLine, Deliverable, DeliverableTag, GrantDate, NormativeProduct]


@pytest.fixture
def setup(center, other_center, make_user, seed_text, client):
    user = make_user("leder", center)
    ours = create_grant_from_draft(center, parse_letter(seed_text), user)
    theirs = create_grant_from_draft(other_center, parse_letter(seed_text), None)
    client.force_login(user)
    return ours, theirs


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_grant_list_shows_a_centre_administrator_the_centres_rows_only(setup, client, model):
    ours, theirs = setup
    url = reverse(f"admin:grants_{model._meta.model_name}_changelist")
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    listing = response.context["cl"]
    assert listing.result_count == model.objects.filter(center=ours.center).count()
    assert all(row.center_id == ours.center_id for row in listing.result_list)
    # Both centres read the same letter: the other centre has as many rows.
    assert model.objects.filter(center=theirs.center).count() == listing.result_count


def test_another_centres_grant_cannot_be_opened(setup, client):
    ours, theirs = setup
    ok = client.get(reverse("admin:grants_grant_change", args=[ours.pk]))
    assert ok.status_code == 200
    response = client.get(reverse("admin:grants_grant_change", args=[theirs.pk]))
    assert response.status_code in (302, 404)
    listing = client.get(reverse("admin:grants_normativeproduct_changelist") + "?all=")
    assert (
        listing.context["cl"].result_count
        == NormativeProduct.objects.filter(center=ours.center).count()
    )


def test_a_deliverable_cannot_be_tagged_with_another_centres_record(
    center, other_center, make_user, client
):
    from django.contrib.contenttypes.models import ContentType

    from oppdrag.activities.models import Event

    assignment = Assignment.objects.create(center=center, year=2025, number="2.1", title="Vårt")
    deliverable = Deliverable.objects.create(center=center, assignment=assignment, text="Kurs")
    theirs = Event.objects.create(center=other_center, year=2025, theme="Deres", title="Deres")
    client.force_login(make_user("leder", center))
    response = client.post(
        reverse("admin:grants_deliverabletag_add"),
        {
            "center": center.pk,
            "deliverable": deliverable.pk,
            "content_type": ContentType.objects.get_for_model(Event).pk,
            "object_id": theirs.pk,
        },
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["object_id"] == [
        f"Leveransens senter har ingen post av typen «arrangement» med id {theirs.pk}."
    ]
    assert not DeliverableTag.objects.exists()
