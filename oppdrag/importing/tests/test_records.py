"""``insert_records``: what an archive's restore needs of it besides what importers do."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction

from oppdrag.core.services import create_center
from oppdrag.evaluations.models import Question, Response, Survey
from oppdrag.evaluations.services import current_version, standard_questionnaire
from oppdrag.importing.records import insert_records


@pytest.fixture
def version(db):
    return current_version(standard_questionnaire())


def test_it_keeps_a_primary_key_the_records_bring(version):
    center = create_center(slug="korus-test", name="KORUS test", short_name="KT")
    survey = Survey.objects.create(
        center=center, kind="team", title="Teamundersøkelse", year=2025, version=version
    )
    ids = [uuid.uuid4(), uuid.uuid4()]
    with transaction.atomic():
        keys = insert_records(
            Response,
            [{"id": key, "submitted_on": dt.date(2025, 3, day)} for day, key in enumerate(ids, 1)],
            fixed={"survey": survey},
        )
    assert keys == ids
    assert sorted(Response.objects.values_list("id", flat=True)) == sorted(ids)


def test_it_takes_json_lists_as_values(version):
    options = ["Ja", "Nei"]
    records = [
        {"version": version, "key": f"valg-{n}", "text": "Valg?", "kind": "single", "options": o}
        for n, o in enumerate([options, options, {"a": 1}])
    ]
    with transaction.atomic():
        keys = insert_records(Question, records)
    stored = dict(Question.objects.filter(pk__in=keys).values_list("key", "options"))
    assert stored == {"valg-0": options, "valg-1": options, "valg-2": {"a": 1}}
