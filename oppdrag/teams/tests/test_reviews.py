"""Fidelity reviews: validation, preconditions, results and sharing between centres."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oppdrag.teams import services
from oppdrag.teams.models import FidelityReview, RaterScore, ServiceTeam
from oppdrag.teams.scales import builtin_scale

from .factories import all_items, dacts, team

DAY = dt.date(2025, 5, 10)
READY = {"agreement_signed_on": dt.date(2025, 3, 1), "dpo_approved_on": dt.date(2025, 4, 1)}


def record(center, version, **kwargs):
    defaults = {
        "center": center,
        "team": kwargs.pop("team", None)
        or ServiceTeam.objects.filter(center=center, name="FACT Bodø").first()
        or team(center),
        "date": DAY,
        "scale_version": version,
        "status": FidelityReview.Status.COMPLETED,
        **READY,
    }
    return services.record_review(**{**defaults, **kwargs})


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_it_records_two_raters_and_the_consensus_and_computes_the_results(center):
    version = dacts(center)
    a = all_items(version, 4)
    b = {**a, "H7": 2, "S10": 3}
    consensus = {**a, "H7": 2, "S10": 2}
    review = record(
        center,
        version,
        raters=[services.RaterInput("Kari", scores=a), services.RaterInput("Ola", scores=b)],
        consensus=consensus,
        comments={"H7": "Psykiater mangler i teamet."},
    )
    result = services.review_result(review)
    assert result.total == pytest.approx((26 * 4 + 2 + 2) / 28)
    assert [s.code for s in result.sections] == ["H", "O", "S"]
    assert result.sections[0].mean == pytest.approx((10 * 4 + 2) / 11)
    assert result.level == "Moderat modelltrohet" if result.total < 4 else "Høy modelltrohet"
    assert result.low_items == ["H7", "S10"]
    agreement = services.review_agreement(review)
    assert agreement.exact == pytest.approx(26 / 28)
    assert agreement.within_one == pytest.approx(27 / 28)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"rater": {"H1": 6}}, "Skåren 6 for H1 er utenfor skalaen (1–5)."),
        ({"rater": {"H1": 0}}, "Skåren 0 for H1 er utenfor skalaen (1–5)."),
        ({"rater": {"H1": 3.5}}, "følger ikke skalaens trinn"),
        ({"rater": {"H1": None}}, "Skår mangler for H1."),
        ({"consensus": {"X9": 3}}, "har ingen indikator «X9»"),
        ({"comments": {"Z1": "?"}}, "Kommentarer til indikatorer skalaen ikke har: Z1."),
    ],
)
def test_bad_scores_are_refused_with_a_clear_message_and_nothing_is_saved(center, change, expected):
    version = dacts(center)
    the_team = team(center)
    scores = {**all_items(version), **change.get("rater", {})}
    if change.get("rater", {}).get("H1", 1) is None:
        del scores["H1"]
    with pytest.raises(ValidationError) as excinfo:
        record(
            center,
            version,
            team=the_team,
            raters=[services.RaterInput("Kari", scores=scores)],
            consensus={**all_items(version), **change.get("consensus", {})},
            comments=change.get("comments", {}),
        )
    assert expected in messages(excinfo)
    assert not FidelityReview.objects.exists()
    assert not RaterScore.objects.exists()


def test_an_unknown_scale_version_is_refused(center):
    dacts(center)
    with pytest.raises(ValidationError) as excinfo:
        record(center, ("dacts", "2017R"))
    assert "Ukjent skalaversjon «dacts 2017R»" in messages(excinfo)
    assert "dacts 1998" in messages(excinfo)
    assert not FidelityReview.objects.exists()


def test_a_review_cannot_start_without_agreement_and_data_protection_approval(center):
    version = dacts(center)
    with pytest.raises(ValidationError) as excinfo:
        record(center, version, agreement_signed_on=None, dpo_approved_on=None)
    assert "samarbeidsavtalen" in messages(excinfo)
    assert "personvernombudet" in messages(excinfo)
    planned = record(
        center,
        version,
        status=FidelityReview.Status.PLANNED,
        agreement_signed_on=dt.date(2025, 1, 1),
        dpo_approved_on=None,
    )
    with pytest.raises(ValidationError):
        services.start_review(planned)
    planned.dpo_approved_on = dt.date(2025, 2, 1)
    planned.save()
    assert services.start_review(planned).status == FidelityReview.Status.STARTED


def test_the_database_refuses_a_started_review_without_preconditions(center):
    version = dacts(center)
    review = record(center, version, status=FidelityReview.Status.PLANNED)
    review.agreement_signed_on = None
    review.status = FidelityReview.Status.STARTED
    with pytest.raises(IntegrityError), transaction.atomic():
        review.save()


def test_scores_need_a_loaded_scale_definition(center):
    version = services.register_scale_version(
        center=center, key="fact", name="FACT-skalaen", version="2017R"
    )
    counted = record(center, version)
    assert counted.scale_version == version
    with pytest.raises(ValidationError) as excinfo:
        record(center, version, consensus={"A1": 3})
    assert "ikke lastet" in messages(excinfo)


def test_it_compares_a_review_with_the_teams_previous_one(center):
    version = dacts(center)
    the_team = team(center)
    record(
        center, version, team=the_team, date=dt.date(2023, 5, 1), consensus=all_items(version, 3)
    )
    later = record(center, version, team=the_team, consensus=all_items(version, 4))
    comparison = services.compare_with_previous(later)
    assert comparison is not None
    assert comparison["total"] == 1.0
    assert comparison["sections"] == {"H": 1.0, "O": 1.0, "S": 1.0}
    history = services.team_history(the_team)
    assert [p.total for p in history] == [3.0, 4.0]
    assert history[-1].level == "Høy modelltrohet"


def test_the_summary_lists_the_items_most_often_below_three(center):
    version = dacts(center)
    record(center, version, team=team(center, "A"), consensus={**all_items(version), "H7": 2})
    record(
        center,
        version,
        team=team(center, "B", municipalities=("Tromsø",)),
        consensus={**all_items(version), "H7": 1, "H10": 2},
    )
    summary = services.review_summary(FidelityReview.objects.filter(center=center))["dacts 1998"]
    assert summary["reviews"] == 2
    assert summary["items_most_often_low"][0] == {
        "code": "H7",
        "name": "Psykiater i teamet",
        "reviews": 2,
    }
    assert summary["regions"] == {"Nord": {"reviews": 2, "mean_total": pytest.approx(3.9, abs=0.1)}}


def test_a_partner_centre_sees_the_reviews_shared_with_it_and_nothing_else(
    center, other_center, make_center
):
    third = make_center("rvts-nord")
    version = dacts(center)
    shared = record(center, version, team=team(center, "A"))
    record(center, version, team=team(center, "B", municipalities=("Tromsø",)))
    services.share_review(shared, [other_center])
    own = record(other_center, dacts(other_center), team=team(other_center, "C"))
    assert set(FidelityReview.objects.visible_to(other_center)) == {shared, own}
    assert FidelityReview.objects.visible_to(third).count() == 0
    assert FidelityReview.objects.visible_to(center).count() == 2


def test_a_review_cannot_use_another_centres_scale_or_team(center, other_center):
    with pytest.raises(ValidationError):
        record(center, dacts(other_center))
    with pytest.raises(ValidationError):
        record(center, dacts(center), team=team(other_center))


def test_a_scale_version_used_by_reviews_cannot_be_changed(center):
    version = dacts(center)
    record(center, version, consensus=all_items(version))
    _scale, data = builtin_scale("dacts")
    changed = copy.deepcopy(data)
    changed["sections"][0]["items"][0]["name"] = "Endret"
    with pytest.raises(ValidationError) as excinfo:
        services.load_scale(center=center, definition=changed)
    assert "nytt versjonsnummer" in messages(excinfo)
    assert services.load_scale(center=center, definition=data) == version
    changed["version"] = "1998-b"
    assert services.load_scale(center=center, definition=changed).version == "1998-b"


def test_the_feedback_report_lists_every_rater_pair_when_there_are_three_raters(center):
    from oppdrag.teams.feedback import feedback_report

    version = dacts(center)
    base = all_items(version, 4)
    review = record(
        center,
        version,
        raters=[
            services.RaterInput("Kari", scores=base),
            services.RaterInput("Ola", scores={**base, "H1": 3}),
            services.RaterInput("Per", scores={**base, "H1": 5, "H2": 2}),
        ],
        consensus=base,
    )
    agreement = next(s for s in feedback_report(review).sections if s.key == "agreement")
    pairs = agreement.blocks[1]
    assert [row[0] for row in pairs.rows] == ["Kari – Ola", "Kari – Per", "Ola – Per"]
