"""Bulk inserts: every row with its values, and nothing at all when one fails midway."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.core import versions
from oppdrag.core.bulk import (
    CHUNK_ROWS,
    create_with_history,
    insert_rows,
    uid_hex,
    update_with_history,
)
from oppdrag.core.models import Person
from oppdrag.core.services import create_center
from oppdrag.evaluations.models import Question, Response, Survey
from oppdrag.evaluations.services import current_version, standard_questionnaire

# Tests that commit use serialized_rollback, as the browser tests do: a plain flush
# would empty the reference data and recreate content types under new keys.
COLUMNS = ("center", "uid", "created_at", "updated_at", "name", "is_staff_member", "affiliation")
# Past the first executemany chunk on SQLite, and well into the COPY stream.
ROWS = CHUNK_ROWS + 5_000


def people(center_id: int, count: int) -> Iterator[tuple[object, ...]]:
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    for index, uid in enumerate(uid_hex(count)):
        yield (center_id, uid, stamp, stamp, f"Person {index:06d}", index % 2 == 0, "")


def test_it_inserts_every_row_with_its_values(db):
    center = create_center(slug="bulk", name="Bulk", short_name="B")
    assert insert_rows(Person, COLUMNS, people(center.pk, 2_500)) == 2_500
    assert Person.objects.filter(center=center).count() == 2_500
    person = Person.objects.get(center=center, name="Person 000007")
    assert (person.is_staff_member, person.affiliation) == (False, "")
    assert isinstance(person.uid, uuid.UUID) and person.uid.version == 7
    assert person.created_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_refused_by_the_database_midway_leaves_nothing():
    center = create_center(slug="bulk", name="Bulk", short_name="B")

    def rows() -> Iterator[tuple[object, ...]]:
        for index, row in enumerate(people(center.pk, ROWS)):
            # A name repeated far into the stream breaks the unique constraint.
            yield (*row[:4], "Person 000001", *row[5:]) if index == ROWS - 10 else row

    with pytest.raises(DatabaseError):
        insert_rows(Person, COLUMNS, rows())
    assert not Person.objects.filter(center=center).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_error_in_the_rows_midway_leaves_nothing():
    center = create_center(slug="bulk", name="Bulk", short_name="B")

    def rows() -> Iterator[tuple[object, ...]]:
        for index, row in enumerate(people(center.pk, ROWS)):
            if index == ROWS - 10:
                raise RuntimeError("the source broke")
            yield row

    with pytest.raises(RuntimeError, match="the source broke"):
        insert_rows(Person, COLUMNS, rows())
    assert not Person.objects.filter(center=center).exists()


def test_copy_is_counted_as_a_query(db):
    from django.test.utils import CaptureQueriesContext

    center = create_center(slug="bulk", name="Bulk", short_name="B")
    with CaptureQueriesContext(connection) as small:
        insert_rows(Person, COLUMNS, people(center.pk, 10))
    with CaptureQueriesContext(connection) as large:
        insert_rows(Person, COLUMNS, ((*r[:4], f"x{r[4]}", *r[5:]) for r in people(center.pk, 100)))
    assert len(small) == len(large) >= 1


@given(count=st.integers(min_value=0, max_value=3_000))
def test_uids_are_unique_ascending_and_version_7(count):
    made = list(uid_hex(count, now_ms=1_700_000_000_000))
    assert len(made) == count == len(set(made))
    assert made == sorted(made)
    for text in made[:50]:
        value = uuid.UUID(text)
        assert (value.version, value.variant) == (7, uuid.RFC_4122)
        assert value.hex == text


def test_uids_stay_ordered_past_the_counter(monkeypatch):
    import oppdrag.core.bulk as bulk

    # With a tiny counter the millisecond has to advance, as it would after 2**26 ids.
    monkeypatch.setattr(bulk, "_COUNTER_BITS", 4)
    made = list(bulk.uid_hex(100, now_ms=5))
    assert made == sorted(made) and len(set(made)) == 100
    assert int(made[-1][:12], 16) == 5 + 99 // 16


def test_created_records_get_keys_and_a_history_row_each(db, django_user_model):
    from oppdrag.activities.models import EventSeries

    center = create_center(slug="bulk", name="Bulk", short_name="B")
    user = django_user_model.objects.create_user("importer")
    keys = create_with_history(
        EventSeries,
        [{"name": f"Serie {i}"} for i in range(3)],
        fixed={"center": center, "year": 2025},
        user=user,
    )
    assert sorted(keys) == sorted(
        EventSeries.objects.filter(center=center).values_list("pk", flat=True)
    )
    history = EventSeries.history.filter(center_id=center.pk)
    assert sorted(history.values_list("id", "name", "history_type", "history_user")) == [
        (pk, f"Serie {i}", "+", user.pk) for i, pk in enumerate(keys)
    ]
    # A record saved the ordinary way afterwards takes the next free key.
    later = EventSeries.objects.create(center=center, year=2025, name="Senere")
    assert later.pk > max(keys)


def test_updated_records_get_a_changed_history_row_each_and_raise_the_version(
    db, django_user_model, django_capture_on_commit_callbacks
):
    from oppdrag.activities.models import EventSeries

    center = create_center(slug="bulk", name="Bulk", short_name="B")
    user = django_user_model.objects.create_user("importer")
    keys = create_with_history(
        EventSeries,
        [{"name": f"Serie {i}"} for i in range(3)],
        fixed={"center": center, "year": 2025},
    )
    series = list(EventSeries.objects.filter(pk__in=keys).order_by("pk"))
    for record in series[:2]:
        record.name += " (endret)"
    before = versions.current(center.pk)
    connection._oppdrag_versions_pending = None  # type: ignore[attr-defined]  # only ours counts
    with django_capture_on_commit_callbacks(execute=True):
        assert update_with_history(series[:2], ["name"], user=user) == 2
    assert versions.current(center.pk) == before + 1

    stored = EventSeries.objects.filter(pk__in=keys).order_by("pk")
    assert list(stored.values_list("name", flat=True)) == [
        "Serie 0 (endret)", "Serie 1 (endret)", "Serie 2",
    ]  # fmt: skip
    changed = EventSeries.history.filter(center_id=center.pk, history_type="~").order_by("id")
    assert [(h.id, h.name, h.year, h.history_user) for h in changed] == [
        (keys[0], "Serie 0 (endret)", 2025, user),
        (keys[1], "Serie 1 (endret)", 2025, user),
    ]
    # The change's time: the history's date and the records' «changed», the same.
    updated = dict(stored.values_list("pk", "updated_at"))
    assert [h.history_date for h in changed] == [updated[keys[0]], updated[keys[1]]]
    assert updated[keys[0]] > updated[keys[2]]
    assert EventSeries.history.filter(center_id=center.pk, history_type="+").count() == 3


def test_reserved_keys_never_reuse_a_deleted_records_key(db):
    from oppdrag.activities.models import EventSeries

    center = create_center(slug="bulk", name="Bulk", short_name="B")
    gone = EventSeries.objects.create(center=center, year=2025, name="Borte")
    gone_pk = gone.pk
    gone.delete()
    [new] = create_with_history(EventSeries, [{"name": "Ny", "center": center, "year": 2025}])
    assert new > gone_pk


def test_it_refuses_a_field_the_model_does_not_have(db):
    from oppdrag.activities.models import EventSeries

    center = create_center(slug="bulk", name="Bulk", short_name="B")
    with pytest.raises(FieldDoesNotExist):
        create_with_history(EventSeries, [{"navn": "Ny"}], fixed={"center": center, "year": 2025})
    assert not EventSeries.objects.filter(center=center).exists()


def test_it_keeps_a_primary_key_the_records_bring(db):
    version = current_version(standard_questionnaire())
    center = create_center(slug="korus-test", name="KORUS test", short_name="KT")
    survey = Survey.objects.create(
        center=center, kind="team", title="Teamundersøkelse", year=2025, version=version
    )
    ids = [uuid.uuid4(), uuid.uuid4()]
    keys = create_with_history(
        Response,
        [{"id": key, "submitted_on": dt.date(2025, 3, day)} for day, key in enumerate(ids, 1)],
        fixed={"survey": survey},
    )
    assert keys == ids
    assert sorted(Response.objects.values_list("id", flat=True)) == sorted(ids)


def test_it_takes_json_lists_as_values(db):
    version = current_version(standard_questionnaire())
    options = ["Ja", "Nei"]
    records = [
        {"version": version, "key": f"valg-{n}", "text": "Valg?", "kind": "single", "options": o}
        for n, o in enumerate([options, options, {"a": 1}])
    ]
    keys = create_with_history(Question, records)
    stored = dict(Question.objects.filter(pk__in=keys).values_list("key", "options"))
    assert stored == {"valg-0": options, "valg-1": options, "valg-2": {"a": 1}}
