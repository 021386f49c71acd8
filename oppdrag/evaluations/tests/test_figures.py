"""The ``evaluations`` key figures and the report's results chapter: computed from the
answers, small groups suppressed, and a fixed number of queries."""

import datetime as dt
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities.models import Event
from oppdrag.evaluations import services
from oppdrag.evaluations.figures import evaluation_figures
from oppdrag.evaluations.models import Answer, Question, Response
from oppdrag.figures.keyfigures import key_figures
from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report


def answer(survey, scores: dict[str, int]) -> None:
    """Save one response directly (the public page is tested elsewhere)."""
    response = Response.objects.create(survey=survey, submitted_on=dt.date(2025, 6, 1))
    questions = {q.key: q for q in survey.version.questions.all()}
    Answer.objects.bulk_create(
        Answer(response=response, question=questions[k], number=v) for k, v in scores.items()
    )


def evaluate(center, event, scores: list[int]):
    survey = services.attach_evaluation(
        center=center, questionnaire=services.standard_questionnaire(), event=event
    )
    for score in scores:
        answer(survey, {"relevance": score, "usefulness": score, "quality": 5, "recommend": 4})
    return survey


def events_with_assignment(center, number):
    return list(
        Event.objects.filter(center=center, year=2025, assignments__number=number).order_by("id")
    )


def test_it_counts_and_averages_the_standard_evaluation_per_year_and_assignment(demo):
    big = events_with_assignment(demo, "3.1.1")[0]
    small = events_with_assignment(demo, "3.9")[0]
    evaluate(demo, big, [5, 4, 4, 3, 5, 2])
    evaluate(demo, small, [1, 2, 3])
    figures = key_figures(demo, 2025)["evaluations"]
    assert figures["questionnaires_sent"] == 2
    assert figures["responses"] == 9
    # Both events have a registered number of participants, so the rate is known.
    assert figures["response_rate_basis"] == {
        "responses": 9,
        "invited": big.participants + small.participants,
    }
    year = figures["standard"]
    assert year["responses"] == 9
    scores = [5, 4, 4, 3, 5, 2, 1, 2, 3]
    assert year["questions"]["relevance"]["mean"] == round(statistics.mean(scores), 2)
    assert year["questions"]["relevance"]["n"] == 9
    assert year["questions"]["quality"]["mean"] == 5.0
    per = figures["by_assignment"]
    assert per["3.1.1"]["responses"] == 6
    assert per["3.1.1"]["questions"]["relevance"]["mean"] == round(
        statistics.mean([5, 4, 4, 3, 5, 2]), 2
    )
    # Three answers: shown as suppressed with no numbers at all.
    assert per["3.9"] == {"suppressed": True}


def test_a_year_with_fewer_than_five_answers_shows_no_means(demo):
    evaluate(demo, events_with_assignment(demo, "3.1.1")[0], [5, 4])
    figures = evaluation_figures(demo, 2025)
    assert figures["standard"] == {"suppressed": True}
    assert figures["by_assignment"]["3.1.1"] == {"suppressed": True}


def test_the_report_shows_the_numbers_before_the_results_assessment(demo):
    evaluate(demo, events_with_assignment(demo, "3.1.1")[0], [5, 4, 4, 3, 5, 2])
    evaluate(demo, events_with_assignment(demo, "3.9")[0], [1, 2, 3])
    report = build_report(demo, 2025)
    section = report.section("assignment:3.1.1")
    table = next(
        b for b in section.blocks if isinstance(b, t.Table) and b.key == "evaluations:3.1.1"
    )
    relevance = table.rows[0]
    assert relevance[0] == "Hvor relevant var arrangementet for deg?"
    assert relevance[1] == 6 and relevance[2] == round(statistics.mean([5, 4, 4, 3, 5, 2]), 1)
    index = section.blocks.index(table)
    # The same means as a chart, for every renderer, then the assessment text.
    chart = section.blocks[index + 1]
    assert isinstance(chart, t.Figure) and chart.key == "evaluations:3.1.1-diagram"
    assert chart.labels[0] == relevance[0]
    assert chart.series[0].values[0] == relevance[2]
    assert len(chart.labels) == len(chart.series[0].values) == len(table.rows)
    results = section.blocks[index + 2]
    assert isinstance(results, t.Assessment)
    assert results.heading == "Resultater, effekter og vurdering av måloppnåelse"
    small = report.section("assignment:3.9")
    assert not any(
        isinstance(b, t.Table | t.Figure) and b.key.startswith("evaluations") for b in small.blocks
    )
    assert any("færre enn fem svar" in getattr(b, "plain", "") for b in small.blocks)
    overall = report.section("overall:b")
    assert any(isinstance(b, t.Table) and b.key == "evaluations" for b in overall.blocks)


def test_a_year_without_evaluations_adds_nothing_to_the_report(demo):
    report = build_report(demo, 2025)
    for section in (report.section("overall:b"), report.section("assignment:3.1.1")):
        assert not any(
            isinstance(b, t.Table) and b.key.startswith("evaluations") for b in section.blocks
        )


def test_the_query_count_does_not_grow_with_the_data(demo):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            evaluation_figures(demo, 2025)
        return len(captured)

    events = events_with_assignment(demo, "3.1.1")
    evaluate(demo, events[0], [5, 4, 4, 3, 5])
    small = count()
    for event in events[1:6]:
        evaluate(demo, event, [3] * 12)
    series = next(e.series for e in Event.objects.filter(center=demo, series__isnull=False))
    services.attach_evaluation(
        center=demo, questionnaire=services.standard_questionnaire(), series=series
    )
    assert Response.objects.count() == 5 + 5 * 12
    assert count() == small


@pytest.mark.parametrize("n", [4, 5])
def test_a_question_answered_by_fewer_than_five_is_suppressed_alone(demo, n):
    survey = services.attach_evaluation(
        center=demo,
        questionnaire=services.standard_questionnaire(),
        event=events_with_assignment(demo, "3.1.1")[0],
    )
    for i in range(6):
        scores = {"relevance": 4}
        if i < n:
            scores["quality"] = 3
        answer(survey, scores)
    questions = evaluation_figures(demo, 2025)["standard"]["questions"]
    assert questions["relevance"]["n"] == 6
    assert (questions["quality"] == {"suppressed": True}) is (n < 5)
    assert Question.objects.filter(version=survey.version).count() == 5


def test_results_pages_per_assignment_and_per_series(demo, make_user):
    from django.test import Client

    from oppdrag.core.models import Membership

    client = Client()
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    evaluate(demo, events_with_assignment(demo, "3.1.1")[0], [5, 4, 4, 3, 5, 2])
    evaluate(demo, events_with_assignment(demo, "3.9")[0], [1, 2, 3])
    assignment = client.get("/napha/evalueringer/resultater/2025/?oppdrag=3.1.1").content.decode()
    assert "Oppdrag 3.1.1" in assignment and "<svg" in assignment
    small = client.get("/napha/evalueringer/resultater/2025/?oppdrag=3.9").content.decode()
    assert "vises ikke før det er minst fem svar" in small and "<svg" not in small
    series_event = Event.objects.filter(center=demo, year=2025, series__isnull=False).first()
    evaluate(demo, series_event, [4] * 5)
    page = client.get(f"/napha/evalueringer/resultater/2025/?serie={series_event.series.uid}")
    html = page.content.decode()
    assert series_event.series.name in html and "<svg" in html
    year = client.get("/napha/evalueringer/resultater/2025/").content.decode()
    # the year's table per assignment: 3.1.1 has numbers, 3.9 is suppressed
    assert "Færre enn fem svar" in year and "?oppdrag=3.1.1" in year
    assert client.get("/napha/evalueringer/resultater/2025/?oppdrag=9.9").status_code == 404


def test_the_figures_command_prints_the_evaluations_object(demo):
    import json
    from io import StringIO

    from django.core.management import call_command

    evaluate(demo, events_with_assignment(demo, "3.1.1")[0], [4, 4, 5, 5, 3])
    out = StringIO()
    call_command("figures", "2025", "--center", "napha", "--json", stdout=out)
    data = json.loads(out.getvalue())["evaluations"]
    assert data["questionnaires_sent"] == 1 and data["responses"] == 5
    assert data["standard"]["questions"]["relevance"] == {
        "n": 5, "mean": 4.2, "ci_low": 3.16, "ci_high": 5.24,
    }  # fmt: skip
