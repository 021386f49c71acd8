"""Records that probably exist already are found before a new one is saved."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from oppdrag.activities import models as m
from oppdrag.activities.duplicates import DuplicateIndex, probable_duplicates
from oppdrag.core.models import Municipality

DAY = dt.date(2025, 10, 2)


def event(center, **fields):
    values = {"year": 2025, "theme": "Bolig", "title": "Fagdag om bolig", "date_start": DAY}
    values.update(fields)
    return m.Event.objects.create(center=center, **values)


def test_an_event_with_the_same_title_and_date_is_a_probable_duplicate(center):
    saved = event(center)
    data = {"year": 2025, "title": "  fagdag OM bolig ", "date_start": DAY}
    assert probable_duplicates(m.Event, center, data) == [saved]


def test_an_event_with_the_same_title_and_participants_is_a_probable_duplicate(center):
    saved = event(center, participants=35)
    data = {"year": 2025, "title": "Fagdag om bolig", "date_start": DAY.replace(day=3),
            "participants": 35}  # fmt: skip
    assert probable_duplicates(m.Event, center, data) == [saved]


def test_an_event_on_the_same_day_with_the_same_count_is_one_as_the_report_says(center):
    saved = event(center, participants=35)
    data = {"year": 2025, "title": "Noe helt annet", "date_start": DAY, "participants": 35}
    assert probable_duplicates(m.Event, center, data) == [saved]


def test_events_of_another_year_centre_or_date_are_not_duplicates(center, other_center):
    event(center, year=2024, date_start=DAY.replace(year=2024))
    event(other_center)
    event(center, date_start=DAY.replace(day=20))
    data = {"year": 2025, "title": "Fagdag om bolig", "date_start": DAY}
    assert probable_duplicates(m.Event, center, data) == []


def test_the_record_being_changed_is_not_its_own_duplicate(center):
    saved = event(center)
    data = {"year": 2025, "title": "Fagdag om bolig", "date_start": DAY}
    assert probable_duplicates(m.Event, center, data, exclude=saved) == []


def test_a_presentation_with_the_same_title_and_date_is_a_duplicate(center):
    saved = m.Presentation.objects.create(
        center=center, year=2025, title="Bolig først", date=DAY, kind="Foredrag"
    )
    assert probable_duplicates(
        m.Presentation, center, {"year": 2025, "title": "Bolig Først", "date": DAY}
    ) == [saved]
    other_day = {"year": 2025, "title": "Bolig først", "date": DAY.replace(day=9)}
    assert probable_duplicates(m.Presentation, center, other_day) == []


def test_advice_requests_from_two_municipalities_on_one_day_are_two(center):
    oslo, bergen = Municipality.objects.filter(valid_to__isnull=True).order_by("number")[:2]
    saved = m.AdviceRequest.objects.create(
        center=center, year=2025, date=DAY, channel="telefon", topic="FACT", municipality=oslo
    )
    same = {"year": 2025, "date": DAY, "topic": "FACT", "municipality": oslo}
    other = {"year": 2025, "date": DAY, "topic": "FACT", "municipality": bergen}
    assert probable_duplicates(m.AdviceRequest, center, same) == [saved]
    assert probable_duplicates(m.AdviceRequest, center, other) == []


def test_a_group_is_a_duplicate_by_name_within_the_year(center):
    saved = m.Group.objects.create(center=center, year=2025, name="ACT-nettverket", role="leder")
    assert probable_duplicates(m.Group, center, {"year": 2025, "name": "act-nettverket"}) == [saved]
    assert probable_duplicates(m.Group, center, {"year": 2026, "name": "ACT-nettverket"}) == []


def test_the_index_answers_many_rows_from_one_query(center, django_assert_num_queries):
    saved = event(center)
    with django_assert_num_queries(1):
        index = DuplicateIndex(m.Event, center, [2025])
    rows = [{"year": 2025, "title": f"Fagdag {i}", "date_start": DAY} for i in range(50)]
    rows.append({"year": 2025, "title": "Fagdag om bolig", "date_start": DAY})
    with django_assert_num_queries(0):
        found = [index.find(row) for row in rows]
    assert found[-1] == [saved] and not any(found[:-1])


@given(
    title=st.text(max_size=40),
    participants=st.none() | st.integers(min_value=0, max_value=10_000),
    date=st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
)
def test_any_data_is_answered_with_a_list(title, participants, date):
    """The keys are built from whatever a form or a spreadsheet row holds."""
    from oppdrag.activities.duplicates import SIGNATURES, _keys

    data = {"year": 2025, "title": title, "date_start": date, "participants": participants}
    keys = _keys(SIGNATURES[m.Event], data)
    assert all(isinstance(key, tuple) for key in keys)
    assert bool(keys) == bool(title.strip()) or (date is not None and bool(participants))
