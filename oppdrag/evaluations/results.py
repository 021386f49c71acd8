"""Results of one or more surveys, ready for a page, an export or the report.

Answers are fetched in a fixed number of queries and summarised in Python with the
pure ``statistics`` module. Questions are matched across surveys by their standard
key (the standard evaluation) or, for a centre's own questions, by questionnaire and
key. A group with fewer than ``MIN_GROUP`` responses, and a question with fewer than
``MIN_GROUP`` answers, is marked suppressed and carries no distribution, mean or text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from . import answers
from .models import Answer, Question, Survey
from .statistics import MeanSummary, distribution, mean_ci, response_rate, suppressed


@dataclass
class QuestionResult:
    key: str
    text: str
    kind: str
    n: int
    suppressed: bool
    distribution: list[tuple[str, int]] = field(default_factory=list)
    mean: MeanSummary | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class GroupResult:
    title: str
    responses: int
    invited: int | None
    surveys: int
    suppressed: bool
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return response_rate(self.responses, self.invited)


def question_group(q: Question | dict[str, Any], questionnaire_id: int) -> str:
    standard_key = q["standard_key"] if isinstance(q, dict) else q.standard_key
    key = q["key"] if isinstance(q, dict) else q.key
    return f"std:{standard_key}" if standard_key else f"{questionnaire_id}:{key}"


def invited_for(survey: Survey, invitations: int = 0) -> int | None:
    """How many could answer, when the registry knows it."""
    # Read only the relation the rule needs (each may cost a query without select_related).
    event = survey.event if survey.kind == Survey.Kind.EVENT else None
    series = survey.series if survey.kind != Survey.Kind.TEAM and event is None else None
    return invited_count(
        survey.kind,
        invitations,
        event=event is not None,
        event_participants=event.participants if event is not None else None,
        series=series is not None,
        series_unique=series.unique_participants if series is not None else None,
    )


def invited_count(
    kind: str,
    invitations: int,
    *,
    event: bool,
    event_participants: int | None,
    series: bool,
    series_unique: int | None,
) -> int | None:
    """How many could answer a survey of ``kind``: the invitations sent to teams, an
    evaluated event's participants, or a series' unique participants; ``None`` when the
    registry does not know (``invited_for`` for a survey read as plain values)."""
    if kind == Survey.Kind.TEAM:
        return invitations or None
    if kind == Survey.Kind.EVENT and event:
        return event_participants
    if series:
        return series_unique
    return None


def group_results(surveys: QuerySet[Survey], title: str = "") -> GroupResult:
    """All answers to ``surveys`` summarised together (four queries)."""
    survey_rows = list(
        surveys.select_related("event", "series", "version").annotate(
            n_responses=Count("responses", distinct=True),
            n_invitations=Count("invitations", distinct=True),
        )
    )
    responses = sum(s.n_responses for s in survey_rows)  # type: ignore[attr-defined]
    invited_parts = [invited_for(s, s.n_invitations) for s in survey_rows]  # type: ignore[attr-defined]
    invited = (
        sum(p for p in invited_parts if p)
        if survey_rows and all(p for p in invited_parts)
        else None
    )
    result = GroupResult(
        title=title,
        responses=responses,
        invited=invited,
        surveys=len(survey_rows),
        suppressed=suppressed(responses),
    )
    if result.suppressed:
        return result
    versions = {s.version_id: s.version.questionnaire_id for s in survey_rows}
    questions = list(
        Question.objects.filter(version_id__in=versions)
        .select_related("version")
        .order_by("-version__number", "position", "id")
    )
    # The newest wording of each question, in the newest version's order.
    order: dict[str, Question] = {}
    group_of: dict[int, str] = {}
    for q in questions:
        group = question_group(q, versions[q.version_id])
        group_of[q.pk] = group
        order.setdefault(group, q)
    ordered = sorted(order.items(), key=lambda item: item[1].position)
    rows = (
        Answer.objects.filter(response__survey__in=[s.pk for s in survey_rows])
        .order_by("response__submitted_on", "id")
        .values_list("question_id", "response_id", "number", "text", "municipality__name")
    )
    numbers: dict[str, list[float]] = defaultdict(list)
    labels: dict[str, list[str]] = defaultdict(list)
    respondents: dict[str, set[Any]] = defaultdict(set)
    for question_id, response_id, number, text, municipality in rows:
        found = group_of.get(question_id)
        if found is None:
            continue
        respondents[found].add(response_id)
        if number is not None:
            numbers[found].append(number)
        elif municipality:
            labels[found].append(municipality)
        elif text:
            labels[found].append(text)
    for group_key, q in ordered:
        group = group_key
        n = len(respondents[group])
        item = QuestionResult(q.key, q.text, q.kind, n, suppressed(n))
        if not item.suppressed:
            if q.kind == answers.SCALE:
                values = [str(int(v)) for v in numbers[group]]
                scale = [f"{i} {lbl}".strip() for i, lbl in enumerate(q.scale_labels(), 1)]
                counts = dict(distribution(values, answers.SCALE_VALUES))
                item.distribution = [(scale[i], counts[str(i + 1)]) for i in range(5)]
                item.mean = mean_ci(numbers[group])
            elif q.kind == answers.NUMBER:
                item.mean = mean_ci(numbers[group])
            elif q.kind in (answers.SINGLE, answers.MULTIPLE):
                item.distribution = distribution(labels[group], [str(o) for o in q.options])
            elif q.kind == answers.MUNICIPALITY:
                item.distribution = sorted(
                    distribution(labels[group], []), key=lambda kv: (-kv[1], kv[0])
                )
            else:
                item.texts = sorted(labels[group], key=str.casefold)
        result.questions.append(item)
    return result
