"""The demo registry matches the published 2025 figures."""

from __future__ import annotations

from typing import cast

import pytest

from oppdrag.core.models import Membership
from oppdrag.teams.demo import load_teams_demo
from oppdrag.teams.figures import team_figures
from oppdrag.teams.models import FidelityReview, ServiceTeam
from oppdrag.teams.services import compare_with_previous, review_agreement, review_result


@pytest.fixture
def teams_demo(center, make_user):
    user = make_user("demo", center, Membership.Role.ADMIN)
    load_teams_demo(center, user)
    return center


def test_the_demo_holds_the_published_team_counts(teams_demo):
    figures = team_figures(teams_demo, 2025)
    assert figures["by_type"]["ACT"] + figures["by_type"]["FACT"] == 86
    assert figures["by_type"]["FACT ung"] == 30
    assert figures["by_type"]["RPH"] == 85
    assert figures["by_type"]["Housing First"] == 9
    assert figures["municipalities_covered"]["ACT"] == 25
    assert figures["municipalities_covered"]["FACT"] == 148
    assert figures["municipalities_covered"]["FACT ung"] == 40
    assert figures["municipalities_covered"]["RPH"] == 84
    assert figures["districts_covered"]["RPH"] == 15
    assert figures["inter_municipal"]["RPH"] == 6
    assert figures["started_in_year"] == {"Housing First": 3}


def test_the_demo_holds_the_published_pilot_projects_and_reviews(teams_demo):
    figures = team_figures(teams_demo, 2025)
    assert figures["pilot_projects"] == {"FACT": 12, "FACT ung": 13}
    assert figures["pilot_projects_new"] == {"FACT": 6, "FACT ung": 7}
    assert sum(figures["pilot_projects_ended"].values()) == 5
    assert figures["fidelity_reviews"]["total"] == 21
    assert figures["fidelity_reviews"]["by_type"] == {"FACT": 15, "FACT ung": 6}


def test_placeholders_are_marked_in_the_data(teams_demo):
    placeholders = ServiceTeam.objects.filter(center=teams_demo, is_placeholder=True)
    assert placeholders.exists()
    assert all("(plassholder)" in team.name for team in placeholders)
    assert all(str(team).count("(plassholder)") == 1 for team in placeholders)


def test_the_example_reviews_are_generated_demonstration_data_with_two_raters(teams_demo):
    examples = FidelityReview.objects.filter(center=teams_demo, is_demo=True)
    assert examples.count() == 5
    for review in examples:
        assert review.raters.count() == 2
        assert review_result(review).total is not None
        report = review_agreement(review)
        assert report is not None and report.kappa_linear is not None
    later = examples.filter(date__year=2024, team__name__startswith="ACT-team 01").get()
    comparison = compare_with_previous(later)
    assert comparison is not None
    assert comparison["previous_date"] == "2023-05-10"


def test_the_feedback_report_renders_as_docx_and_pdf(teams_demo):
    import io
    import zipfile

    from oppdrag.teams.feedback import feedback_report, render_feedback

    review = FidelityReview.objects.filter(center=teams_demo, is_demo=True).latest("date")
    report = feedback_report(review)
    titles = [section.title for section in report.sections]
    assert titles == ["Om målingen", "Resultater", "Samsvar mellom bedømmerne", "Oppfølging"]
    name, mimetype, data = render_feedback(review, "docx")
    assert name.endswith(".docx")
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        document = docx.read("word/document.xml").decode()
    assert "Psykiater i teamet" in document
    assert "ICC(2,1)" in document
    name, mimetype, data = render_feedback(review, "pdf")
    assert mimetype == "application/pdf" and data.startswith(b"%PDF")


def test_the_figures_count_teams_followed_up_through_advice_requests(teams_demo):
    from oppdrag.activities.models import AdviceRequest

    AdviceRequest.objects.create(
        center=teams_demo, year=2025, channel="epost", team="rph   frogner", topic="Bemanning"
    )
    AdviceRequest.objects.create(
        center=teams_demo, year=2025, channel="epost", team="Ukjent team", topic="Bemanning"
    )
    assert team_figures(teams_demo, 2025)["followed_up_by_advice"] == {"RPH": 1}


def test_the_shipped_demo_files_are_what_the_seeded_generator_draws(tmp_path):
    from oppdrag.teams.demo import DEMO_DIR
    from oppdrag.teams.demo_data import main

    main(tmp_path)
    for name in ("teams.csv", "pilot-projects.csv", "fidelity-reviews.csv"):
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), name


def test_the_report_shows_the_teams_in_service_development(full_demo):
    from oppdrag.reports.builder import build_report

    section = build_report(full_demo, 2025).section("focus:c")
    table = next(b for b in section.blocks if getattr(b, "key", "") == "teams-by-type")
    teams = {row[0]: cast(int, row[1]) for row in table.rows}
    reviews = {row[0]: cast(int, row[3]) for row in table.rows}
    assert teams["FACT ung"] == 30 and teams["RPH"] == 85
    assert teams["ACT"] + teams["FACT"] == 86  # chapter 3.1.1: 86 ACT and FACT teams
    assert reviews["FACT"] + reviews["FACT ung"] == 21  # the 21 reviews of 2025
