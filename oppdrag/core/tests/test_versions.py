"""A centre's data version rises with every committed change to its data, and only then."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_delete

from oppdrag.activities.models import Event, EventOrganizer
from oppdrag.core import versions
from oppdrag.core.models import Municipality, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a commit would run (the test's own transaction is never committed).

    The fixtures' own writes are left pending outside: only what the block writes counts.
    """

    def run():
        connection._oppdrag_versions_pending = None  # type: ignore[attr-defined]
        return django_capture_on_commit_callbacks(execute=True)

    return run


def _event(center, title: str = "Fagdag") -> Event:
    return Event.objects.create(center=center, year=2025, theme="Rus", title=title)


def test_a_committed_save_raises_the_version_once_and_only_of_its_centre(
    center, other_center, commit
):
    before, other_before = versions.current(center.pk), versions.current(other_center.pk)
    with commit():
        event = _event(center)
        event.title = "Fagdag om rus"
        event.save()
        # Not before the commit: a reader must not see a number whose data it cannot see.
        assert versions.current(center.pk) == before
    assert versions.current(center.pk) == before + 1
    assert versions.current(other_center.pk) == other_before


def test_a_rolled_back_transaction_raises_nothing_and_the_next_one_does(center, commit):
    before = versions.current(center.pk)
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        _event(center)
        raise RuntimeError
    assert versions.current(center.pk) == before
    with commit():
        _event(center, "Neste")
    assert versions.current(center.pk) == before + 1


def test_many_to_many_changes_and_child_rows_raise_their_centres_version(center, commit):
    event = _event(center)
    municipality = Municipality.objects.first()
    assert municipality is not None, "reference data missing"
    before = versions.current(center.pk)
    with commit():
        event.municipalities.add(municipality)
    assert versions.current(center.pk) == before + 1
    organization = Organization.objects.create(name="Lag")
    with commit():
        organizer = EventOrganizer.objects.create(
            event=Event.objects.get(pk=event.pk), organization=organization
        )
    assert versions.current(center.pk) == before + 2
    with commit():
        EventOrganizer.objects.filter(pk=organizer.pk).delete()
    assert versions.current(center.pk) == before + 3


def test_a_delete_raises_the_version(center, commit):
    event = _event(center)
    before = versions.current(center.pk)
    with commit():
        Event.objects.filter(pk=event.pk).delete()
    assert versions.current(center.pk) == before + 1


def test_reference_data_and_bulk_tables_keep_django_s_fast_delete():
    assert not post_delete.has_listeners(Municipality)
    assert versions.center_of(Municipality(name="Oslo")) is None
    assert post_delete.has_listeners(Event)
