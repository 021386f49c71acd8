"""Demonstration evaluations for the NAPHA 2025 demo, from a seeded generator.

The seed report says events "were evaluated" but prints no results, so every answer
here is generated and every survey is flagged ``is_demo``; the interface shows the
flag. Five of the year's events with a known number of participants get the standard
evaluation, and the RPH teams get the annual team survey: 61 of the 85 teams answered
in 2025 (chapter 3.9 of the report), the rest split between opened and not opened.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from oppdrag.activities.models import Event
from oppdrag.core.models import Center, Municipality
from oppdrag.teams.models import ServiceTeam, TeamModelType

from . import answers, services
from .models import Answer, Invitation, Question, Response, Survey

DEMO_YEAR = 2025
DEMO_SEED = 2025
EVENTS = 5
RPH_ANSWERED = 61
RPH_OPENED = 9
COMMENTS = [
    "Mer tid til spørsmål og diskusjon.",
    "Gjerne flere eksempler fra kommuner på vår størrelse.",
    "Bra blanding av forskning og praksis.",
    "Opptak av innleggene ville vært nyttig.",
    "Lengre pauser mellom øktene.",
    "Flere innlegg fra brukere og pårørende.",
]


def _scale(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.8))))


def _bulk_answers(survey: Survey, count: int, rng: random.Random, make: object) -> None:
    questions = list(survey.version.questions.all())
    responses = [
        Response(survey=survey, submitted_on=dt.date(DEMO_YEAR, 12, 1)) for _ in range(count)
    ]
    Response.objects.bulk_create(responses)
    rows: list[Answer] = []
    for response in responses:
        for q in questions:
            rows.extend(make(response, q, rng))  # type: ignore[operator]
    Answer.objects.bulk_create(rows)


def _event_answer(response: Response, q: Question, rng: random.Random) -> list[Answer]:
    if q.kind == answers.SCALE:
        return [Answer(response=response, question=q, number=_scale(rng, 4.1))]
    if q.kind == answers.TEXT and rng.random() < 0.3:
        return [Answer(response=response, question=q, text=rng.choice(COMMENTS))]
    return []


@transaction.atomic
def load_evaluations_demo(center: Center) -> list[Survey]:
    """Create the demo evaluations and their generated answers in ``center``."""
    rng = random.Random(DEMO_SEED)
    standard = services.standard_questionnaire()
    surveys = []
    # One event per assignment, so the results per assignment have something to show.
    events: list[Event] = []
    seen: set[str] = set()
    candidates = (
        Event.objects.filter(center=center, year=DEMO_YEAR, participants__gte=20)
        .prefetch_related("assignments")
        .order_by("id")
    )
    for event in candidates:
        numbers = {a.number for a in event.assignments.all()}
        if numbers and not numbers & seen and len(events) < EVENTS:
            events.append(event)
            seen |= numbers
    for event in events:
        survey = services.attach_evaluation(
            center=center,
            questionnaire=standard,
            event=event,
            closes_on=dt.date(DEMO_YEAR, 12, 31),
            is_demo=True,
        )
        assert event.participants is not None
        count = max(5, round(event.participants * rng.uniform(0.3, 0.6)))
        _bulk_answers(survey, count, rng, _event_answer)
        surveys.append(survey)
    rph = TeamModelType.objects.filter(code="rph").first()
    if rph is not None and ServiceTeam.objects.filter(center=center, model_type=rph).exists():
        surveys.append(_rph_survey(center, rph, rng))
    return surveys


def _rph_survey(center: Center, rph: TeamModelType, rng: random.Random) -> Survey:
    questionnaire = services.create_questionnaire(
        center=center,
        name="Årlig undersøkelse blant RPH-team",
        purpose="team",
        intro="Ett svar per team. Svarene brukes til å planlegge senterets støtte.",
        base_on_standard=False,
    )
    for data in [
        services.QuestionData(
            "Hvor fornøyd er teamet med støtten fra senteret?", answers.SCALE, True,
            ("Svært misfornøyd", "Misfornøyd", "Verken eller", "Fornøyd", "Svært fornøyd"),
            section="Støtte fra senteret",
        ),
        services.QuestionData(
            "Hvilke tilbud fra senteret har teamet brukt i år?", answers.MULTIPLE, False,
            ("Nettverkssamlinger", "Webinarer", "Veiledning", "Nettsidene", "Fagdager"),
            section="Støtte fra senteret",
        ),
        services.QuestionData(
            "Hvor mange årsverk har teamet?", answers.NUMBER, False, minimum=0, maximum=100,
            section="Om teamet",
        ),
        services.QuestionData(
            "Hvilken kommune ligger teamet i?", answers.MUNICIPALITY, False, section="Om teamet"
        ),
        services.QuestionData(
            "Hva ønsker teamet mer av fra senteret?", answers.TEXT, False, section="Innspill"
        ),
    ]:  # fmt: skip
        services.add_question(questionnaire=questionnaire, center=center, data=data)
    survey = services.send_team_survey(
        center=center,
        questionnaire=questionnaire,
        team_type=rph,
        year=DEMO_YEAR,
        title="RPH-undersøkelsen 2025",
        closes_on=dt.date(DEMO_YEAR, 12, 31),
        is_demo=True,
    )
    invitations = list(survey.invitations.order_by("id"))
    rng.shuffle(invitations)
    answered = invitations[:RPH_ANSWERED]
    opened = invitations[RPH_ANSWERED : RPH_ANSWERED + RPH_OPENED]
    Invitation.objects.filter(pk__in=[i.pk for i in answered]).update(
        status=Invitation.Status.ANSWERED
    )
    Invitation.objects.filter(pk__in=[i.pk for i in opened]).update(status=Invitation.Status.OPENED)
    municipalities = list(
        Municipality.objects.filter(valid_to__isnull=True).values_list("pk", flat=True)[:300]
    )
    wishes = [
        "Flere samlinger i regionen.",
        "Mer om samarbeid med fastleger.",
        "Kurs for nyansatte.",
        "Erfaringsutveksling mellom team.",
        "Hjelp med fidelitetsmåling.",
    ]

    def make(response: Response, q: Question, rng: random.Random) -> list[Answer]:
        if q.kind == answers.SCALE:
            return [Answer(response=response, question=q, number=_scale(rng, 4.0))]
        if q.kind == answers.MULTIPLE:
            return [
                Answer(response=response, question=q, text=o)
                for o in q.options
                if rng.random() < 0.5
            ]
        if q.kind == answers.NUMBER:
            return [Answer(response=response, question=q, number=round(rng.uniform(2, 12), 1))]
        if q.kind == answers.MUNICIPALITY and municipalities:
            return [
                Answer(response=response, question=q, municipality_id=rng.choice(municipalities))
            ]
        if q.kind == answers.TEXT and rng.random() < 0.4:
            return [Answer(response=response, question=q, text=rng.choice(wishes))]
        return []

    _bulk_answers(survey, len(answered), rng, make)
    return survey
