"""Raw answers of one survey as a table: one row per response, one column per question."""

from __future__ import annotations

from collections import defaultdict

from .models import Answer, Survey


def _format_number(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def raw_answer_table(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """Header and rows; multiple choices joined with «; », dates in ISO 8601."""
    questions = list(survey.version.questions.order_by("position", "id"))
    header = ["Svar nr.", "Dato", *[q.text for q in questions]]
    cells: dict[object, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    dates: dict[object, str] = {}
    rows = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response__submitted_on", "response_id", "id")
        .values_list("response_id", "response__submitted_on", "question_id", "number", "text",
                     "municipality__name")
    )  # fmt: skip
    for answer_response, day, question_id, number, text, municipality in rows:
        dates.setdefault(answer_response, day.isoformat())
        value = municipality or (text if number is None else _format_number(number))
        cells[answer_response][question_id].append(value)
    table: list[list[str]] = []
    for index, (response_key, iso_day) in enumerate(dates.items(), 1):
        answers = cells[response_key]
        table.append([str(index), iso_day, *["; ".join(answers.get(q.pk, [])) for q in questions]])
    return header, table
