"""Property-based: any malformed file is imported whole or refused whole, never a crash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.activities import models as m
from oppdrag.activities.importers import IMPORTERS
from oppdrag.core.models import Person
from oppdrag.grants.models import Assignment
from tests.files import write_table

PLAUSIBLE = [
    "",
    "Fysisk",
    "Digital",
    "Nasjonal",
    "Regional",
    "Halden",
    "Trondheim",
    "Øst",
    "NAPHA",
    "3.9",
    "3.9.1",
    "a",
    "2025",
    "19.03.2025",
    "31.02.2025",
    "2024-05-01",
    "-3",
    "40",
    "1 400",
    "ja",
    "kanskje",
    "medlem",
    "leder",
    "nyhet",
    "Foredrag",
    "=SUM(A1:A2)",
    "#REF!",
    "#N/A",
    "https://example.org/a",
    "Dahle, Petter; Trane, Kristin",
    "Ukjent kommune",
]
# Control characters cannot be stored in a workbook at all; random bytes are fuzzed
# separately in the reader's tests.
text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
cell = st.one_of(st.sampled_from(PLAUSIBLE), text, st.integers(-5, 3000).map(str))


def table_for(kind: str):
    headers = [c.header for c in IMPORTERS[kind].columns]
    header = st.lists(
        st.one_of(st.sampled_from(headers), text.filter(bool)),
        min_size=1,
        max_size=len(headers) + 2,
    )
    return header.flatmap(
        lambda h: st.tuples(
            st.just(h),
            st.lists(st.lists(cell, min_size=0, max_size=len(h) + 1), min_size=0, max_size=6),
        )
    )


def counts():
    return (
        m.Event.objects.count(),
        m.Presentation.objects.count(),
        m.Group.objects.count(),
        m.PublishedFigure.objects.count(),
        m.TopicPageVisits.objects.count(),
        Assignment.objects.count(),
        Person.objects.count(),
        m.EventOrganizer.objects.count(),
    )


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_malformed_files_are_refused_cleanly(kind, center, tmp_path_factory):
    Assignment.objects.create(center=center, year=2025, number="3.9", title="Bolig")

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(table=table_for(kind), suffix=st.sampled_from([".csv", ".xlsx"]))
    def check(table, suffix):
        header, rows = table
        path = write_table(tmp_path_factory.mktemp("fuzz"), "f" + suffix, [header, *rows])
        before = counts()
        result = IMPORTERS[kind](center, 2025).run(path)
        if not result.ok:
            assert counts() == before
            assert all(p.file == path.name and p.message for p in result.problems)

    check()
