"""A fidelity review changed, deleted and restored on its pages: through the services
the admin shares, with history, and followed by the team's chart and ``figures --json``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities.models import Deletion
from oppdrag.core.models import Center, Membership
from oppdrag.teams import services
from oppdrag.teams.models import ConsensusScore, FidelityReview, RaterScore

from .factories import all_items, dacts, team

READY = {"agreement_signed_on": dt.date(2025, 3, 1), "dpo_approved_on": dt.date(2025, 4, 1)}


@pytest.fixture
def napha(make_center):
    return make_center("napha")


@pytest.fixture
def user(napha, make_user):
    return make_user("redaktor", napha, Membership.Role.EDITOR)


@pytest.fixture
def editor(client, user):
    client.force_login(user)
    return client


def review(center, on_team, value=3, raters=("Kari", "Ola"), **kwargs):
    version = dacts(center)
    return services.record_review(
        center=center,
        team=on_team,
        date=dt.date(2025, 9, 15),
        scale_version=version,
        consensus=all_items(version, value),
        comments={"H1": "Godt i gang"},
        raters=[services.RaterInput(name, scores=all_items(version, value)) for name in raters],
        status="completed",
        **READY,
        **kwargs,
    )


def url(name, center="napha", **kwargs):
    return reverse(f"teams:{name}", kwargs={"center": center, **kwargs})


def posted(form_page) -> dict[str, Any]:
    """The edit form's values as the browser would post them unchanged."""
    form = form_page.context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    data["versjon"] = form_page.content.decode().split('name="versjon" value="')[1].split('"')[0]
    return data


def figures_json(year: int) -> dict:
    out = io.StringIO()
    call_command("figures", str(year), "--center", "napha", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_review_changed_on_its_page_moves_the_chart_and_the_figures(editor, napha, user):
    salten = team(napha, "FACT Salten")
    saved = review(napha, salten)
    [before] = figures_json(2025)["teams"]["fidelity_reviews"]["scores"]
    assert before["total"] == 3

    page = editor.get(url("review_edit", uid=saved.uid))
    assert page.status_code == 200
    data = posted(page)
    assert data["r1_name"] == "Kari" and data["c_H1"] == "3" and data["k_H1"] == "Godt i gang"
    codes = list(all_items(saved.scale_version))
    for code in codes:
        data[f"c_{code}"] = "5"
    data["c_H1"], data["r2_H1"], data["k_H1"] = "4", "4", "Bedre nå"
    response = editor.post(url("review_edit", uid=saved.uid), data)
    assert response.status_code == 302, response.context["form"].errors

    [after] = figures_json(2025)["teams"]["fidelity_reviews"]["scores"]
    assert after["items"]["H1"] == 4 and after["items"][codes[-1]] == 5
    assert after["total"] > before["total"]
    chart = editor.get(url("team_detail", uid=salten.uid)).content.decode()
    totals = re.findall(r'class="chart-total">([^<]+)<', chart)
    assert totals == [f"{after['total']:g}".replace(".", ",")]
    assert RaterScore.objects.get(rater__name="Ola", item_code="H1").score == 4
    assert ConsensusScore.objects.get(item_code="H1").comment == "Bedre nå"
    saved.refresh_from_db()
    assert [h.history_type for h in saved.history.order_by("history_date")] == ["+", "~"]
    assert saved.history.latest().history_user == user


def test_a_bad_change_is_refused_on_the_form_and_nothing_changes(editor, napha):
    saved = review(napha, team(napha, "FACT Salten"))
    data = posted(editor.get(url("review_edit", uid=saved.uid)))
    data.update({"c_H1": "9", "date": "2019-01-01"})
    response = editor.post(url("review_edit", uid=saved.uid), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "før teamet startet" in page
    assert "Skåren 9 for H1 er utenfor skalaen" in page
    assert response.context["form"]["c_H1"].value() == "9"  # the input is kept
    saved.refresh_from_db()
    assert saved.date == dt.date(2025, 9, 15)
    assert ConsensusScore.objects.get(review=saved, item_code="H1").score == 3


def test_a_deleted_review_is_restored_with_its_raters_scores_and_sharing(editor, napha, user):
    partner = Center.objects.create(slug="rvts-ost", name="RVTS Øst")
    salten = team(napha, "FACT Salten")
    saved = review(napha, salten, shared_with=[partner])
    confirmation = editor.get(url("review_delete", uid=saved.uid)).content.decode()
    assert "2 bedømmere" in confirmation and "delingen med RVTS Øst" in confirmation
    response = editor.post(url("review_delete", uid=saved.uid))
    assert response.status_code == 302
    assert not FidelityReview.objects.exists() and not RaterScore.objects.exists()
    assert figures_json(2025)["teams"]["fidelity_reviews"]["scores"] == []

    listed = editor.get(url("review_deleted")).content.decode()
    assert "Gjenopprett «FACT Salten 15.09.2025»" in listed
    deletion = Deletion.objects.get(record_uid=saved.uid)
    assert deletion.deleted_by == user
    editor.post(url("review_restore", uid=deletion.uid))
    restored = FidelityReview.objects.get(uid=saved.uid)
    assert [r.name for r in restored.raters.order_by("pk")] == ["Kari", "Ola"]
    assert RaterScore.objects.filter(rater__review=restored).count() == 2 * len(
        all_items(restored.scale_version)
    )
    assert restored.consensus.get(item_code="H1").comment == "Godt i gang"
    assert list(restored.shared_with.all()) == [partner]
    assert [h.history_type for h in restored.history.order_by("history_date")] == ["+", "-", "+"]
    assert "Gjenopprett" not in editor.get(url("review_deleted")).content.decode()


def test_the_admin_deletes_a_review_through_the_service(client, napha, make_user):
    saved = review(napha, team(napha, "FACT Salten"))
    client.force_login(make_user("sjef", napha, Membership.Role.ADMIN))
    admin_url = reverse("admin:teams_fidelityreview_delete", args=[saved.pk])
    response = client.post(admin_url, {"post": "yes"})
    assert response.status_code == 302
    assert Deletion.objects.get(record_uid=saved.uid).kind == services.DELETED_REVIEWS


def test_another_centres_review_answers_404_on_the_new_pages(editor, make_center):
    other = make_center("korus-oslo")
    foreign = review(other, team(other, "FACT Oslo", municipalities=("Oslo",)))
    for name in ("review_edit", "review_delete"):
        assert editor.get(url(name, uid=foreign.uid)).status_code == 404
        assert editor.post(url(name, uid=foreign.uid), {"date": "2025-01-01"}).status_code == 404
    gone = services.delete_review(review(other, team(other, "FACT Asker")))
    assert editor.post(url("review_restore", uid=gone.uid)).status_code == 404
    assert "FACT Asker" not in editor.get(url("review_deleted")).content.decode()
    assert FidelityReview.objects.filter(pk=foreign.pk).exists()


def test_the_new_review_pages_take_the_same_queries_for_few_raters_and_many(editor, napha):
    few = review(napha, team(napha, "FACT Salten"), raters=("Kari",))
    many = review(napha, team(napha, "FACT Lofoten"), raters=("Kari", "Ola", "Per", "Liv"))
    services.delete_review(review(napha, team(napha, "FACT Vesterålen")))

    def count(address):
        editor.get(address)
        with CaptureQueriesContext(connection) as captured:
            assert editor.get(address).status_code == 200
        return len(captured)

    for name in ("review_edit", "review_delete"):
        assert count(url(name, uid=few.uid)) == count(url(name, uid=many.uid)), name
    one = count(url("review_deleted"))
    for index in range(3):
        services.delete_review(review(napha, team(napha, f"FACT Vekst {index}")))
    assert count(url("review_deleted")) == one
