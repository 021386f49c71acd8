"""The ``evaluations`` object of the key figures, in a fixed number of queries.

Counts of what was sent and answered, the response rate where the number who could
answer is known (participants of an event, unique participants of a series, teams
invited), and for the standard event evaluation the mean and number of answers per
question, for the year and per assignment. A group with fewer than ``MIN_GROUP``
responses is reported as ``{"suppressed": true}`` with no numbers at all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import CharField, Count, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce

from oppdrag.activities.models import Event
from oppdrag.core.models import Center
from oppdrag.core.prepared import PreparedQuery

from .models import Answer, Invitation, Response, Survey
from .results import invited_count
from .standard import SCALE_KEYS
from .statistics import mean_ci, suppressed


def standard_summary(values: dict[str, list[float]], responses: set[Any]) -> dict[str, Any]:
    """Means per standard question of one group, or only the suppression marker."""
    if not responses:
        return {"suppressed": False, "responses": 0, "questions": {}}
    if suppressed(len(responses)):
        return {"suppressed": True}
    questions: dict[str, Any] = {}
    for key in SCALE_KEYS:
        summary = mean_ci(values.get(key, []))
        if summary is None or suppressed(summary.n):
            questions[key] = {"suppressed": True}
            continue
        questions[key] = {
            "n": summary.n,
            "mean": round(summary.mean, 2),
            "ci_low": None if summary.ci_low is None else round(summary.ci_low, 2),
            "ci_high": None if summary.ci_high is None else round(summary.ci_high, 2),
        }
    return {"suppressed": False, "responses": len(responses), "questions": questions}


def _per_survey(model: type[Response] | type[Invitation], **filters: Any) -> Coalesce:
    """The number of ``model`` rows of each survey, as a correlated subquery: counting
    over joins of responses and invitations multiplies their rows before DISTINCT."""
    rows = (
        model.objects.filter(survey=OuterRef("pk"), **filters)
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


# The three queries, compiled once per database (see oppdrag.core.prepared): the
# report and the dashboard read them on every build.
_SURVEYS = PreparedQuery(
    "surveys of the year",
    lambda center_id, year: (
        Survey.objects.filter(center_id=center_id, year=year)
        .annotate(
            n_responses=_per_survey(Response),
            n_invitations=_per_survey(Invitation),
            n_answered=_per_survey(Invitation, status=Invitation.Status.ANSWERED),
        )
        .order_by("id")
        .values_list(
            "pk",
            "kind",
            "event_id",
            "series_id",
            "event__participants",
            "series__unique_participants",
            "n_responses",
            "n_invitations",
            "n_answered",
            "is_demo",
        )
    ),
    int,
    int,
)
# The assignment links of the events the year's surveys evaluate: a survey's own event,
# or every event of its series.
_LINKS = PreparedQuery(
    "assignments of the surveyed events",
    lambda center_id, year: Event.assignments.through.objects.filter(
        Q(
            event_id__in=Survey.objects.filter(
                center_id=center_id, year=year, event__isnull=False
            ).values("event_id")
        )
        | Q(
            event__series_id__in=Survey.objects.filter(
                center_id=center_id, year=year, series__isnull=False
            ).values("series_id")
        )
    ).values_list("event_id", "event__series_id", "assignment__number"),
    int,
    int,
)
# The response id only tells responses apart here, so it is read as text: making a UUID
# object of every answer's response id cost more than the rest of the loop over them.
_ANSWERS = PreparedQuery(
    "standard answers of the year",
    lambda center_id, year: Answer.objects.filter(
        response__survey__center_id=center_id,
        response__survey__year=year,
        question__standard_key__in=SCALE_KEYS,
        number__isnull=False,
    ).values_list(
        "response__survey_id",
        Cast("response_id", output_field=CharField()),
        "question__standard_key",
        "number",
    ),
    int,
    int,
)


def evaluation_figures(center: Center, year: int) -> dict[str, Any]:
    """Evaluations of one centre's year (three queries, whatever the data size)."""
    surveys = _SURVEYS.rows(center.pk, year)
    responses = known_responses = known_invited = 0
    event_ids: dict[int, int] = {}
    series_ids: dict[int, list[int]] = defaultdict(list)
    team = []
    generated: set[int] = set()  # surveys whose answers a generator made (``is_demo``)
    for (
        pk,
        kind,
        event_id,
        series_id,
        participants,
        unique,
        n_responses,
        n_invitations,
        n_answered,
        is_demo,
    ) in surveys:
        if is_demo and n_responses:
            generated.add(pk)
        invited = invited_count(
            kind,
            n_invitations,
            event=event_id is not None,
            event_participants=participants,
            series=series_id is not None,
            series_unique=unique,
        )
        responses += n_responses
        if invited:
            known_responses += n_responses
            known_invited += invited
        if event_id:
            event_ids[event_id] = pk
        if series_id:
            series_ids[series_id].append(pk)
        if kind == Survey.Kind.TEAM:
            team.append((n_invitations, n_answered))
    # Which assignments each survey counts toward: its event's, or its series' events'.
    assignments_of: dict[int, set[str]] = defaultdict(set)
    for event_id, series_id, assignment_number in _LINKS.rows(center.pk, year):
        if event_id in event_ids:
            assignments_of[event_ids[event_id]].add(assignment_number)
        for linked in series_ids.get(series_id, []):
            assignments_of[linked].add(assignment_number)
    rows = _ANSWERS.rows(center.pk, year)
    year_values: dict[str, list[float]] = defaultdict(list)
    year_responses: set[Any] = set()
    by_assignment: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    assignment_responses: dict[str, set[Any]] = defaultdict(set)
    generated_assignments: set[str] = set()
    for survey_id, response_id, question_key, number in rows:
        value = float(number or 0)  # never None: filtered on number__isnull=False
        year_values[question_key].append(value)
        year_responses.add(response_id)
        for assignment in assignments_of.get(survey_id, ()):
            by_assignment[assignment][question_key].append(value)
            assignment_responses[assignment].add(response_id)
            if survey_id in generated:
                generated_assignments.add(assignment)
    # A group's numbers carry the flag; a suppressed group shows none, so it needs none.
    standard = standard_summary(year_values, year_responses)
    if standard.get("responses"):
        standard["generated"] = bool(generated)
    assignments = {}
    for number in sorted(assignment_responses):
        summary = standard_summary(by_assignment[number], assignment_responses[number])
        if summary.get("responses"):
            summary["generated"] = number in generated_assignments
        assignments[number] = summary
    return {
        # True when any answer counted here was made by a generator (demo data): every
        # page, table and document that shows these numbers labels them «Eksempeldata».
        "generated": bool(generated),
        "questionnaires_sent": len(surveys),
        "event_evaluations": len(surveys) - len(team),
        "team_surveys": len(team),
        "responses": responses,
        "response_rate": round(known_responses / known_invited, 3) if known_invited else None,
        "response_rate_basis": {"responses": known_responses, "invited": known_invited},
        "team_invitations": sum(invitations for invitations, _answered in team),
        "team_answered": sum(answered for _invitations, answered in team),
        "standard": standard,
        "by_assignment": assignments,
    }
