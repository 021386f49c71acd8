"""``oppdrag teams …`` and ``oppdrag fidelity load-scale|summary``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oppdrag.teams.models import FidelityScaleVersion, ServiceTeam
from oppdrag.teams.scales import SCALE_DIR
from tests.files import write_table


def call(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_a_team_list_and_prints_the_figures(center, tmp_path):
    path = write_table(
        tmp_path,
        "team.csv",
        [["Modell", "Navn", "Kommuner"], ["FACT", "FACT Salten", "Bodø, Saltdal"]],
    )
    assert "1 lagt til" in call("teams", "import", "teams", str(path), "--center", "napha")
    figures = json.loads(call("teams", "figures", "2025", "--center", "napha", "--json"))
    assert figures["by_type"] == {"FACT": 1}
    assert figures["municipalities_covered"] == {"FACT": 2}
    assert "FACT: 1 team, 2 kommuner" in call("teams", "figures", "2025", "--center", "napha")


def test_a_refused_import_changes_nothing_and_fails(center, tmp_path):
    path = write_table(tmp_path, "team.csv", [["Modell", "Navn", "Kommuner"], ["FACT", "X", "Ny"]])
    with pytest.raises(CommandError, match="ingenting er endret"):
        call("teams", "import", "teams", str(path), "--center", "napha")
    assert not ServiceTeam.objects.exists()


def test_it_loads_a_scale_file_and_reports_a_broken_one(center, tmp_path):
    assert "Lastet" in call(
        "fidelity", "load-scale", str(SCALE_DIR / "dacts.json"), "--center", "napha"
    )
    assert FidelityScaleVersion.objects.get(center=center).version == "1998"
    broken = tmp_path / "broken.json"
    broken.write_text('{"key": "x"', encoding="utf-8")
    with pytest.raises(CommandError, match="ikke gyldig JSON"):
        call("fidelity", "load-scale", str(broken), "--center", "napha")


def test_the_summary_of_an_empty_year_is_empty(center):
    assert json.loads(call("fidelity", "summary", "2025", "--center", "napha")) == {}


def test_an_unknown_centre_is_refused(db):
    with pytest.raises(CommandError, match="Ukjent senter"):
        call("teams", "figures", "2025", "--center", "ingen")


def test_it_writes_a_feedback_report_for_a_review_the_centre_can_see(
    center, other_center, tmp_path
):
    import datetime as dt

    from oppdrag.teams import services

    from .factories import all_items, dacts, team

    version = dacts(center)
    review = services.record_review(
        center=center,
        team=team(center),
        date=dt.date(2025, 5, 1),
        scale_version=version,
        consensus=all_items(version),
        status="completed",
        agreement_signed_on=dt.date(2025, 1, 1),
        dpo_approved_on=dt.date(2025, 2, 1),
    )
    output = tmp_path / "rapport.docx"
    call("fidelity", "report", str(review.uid), "--center", "napha", "--output", str(output))
    assert output.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="Fant ingen måling"):
        call("fidelity", "report", str(review.uid), "--center", other_center.slug)
