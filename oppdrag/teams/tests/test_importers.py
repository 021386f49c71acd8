"""The team list import: names matched to official numbers, all or nothing."""

from __future__ import annotations

import datetime as dt

from oppdrag.teams.figures import team_figures
from oppdrag.teams.importers import PilotProjectImporter, TeamImporter
from oppdrag.teams.models import ServiceTeam, TeamStatus
from tests.files import write_table

HEADER = ["Modell", "Navn", "Kommuner", "Bydeler", "Startdato", "Status", "Statusdato"]


def run(center, tmp_path, rows, name="team.csv", importer=TeamImporter):
    path = write_table(tmp_path, name, rows)
    return importer(center, 2025, None).run(path)


def test_it_imports_teams_with_owners_and_status(center, tmp_path):
    result = run(
        center,
        tmp_path,
        [
            HEADER,
            ["FACT", "FACT Salten", "Bodø, Saltdal, 1841", "", "01.02.2019", "", ""],
            ["RPH", "RPH Frogner", "", "Frogner", "", "", ""],
            ["FACT", "FACT Alta", "Alta", "", "01.01.2020", "Avviklet", "30.06.2025"],
        ],
        name="team.xlsx",
    )
    assert result.ok, result.problems
    assert result.added == 3
    salten = ServiceTeam.objects.get(name="FACT Salten")
    assert sorted(m.number for m in salten.municipalities.all()) == ["1804", "1840", "1841"]
    assert salten.region.name == "Nord"
    alta = ServiceTeam.objects.get(name="FACT Alta")
    assert [s.status for s in alta.statuses.all()] == [
        TeamStatus.Status.ESTABLISHED,
        TeamStatus.Status.CLOSED,
    ]
    assert team_figures(center, 2025)["inter_municipal"] == {"FACT": 1}
    assert team_figures(center, 2025, at=dt.date(2025, 6, 29))["by_type"]["FACT"] == 2


def test_it_suggests_the_closest_municipality_and_saves_nothing(center, tmp_path):
    result = run(
        center,
        tmp_path,
        [
            HEADER,
            ["FACT", "FACT Salten", "Bodøø", "", "", "", ""],
            ["FACT", "FACT Nord", "Tromsø", "", "", "", ""],
        ],
    )
    assert not result.ok
    problem = result.problems[0]
    assert (problem.row, problem.column) == (2, "Kommuner")
    assert "Ukjent kommune «Bodøø». Mente du «Bodø»" in problem.message
    assert not ServiceTeam.objects.exists()


def test_a_name_two_municipalities_share_needs_the_number(center, tmp_path):
    result = run(center, tmp_path, [HEADER, ["FACT", "FACT Herøy", "Herøy", "", "", "", ""]])
    assert not result.ok
    assert "skriv kommunenummeret" in result.problems[0].message
    assert "Herøy (1515)" in result.problems[0].message
    ok = run(center, tmp_path, [HEADER, ["FACT", "FACT Herøy", "Herøy (1818)", "", "", "", ""]])
    assert ok.ok
    assert ServiceTeam.objects.get().municipalities.get().number == "1818"


def test_it_refuses_unknown_models_teams_without_owners_and_status_without_date(center, tmp_path):
    result = run(
        center,
        tmp_path,
        [
            HEADER,
            ["IPS", "IPS Bodø", "Bodø", "", "", "", ""],
            ["FACT", "FACT Ingen", "", "", "", "", ""],
            ["FACT", "FACT Pause", "Bodø", "", "", "Pause", ""],
        ],
    )
    messages = [(p.row, p.column, p.message) for p in result.problems]
    assert messages[0][:2] == (2, "Modell")
    assert "Ukjent tjenestemodell «IPS»" in messages[0][2]
    assert messages[1][:2] == (3, "Kommuner")
    assert messages[2][:2] == (4, "Statusdato")


def test_importing_again_updates_the_team(center, tmp_path):
    run(center, tmp_path, [HEADER, ["FACT", "FACT Salten", "Bodø", "", "", "", ""]])
    result = run(
        center, tmp_path, [HEADER, ["FACT", "FACT Salten", "Bodø, Saltdal", "", "", "", ""]]
    )
    assert (result.added, result.updated) == (0, 1)
    assert ServiceTeam.objects.get().municipalities.count() == 2


def test_a_pilot_project_that_became_a_team_must_name_a_known_team(center, tmp_path):
    header = ["Modell", "Navn", "Kommuner", "Tilskuddsår", "Utfall", "Team"]
    result = run(
        center,
        tmp_path,
        [header, ["FACT", "Forprosjekt Salten", "Bodø", "2024, 2025", "Ble team", "FACT Salten"]],
        importer=PilotProjectImporter,
    )
    assert not result.ok
    assert "Ukjent FACT-team «FACT Salten»" in result.problems[0].message


def test_a_review_list_naming_an_unknown_scale_version_is_refused(center, tmp_path):
    from oppdrag.teams.importers import FidelityReviewImporter
    from oppdrag.teams.models import FidelityReview

    from .factories import dacts, team

    dacts(center)
    team(center, "FACT Salten")
    header = ["Modell", "Team", "Dato", "Skala", "Versjon", "Status"]
    result = run(
        center,
        tmp_path,
        [
            header,
            ["FACT", "FACT Salten", "01.03.2025", "dacts", "1998", "Planlagt"],
            ["FACT", "FACT Salten", "02.03.2025", "dacts", "2017R", "Planlagt"],
            ["FACT", "FACT Salten", "03.03.2025", "dacts", "1998", "Fullført"],
        ],
        importer=FidelityReviewImporter,
    )
    assert [(p.row, p.column) for p in result.problems] == [(3, "Versjon"), (4, "Status")]
    assert (
        "Ukjent skalaversjon «dacts 2017R». Registrerte: dacts 1998." in result.problems[0].message
    )
    assert not FidelityReview.objects.exists()
