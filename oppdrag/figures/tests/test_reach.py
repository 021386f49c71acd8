"""Municipalities reached: one definition, every channel, both ways of counting."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.core.models import CityDistrict, Municipality
from oppdrag.evaluations import services as evaluations
from oppdrag.evaluations.models import Answer, Response
from oppdrag.figures.reach import Counting, municipality_reach
from oppdrag.figures.selection import choose_key_figures
from oppdrag.teams.tests.factories import team


def municipality(name):
    return Municipality.objects.get(name=name, valid_to__isnull=True)


def evaluation_answer(center, event, name, *, is_demo=False):
    survey = evaluations.attach_evaluation(
        center=center, questionnaire=evaluations.standard_questionnaire(), event=event
    )
    survey.is_demo = is_demo
    survey.save(update_fields=["is_demo"])
    response = Response.objects.create(survey=survey, submitted_on=dt.date(2025, 5, 2))
    question = survey.version.questions.first()
    assert question is not None
    Answer.objects.create(
        response=response,
        question=question,
        municipality=municipality(name),
    )


def test_it_counts_every_channel_and_oslo_as_its_districts_when_asked(center, other_center):
    oslo_districts = list(CityDistrict.objects.filter(municipality__name="Oslo")[:2])
    event = m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Fagdag")
    event.municipalities.add(municipality("Bergen"), municipality("Oslo"))
    event.districts.add(oslo_districts[0])
    m.AdviceRequest.objects.create(
        center=center, year=2025, channel="telefon", topic="Råd", district=oslo_districts[1]
    )
    m.AdviceRequest.objects.create(
        center=center, year=2025, channel="telefon", topic="Råd", municipality=municipality("Bodø")
    )
    team(center, municipalities=("Tromsø",))
    team(center, name="FACT Alta", municipalities=("Alta",), start=dt.date(2026, 2, 1))
    evaluation_answer(center, event, "Molde")
    evaluation_answer(center, event, "Hamar", is_demo=True)  # generated: reached no one
    # Another centre's and another year's records reach nothing here.
    m.Event.objects.create(center=other_center, year=2025, theme="X", title="Y").municipalities.add(
        municipality("Narvik")
    )
    m.Event.objects.create(center=center, year=2024, theme="X", title="Y").municipalities.add(
        municipality("Lillehammer")
    )

    reach = municipality_reach(center, 2025, Counting.MUNICIPALITIES)
    names = set(
        Municipality.objects.filter(pk__in=reach.municipalities).values_list("name", flat=True)
    )
    assert names == {"Bergen", "Oslo", "Bodø", "Tromsø", "Molde"}
    assert reach.value == 5
    assert reach.municipalities[municipality("Oslo").pk] == {"events", "advice"}
    assert reach.by_channel() == {"events": 2, "advice": 2, "teams": 1, "evaluations": 1}

    # «kommuner/bydeler»: Oslo is its two districts reached, not one more.
    districts = municipality_reach(center, 2025, Counting.DISTRICTS)
    assert districts.value == 4 + 2
    assert districts.by_channel() == {"events": 2, "advice": 2, "teams": 1, "evaluations": 1}
    assert districts.to_json()["municipalities"] == 5


def test_it_takes_the_centres_way_of_counting(center, make_user):
    event = m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Fagdag")
    event.districts.add(*CityDistrict.objects.filter(municipality__name="Oslo")[:3])
    assert municipality_reach(center, 2025).value == 3  # the default: kommuner/bydeler
    choose_key_figures(
        center=center,
        user=make_user("leder", center),
        year=2024,
        keys=["municipalities_reached"],
        reach_counting=Counting.MUNICIPALITIES,
    )
    assert municipality_reach(center, 2025).value == 1  # chosen in 2024, carried on


def test_it_is_one_query_whatever_the_data(center):
    with CaptureQueriesContext(connection) as empty:
        municipality_reach(center, 2025, Counting.DISTRICTS)
    for name in ("Bergen", "Bodø", "Molde"):
        event = m.Event.objects.create(center=center, year=2025, theme="T", title=name)
        event.municipalities.add(municipality(name))
        event.districts.add(*CityDistrict.objects.all()[:4])
    with CaptureQueriesContext(connection) as full:
        assert municipality_reach(center, 2025, Counting.DISTRICTS).value == 3 + 4
    assert len(empty) == len(full) == 1
