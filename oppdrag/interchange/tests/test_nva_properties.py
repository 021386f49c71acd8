"""Property-based tests of the NVA mappers and of the import's idempotence."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.core.services import create_center
from oppdrag.interchange import nva
from oppdrag.interchange.importers import NvaJsonImporter

CATEGORIES = [*nva.PRESENTATION_TYPES, *nva.PUBLICATION_TYPES, *nva.SKIPPED_TYPES, "SomethingNew"]
words = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs"], include_characters="-–:?!æøåÆØÅ"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())
names = st.text(
    alphabet=st.characters(categories=["L"], include_characters=" -'æøå"), min_size=1, max_size=40
).filter(lambda s: s.strip())
identifiers = st.from_regex(r"\A[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}\Z")


@st.composite
def dates(draw: Any) -> tuple[str, str | None, str | None, dt.date | None]:
    day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    zero = draw(st.booleans())  # NVA writes "08" as well as "8"
    month = f"{day.month:02d}" if zero else str(day.month)
    if precision == "year":
        return str(day.year), None, None, None
    if precision == "month":
        return str(day.year), month, None, None
    return str(day.year), month, f"{day.day:02d}" if zero else str(day.day), day


@st.composite
def hits(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    identifier = draw(identifiers)
    title = draw(words)
    year, month, day, exact = draw(dates())
    category = draw(st.sampled_from(CATEGORIES))
    people = draw(st.lists(names, max_size=5))
    date = {"year": year, **({"month": month} if month else {}), **({"day": day} if day else {})}
    hit = {
        "identifier": identifier,
        "id": f"https://api.nva.unit.no/publication/{identifier}",
        "entityDescription": {
            "mainTitle": title,
            "publicationDate": date,
            "contributors": [
                {"identity": {"name": n}, "sequence": i + 1} for i, n in enumerate(people)
            ],
            "reference": {"publicationInstance": {"type": category}},
        },
    }
    expected = {
        "identifier": identifier,
        "title": " ".join(title.split()),
        "year": int(year),
        "date": exact,
        "category": category,
        "contributors": tuple(dict.fromkeys(" ".join(n.split()) for n in people)),
    }
    return hit, expected


@given(hits())
def test_a_search_hit_maps_to_its_title_date_category_and_people(pair):
    hit, expected = pair
    record = nva.record_from_hit(hit, 1)
    for key, value in expected.items():
        assert getattr(record, key) == value
    if expected["category"] in nva.PRESENTATION_TYPES:
        assert record.target == nva.PRESENTATION
    elif expected["category"] in nva.SKIPPED_TYPES:
        assert record.target == nva.SKIP
    else:
        assert record.target == nva.PUBLICATION
    assert record.url.endswith(expected["identifier"])


def as_export_csv(records: list[nva.NvaRecord], dates_text: list[str]) -> str:
    """NVA's CSV export as ResourceCsvTransformer writes it."""

    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    lines = [";".join(quote(c) for c in nva.CSV_COLUMNS)]
    for record, date in zip(records, dates_text, strict=True):
        cells = [record.url, record.title, date, record.category, ",".join(record.contributors)]
        lines.append(";".join(quote(c) for c in cells))
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


@given(st.lists(hits(), max_size=8))
def test_the_csv_export_reads_back_as_the_same_records(pairs):
    records = [nva.record_from_hit(hit, i) for i, (hit, _e) in enumerate(pairs, start=1)]
    dates_text = [
        "-".join(v for v in hit["entityDescription"]["publicationDate"].values() if v)
        for hit, _e in pairs
    ]
    parsed, problems = nva.parse_export_csv(as_export_csv(records, dates_text))
    assert problems == []
    assert parsed == records


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.lists(json_values | hits().map(lambda pair: pair[0]), max_size=6))
def test_any_json_gives_records_or_named_problems_never_a_crash(items):
    records, problems = nva.parse_search_response({"hits": items})
    assert len(records) + len(problems) == len(items)
    assert all(p.index is not None and 1 <= p.index <= len(items) for p in problems)


counter = itertools.count()


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(hits(), max_size=6, unique_by=lambda pair: pair[0]["identifier"]))
def test_importing_the_same_results_twice_changes_nothing_the_second_time(pairs):
    center = create_center(slug=f"hyp-{next(counter)}", name="Hypotese", short_name="H")
    records = [nva.record_from_hit(hit, i) for i, (hit, _e) in enumerate(pairs, start=1)]
    wanted = [r for r in records if r.year == 2025 and r.target != nva.SKIP]
    first = NvaJsonImporter(center, 2025).run_records(records, "treff.json")
    assert first.ok and first.added == len(wanted)
    again = NvaJsonImporter(center, 2025).run_records(records, "treff.json")
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(wanted))
