"""The writes behind the team pages: register, change, status, close, pilot projects,
and the review date check; every refusal names the field and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oppdrag.teams import services
from oppdrag.teams.models import PilotProject, ServiceTeam, TeamStatus

from .factories import all_items, dacts, model_type, municipality, team

READY = {"agreement_signed_on": dt.date(2025, 3, 1), "dpo_approved_on": dt.date(2025, 4, 1)}


def data(**kwargs) -> services.TeamData:
    defaults = {
        "model_type": model_type("fact"),
        "name": "FACT Salten",
        "start_date": dt.date(2022, 1, 1),
        "municipalities": [municipality("Bodø"), municipality("Saltdal")],
    }
    return services.TeamData(**{**defaults, **kwargs})


def fields(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_registers_a_team_with_its_owners_region_and_first_status(center, make_user):
    user = make_user("redaktor", center, "editor")
    created = services.register_team(center=center, user=user, data=data())
    assert {m.name for m in created.municipalities.all()} == {"Bodø", "Saltdal"}
    assert created.region is not None and created.region.name == "Nord"
    [status] = created.statuses.all()
    assert (status.status, status.valid_from) == ("established", dt.date(2022, 1, 1))
    assert created.history.first().history_user == user


def test_it_refuses_a_duplicate_or_blank_name_by_field_and_saves_nothing(center):
    services.register_team(center=center, data=data())
    with pytest.raises(ValidationError) as excinfo:
        services.register_team(center=center, data=data())
    assert "allerede registrert" in fields(excinfo)["name"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.register_team(center=center, data=data(name="  "))
    assert "name" in fields(excinfo)
    assert ServiceTeam.objects.filter(center=center).count() == 1


def test_it_changes_owners_and_moves_the_first_status_with_the_start_date(center):
    created = services.register_team(center=center, data=data())
    services.change_team(
        team=created,
        data=data(
            name="FACT Bodø og Saltdal",
            start_date=dt.date(2021, 6, 1),
            municipalities=[municipality("Bodø")],
        ),
    )
    created.refresh_from_db()
    assert created.name == "FACT Bodø og Saltdal"
    assert [m.name for m in created.municipalities.all()] == ["Bodø"]
    assert [s.valid_from for s in created.statuses.all()] == [dt.date(2021, 6, 1)]


def test_it_refuses_a_start_date_after_the_first_review(center):
    created = services.register_team(center=center, data=data())
    version = dacts(center)
    services.record_review(
        center=center,
        team=created,
        date=dt.date(2023, 5, 1),
        scale_version=version,
        consensus=all_items(version, 3),
        status="completed",
        **READY,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.change_team(team=created, data=data(start_date=dt.date(2024, 1, 1)))
    assert "01.05.2023" in fields(excinfo)["start_date"][0]
    created.refresh_from_db()
    assert created.start_date == dt.date(2022, 1, 1)


def test_it_closes_a_team_at_a_date_after_its_latest_status(center):
    created = services.register_team(center=center, data=data())
    services.change_team_status(
        team=created, status="paused", valid_from=dt.date(2024, 1, 1), note="Vakanser"
    )
    services.close_team(team=created, closed_on=dt.date(2025, 6, 30))
    statuses = [(s.status, s.valid_from) for s in created.statuses.order_by("valid_from")]
    assert statuses[-1] == (TeamStatus.Status.CLOSED, dt.date(2025, 6, 30))
    assert services.status_at(created.statuses.all(), dt.date(2025, 6, 29)) == "paused"


def test_it_refuses_a_close_date_before_the_last_status(center):
    created = services.register_team(center=center, data=data())
    services.change_team_status(team=created, status="paused", valid_from=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.close_team(team=created, closed_on=dt.date(2023, 12, 31))
    assert "etter siste status" in fields(excinfo)["valid_from"][0]
    assert created.statuses.count() == 2


def test_it_refuses_any_status_after_closing_and_the_same_status_twice(center):
    created = services.register_team(center=center, data=data())
    with pytest.raises(ValidationError) as excinfo:
        services.change_team_status(
            team=created, status="established", valid_from=dt.date(2023, 1, 1)
        )
    assert "allerede" in fields(excinfo)["status"][0]
    services.close_team(team=created, closed_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.change_team_status(
            team=created, status="established", valid_from=dt.date(2025, 1, 1)
        )
    assert "avviklet" in fields(excinfo)["status"][0]
    assert created.statuses.count() == 2


def test_it_refuses_a_review_dated_before_the_team_started(center):
    created = team(center, start=dt.date(2024, 1, 1))
    version = dacts(center)
    with pytest.raises(ValidationError) as excinfo:
        services.record_review(
            center=center,
            team=created,
            date=dt.date(2023, 12, 31),
            scale_version=version,
            consensus=all_items(version, 3),
            status="completed",
            **READY,
        )
    assert "før teamet startet 01.01.2024" in " ".join(excinfo.value.messages)
    assert not created.reviews.exists()


def test_it_refuses_a_rater_score_for_an_item_the_scale_lacks(center):
    created = team(center)
    version = dacts(center)
    with pytest.raises(ValidationError) as excinfo:
        services.record_review(
            center=center,
            team=created,
            date=dt.date(2025, 5, 1),
            scale_version=version,
            raters=[services.RaterInput("Kari", scores={**all_items(version, 3), "X9": 3})],
            status="completed",
            **READY,
        )
    assert "«Kari»" in " ".join(excinfo.value.messages)
    assert "X9" in " ".join(excinfo.value.messages)
    assert not created.reviews.exists()


def pilot(**kwargs) -> services.PilotData:
    defaults = {"model_type": model_type("fact"), "name": "Forprosjekt Lofoten"}
    return services.PilotData(**{**defaults, **kwargs})


def test_it_registers_and_changes_a_pilot_project_that_became_a_team(center):
    created = services.register_pilot(
        center=center,
        data=pilot(grant_years=[2025, 2024, 2025], municipalities=[municipality("Vågan")]),
    )
    assert created.grant_years == [2024, 2025]
    became = team(center, "FACT Lofoten", municipalities=("Vågan",))
    services.change_pilot(
        pilot=created,
        data=pilot(
            grant_years=[2024, 2025],
            outcome=PilotProject.Outcome.BECAME_TEAM,
            ended_on=dt.date(2025, 12, 31),
            team=became,
        ),
    )
    created.refresh_from_db()
    assert created.team == became and created.outcome == "became_team"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "became_team", "ended_on": dt.date(2025, 1, 1)}, "team"),
        ({"outcome": "closed"}, "ended_on"),
        ({"ended_on": dt.date(2025, 1, 1)}, "ended_on"),
        ({"grant_years": [1999]}, "grant_years"),
        ({"name": ""}, "name"),
        ({"outcome": "nonsense"}, "outcome"),
    ],
)
def test_it_refuses_a_pilot_project_that_does_not_add_up(center, kwargs, field):
    with pytest.raises(ValidationError) as excinfo:
        services.register_pilot(center=center, data=pilot(**kwargs))
    assert field in fields(excinfo)
    assert not PilotProject.objects.exists()


def test_it_refuses_a_pilot_project_pointing_at_another_centres_team(center, other_center):
    theirs = team(other_center, "FACT Andres")
    with pytest.raises(ValidationError) as excinfo:
        services.register_pilot(
            center=center,
            data=pilot(outcome="became_team", ended_on=dt.date(2025, 1, 1), team=theirs),
        )
    assert "annet senter" in fields(excinfo)["team"][0]
