"""Prepared queries: the rows and instances the ORM gives, with the values of the call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Model, Sum, signals
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.activities import models as m
from oppdrag.core.models import Municipality
from oppdrag.core.prepared import PreparedQuery, PreparedRecords

EVENTS_BY_FORMAT = PreparedQuery(
    "test events by format",
    lambda center_id, year: (
        m.Event.objects.filter(center_id=center_id, year=year)
        .order_by("format")
        .values("format")
        .annotate(n=Count("id"), participants=Sum("participants"))
        .values_list("format", "n", "participants")
    ),
    int,
    int,
)
EVENTS_BETWEEN = PreparedQuery(
    "test events between two dates",
    lambda center_id, start, end: (
        m.Event.objects.filter(center_id=center_id, date_start__range=(start, end))
        .order_by("id")
        .values_list("id", "date_start", "title", "uid")
    ),
    int,
    dt.date,
    dt.date,
)
EVENT_RECORDS = PreparedRecords(
    "test event records",
    m.Event,
    lambda center_id, year: m.Event.objects.filter(center_id=center_id, year=year).order_by("id"),
    int,
    int,
    related=("series",),
    leave_out=("updated_at",),
)


def test_rows_are_what_the_queryset_returns_for_the_values_given(demo, make_center):
    other = make_center("korus-midt")
    m.Event.objects.create(center=other, year=2025, theme="Annet", title="X", participants=9)
    for center, year in ((demo, 2025), (demo, 2024), (other, 2025), (other, 1999)):
        expected = list(EVENTS_BY_FORMAT.build(center.pk, year))
        assert EVENTS_BY_FORMAT.rows(center.pk, year) == expected
    assert EVENTS_BY_FORMAT.rows(other.pk, 2025) == [("", 1, 9)]
    assert sum(n for _format, n, _p in EVENTS_BY_FORMAT.rows(demo.pk, 2025)) == 128


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(dt.date(2024, 6, 1), dt.date(2026, 6, 1)),
    days=st.integers(0, 400),
)
def test_date_values_select_the_same_rows_and_convert_them_the_same_way(demo, start, days):
    end = start + dt.timedelta(days=days)
    rows = EVENTS_BETWEEN.rows(demo.pk, start, end)
    assert rows == list(EVENTS_BETWEEN.build(demo.pk, start, end))
    assert all(start <= row[1] <= end and isinstance(row[1], dt.date) for row in rows)


def test_records_are_the_instances_the_orm_makes(demo):
    loaded = EVENT_RECORDS.load(demo.pk, 2025)
    expected = list(
        m.Event.objects.filter(center=demo, year=2025).order_by("id").select_related("series")
    )
    assert len(loaded) == len(expected) == 128
    names = [f.attname for f in m.Event._meta.concrete_fields if f.attname != "updated_at"]
    for record, orm in zip(loaded, expected, strict=True):
        assert [getattr(record, n) for n in names] == [getattr(orm, n) for n in names]
        assert record._state.adding is False and record._state.db == "default"
    with_series = [r for r in loaded if r.series_id is not None]
    assert with_series, "the demo has events in series"
    with CaptureQueriesContext(connection) as captured:
        for record in loaded:
            assert (record.series is None) == (record.series_id is None)
            if record.series is not None:
                assert record.series.pk == record.series_id and record.series.name
    assert len(captured) == 0, "the series came with the records"


def test_a_field_left_out_loads_on_access_and_a_record_saves_as_an_update(demo):
    record = EVENT_RECORDS.load(demo.pk, 2025)[0]
    assert "updated_at" not in record.__dict__
    with CaptureQueriesContext(connection) as captured:
        assert record.updated_at is not None
    assert len(captured) == 1
    record.title = "Nytt navn"
    record.save(update_fields=["title"])
    assert m.Event.objects.get(pk=record.pk).title == "Nytt navn"
    assert m.Event.objects.filter(center=demo, year=2025).count() == 128


def test_a_model_with_init_receivers_is_made_through_from_db(demo):
    seen: list[Model] = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=m.Event)
    try:
        loaded = EVENT_RECORDS.load(demo.pk, 2025)
    finally:
        signals.post_init.disconnect(receiver, sender=m.Event)
    assert len(seen) == 128 and seen[0] is loaded[0]


def test_the_queryset_is_built_twice_per_database_only(demo):
    built = []

    def build(year):
        built.append(year)
        return m.Event.objects.filter(year=year).values_list("id")

    prepared = PreparedQuery("test counted", build, int)
    for year in (2024, 2025, 2025, 2026):
        prepared.rows(year)
    assert len(built) == 2 and 2025 not in built


def test_a_value_computed_from_a_placeholder_is_refused():
    prepared = PreparedQuery(
        "test computed",
        lambda year: m.Event.objects.filter(year__in=[year, year - 1]).values_list("id"),
        int,
    )
    with pytest.raises(ImproperlyConfigured, match="test computed: a parameter is computed"):
        prepared.rows(2025)


def test_a_query_whose_sql_depends_on_the_value_is_refused():
    prepared = PreparedQuery(
        "test limit", lambda count: Municipality.objects.values_list("id")[:count], int
    )
    with pytest.raises(ImproperlyConfigured, match="test limit: its SQL depends on the values"):
        prepared.rows(3)


def test_the_wrong_number_of_values_is_refused():
    with pytest.raises(TypeError, match="test events by format takes 2 values, got 1"):
        EVENTS_BY_FORMAT.rows(1)


def test_a_relation_that_is_no_forward_foreign_key_is_refused():
    with pytest.raises(ImproperlyConfigured, match="municipalities is not a forward foreign key"):
        PreparedRecords(
            "test m2m",
            m.Event,
            lambda: m.Event.objects.all(),
            related=("municipalities",),
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cache_keeps_no_thread_s_connection_alive():
    # A threaded server gives every thread a connection of its own; the prepared query
    # must not keep one alive per thread it has served.
    import gc
    import threading
    import weakref

    from django.db import connections

    prepared = PreparedQuery(
        "test threads", lambda year: m.Event.objects.filter(year=year).values_list("id"), int
    )
    seen: list[weakref.ref] = []

    def serve() -> None:
        try:
            assert prepared.rows(2025) == []
            seen.append(weakref.ref(connections["default"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=serve) for _ in range(3)]
    for thread in threads:
        thread.start()
        thread.join()
    gc.collect()
    assert len(seen) == 3 and len(prepared._compiled) == 1
    assert [ref() for ref in seen] == [None, None, None]


def test_the_django_internals_it_builds_on_are_still_there(db):
    """A Django upgrade that moves what ``core.prepared`` reaches into fails here, by name,
    before any page or report gives wrong rows: the compiler's select list and column
    count, the converters' signatures, ``ModelState`` and its relation cache."""
    import inspect

    from django.db.models.base import ModelState
    from django.db.models.expressions import ColPairs  # type: ignore[attr-defined]
    from django.db.models.sql.compiler import SQLCompiler

    compiler = m.Event.objects.values_list("id", "year").query.get_compiler(using="default")
    compiler.as_sql()
    assert compiler.col_count == 2 and len(compiler.select) >= 2
    assert all(len(column) == 3 for column in compiler.select)
    assert list(inspect.signature(SQLCompiler.get_converters).parameters) == [
        "self",
        "expressions",
    ]
    assert inspect.isclass(ColPairs)
    state = ModelState()
    assert hasattr(state, "adding") and hasattr(state, "db") and state.fields_cache == {}
