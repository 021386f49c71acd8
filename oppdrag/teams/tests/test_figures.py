"""Team figures at a date."""

from __future__ import annotations

import datetime as dt

from oppdrag.core.models import CityDistrict
from oppdrag.teams import services
from oppdrag.teams.figures import team_figures
from oppdrag.teams.models import PilotProject, TeamStatus

from .factories import model_type, municipality, team


def test_a_team_closed_mid_year_counts_before_the_closing_date_but_not_after(center):
    closing = team(center, "FACT Bodø")
    team(center, "FACT Tromsø", municipalities=("Tromsø",))
    services.set_team_status(
        team=closing, status=TeamStatus.Status.CLOSED, valid_from=dt.date(2025, 7, 1)
    )
    before = team_figures(center, 2025, at=dt.date(2025, 6, 30))
    after = team_figures(center, 2025, at=dt.date(2025, 7, 1))
    assert before["by_type"] == {"FACT": 2}
    assert after["by_type"] == {"FACT": 1}
    assert before["municipalities_covered"] == {"FACT": 2}
    assert after["municipalities_covered"] == {"FACT": 1}
    assert after["closed_in_year"] == {"FACT": 1}
    assert team_figures(center, 2024)["closed_in_year"] == {}


def test_a_team_started_in_the_year_is_counted_from_its_start(center):
    team(center, "RPH Alta", code="rph", municipalities=("Alta",), start=dt.date(2025, 3, 1))
    assert team_figures(center, 2025, at=dt.date(2025, 2, 28))["by_type"] == {}
    figures = team_figures(center, 2025)
    assert figures["by_type"] == {"RPH": 1}
    assert figures["started_in_year"] == {"RPH": 1}
    assert figures["by_type_and_region"] == {"RPH": {"Nord": 1}}


def test_a_paused_team_still_counts_and_a_pilot_status_does_not(center):
    paused = team(center, "FACT Bodø")
    services.set_team_status(
        team=paused, status=TeamStatus.Status.PAUSED, valid_from=dt.date(2025, 2, 1)
    )
    pilot = team(center, "FACT Tromsø", municipalities=("Tromsø",), start=None)
    services.set_team_status(
        team=pilot, status=TeamStatus.Status.PILOT, valid_from=dt.date(2024, 1, 1)
    )
    assert team_figures(center, 2025)["by_type"] == {"FACT": 1}


def test_a_municipality_owning_several_teams_of_a_type_is_counted_once(center):
    team(center, "FACT Bodø 1", municipalities=("Bodø", "Saltdal"))
    team(center, "FACT Bodø 2", municipalities=("Bodø",))
    team(center, "ACT Bodø", code="act", municipalities=("Bodø",))
    figures = team_figures(center, 2025)
    assert figures["municipalities_covered"] == {"ACT": 1, "FACT": 2}
    assert figures["inter_municipal"] == {"FACT": 1}


def test_it_counts_districts_and_municipalities_without_a_team_per_county(center):
    services.create_team(
        center=center,
        model_type=model_type("rph"),
        name="RPH Frogner",
        districts=[CityDistrict.objects.get(name="Frogner")],
    )
    team(center, "RPH Alta", code="rph", municipalities=("Alta",))
    figures = team_figures(center, 2025)
    assert figures["districts_covered"] == {"RPH": 1}
    finnmark = figures["municipalities_without_team"]["RPH"]["Finnmark"]
    assert finnmark == {"without": finnmark["municipalities"] - 1, "municipalities": 18}
    assert figures["municipalities_without_team"]["RPH"]["Oslo"]["without"] == 1


def test_it_counts_the_years_pilot_projects_by_type(center):
    fact = model_type("fact")
    services.create_pilot_project(
        center=center,
        model_type=fact,
        name="Ny",
        grant_years=[2025],
        municipalities=[municipality("Bodø")],
    )
    services.create_pilot_project(
        center=center, model_type=fact, name="Andre år", grant_years=[2024, 2025]
    )
    services.create_pilot_project(
        center=center,
        model_type=fact,
        name="Ferdig",
        grant_years=[2024, 2025],
        outcome=PilotProject.Outcome.ENDED,
        ended_on=dt.date(2025, 5, 1),
    )
    services.create_pilot_project(center=center, model_type=fact, name="Gammel", grant_years=[2023])
    figures = team_figures(center, 2025)
    assert figures["pilot_projects"] == {"FACT": 2}
    assert figures["pilot_projects_new"] == {"FACT": 1}
    assert figures["pilot_projects_ended"] == {"FACT": 1}


def test_the_query_count_does_not_grow_with_the_registry(center, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            team_figures(center, 2025)
        return len(ctx.captured_queries)

    team(center, "FACT Bodø")
    small = count()
    for index, name in enumerate(["Tromsø", "Alta", "Narvik", "Saltdal", "Vadsø"]):
        created = team(center, f"FACT {index}", municipalities=(name, "Bodø"))
        services.set_team_status(
            team=created, status=TeamStatus.Status.CLOSED, valid_from=dt.date(2025, 3, 1)
        )
        services.create_pilot_project(
            center=center, model_type=model_type("fact"), name=f"P{index}", grant_years=[2025]
        )
    assert count() == small
    with django_assert_max_num_queries(small):
        team_figures(center, 2025)


def test_a_second_team_with_the_same_model_and_name_is_refused(center):
    import pytest
    from django.core.exceptions import ValidationError

    team(center, "FACT Bodø")
    with pytest.raises(ValidationError, match="allerede registrert"):
        team(center, "FACT Bodø")


def test_each_scored_review_of_the_year_has_its_total_level_and_item_scores(center):
    from .factories import all_items, dacts

    ready = {"agreement_signed_on": dt.date(2025, 1, 1), "dpo_approved_on": dt.date(2025, 1, 2)}
    version = dacts(center)
    scored = team(center, "FACT Bodø")
    consensus = {**all_items(version, 4), "H1": 2}
    services.record_review(
        center=center,
        team=scored,
        date=dt.date(2025, 5, 10),
        scale_version=version,
        consensus=consensus,
        status="completed",
        **ready,
    )
    services.record_review(  # the year before: not among 2025's figures
        center=center,
        team=scored,
        date=dt.date(2024, 5, 10),
        scale_version=version,
        consensus=all_items(version, 1),
        status="completed",
        **ready,
    )
    unloaded = services.register_scale_version(
        center=center, key="fact", name="FACT-skalaen", version="2017"
    )
    services.record_review(
        center=center,
        team=team(center, "FACT Salten", municipalities=("Saltdal",)),
        date=dt.date(2025, 6, 1),
        scale_version=unloaded,
        status="completed",
        **ready,
    )
    reviews = team_figures(center, 2025, review_scores=True)["fidelity_reviews"]
    assert reviews["total"] == 2  # both counted, one scored
    [row] = reviews["scores"]
    expected = round(sum(consensus.values()) / len(consensus), 2)
    assert row["team"] == "FACT Bodø" and row["date"] == "2025-05-10"
    assert row["total"] == expected and row["level"] == "Moderat modelltrohet"
    assert row["items"] == {code: float(value) for code, value in consensus.items()}
