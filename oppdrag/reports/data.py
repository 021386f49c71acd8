"""Everything the report and the checks read, loaded in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import get_language

from oppdrag.activities import models as m
from oppdrag.core.models import Center
from oppdrag.evaluations.figures import evaluation_figures
from oppdrag.figures.keyfigures import (
    KINDS,
    event_figures,
    municipalities_reached,
    published_figures,
    published_values,
    record_counts,
    topic_pages,
)
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.teams.figures import team_figures

from .models import AssessmentBlock

# Kinds whose records can be tagged to an assignment, in the order the report lists them.
TAGGED_KINDS = (
    "events",
    "presentations",
    "op_eds",
    "consultation_responses",
    "publications",
    "media_appearances",
    "groups",
    "web_articles",
    "advice_requests",
)


def _attach(records: list[Any], name: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Give each record a plain list ``name`` of its rows' values, in the rows' order.

    ``rows`` are ``(record id, value)`` or ``(record id, value, value …)`` tuples (the
    latter kept as tuples of the values). One query per relation, as with
    ``prefetch_related``, without the queryset and model instances it builds per record.
    """
    grouped: dict[int, list[Any]] = defaultdict(list)
    for record_id, *values in rows:
        grouped[record_id].append(values[0] if len(values) == 1 else tuple(values))
    for record in records:
        setattr(record, name, grouped.get(record.pk, []))


def _tags(center: Center, year: int, records: dict[str, list[Any]], areas: list[FocusArea]) -> None:
    """Give every record ``assignment_ids`` and ``focus_codes`` from one query.

    One UNION ALL over the kinds' assignment and focus-area link tables, each joined to
    its records for the centre and year, read as plain tuples: the report only needs
    which assignments and areas a record is tagged with. Written as SQL from the models'
    metadata because the ORM takes longer to compile eighteen joined selects than the
    database takes to run them.
    """
    quote = connection.ops.quote_name
    selects: list[str] = []
    params: list[Any] = []
    slots: list[tuple[str, str]] = []
    for kind in TAGGED_KINDS:
        model = KINDS[kind]
        meta = model._meta
        center_column = str(meta.get_field("center").column)  # type: ignore[union-attr]
        year_column = str(meta.get_field("year").column)  # type: ignore[union-attr]
        for relation in ("assignments", "focus_areas"):
            m2m = meta.get_field(relation)
            through = m2m.remote_field.through._meta  # type: ignore[union-attr]
            source = str(through.get_field(m2m.m2m_field_name()).column)  # type: ignore[union-attr]
            target = str(through.get_field(m2m.m2m_reverse_field_name()).column)  # type: ignore[union-attr]
            selects.append(
                f"SELECT {len(slots)}, t.{quote(source)}, t.{quote(target)} "
                f"FROM {quote(through.db_table)} t "
                f"INNER JOIN {quote(meta.db_table)} r "
                f"ON r.{quote(meta.pk.column)} = t.{quote(source)} "
                f"WHERE r.{quote(center_column)} = %s AND r.{quote(year_column)} = %s"
            )
            params += [center.pk, year]
            slots.append((kind, relation))
    by_id = {kind: {record.pk: record for record in records[kind]} for kind in TAGGED_KINDS}
    for kind in TAGGED_KINDS:
        for record in records[kind]:
            record.assignment_ids = []
            record.focus_codes = []
    code_of = {area.pk: area.code for area in areas}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    for slot, record_id, target_id in rows:
        kind, relation = slots[slot]
        record = by_id[kind][record_id]
        if relation == "assignments":
            record.assignment_ids.append(target_id)
        else:
            record.focus_codes.append(code_of[target_id])


@dataclass
class YearData:
    """One centre's year of records, prefetched for the report and the checks."""

    center: Center
    year: int
    assignments: list[Assignment]
    focus_areas: list[FocusArea]
    records: dict[str, list[Any]]
    figures: dict[str, Any]
    previous_counts: dict[str, int]
    blocks: list[AssessmentBlock]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_previous_year(self) -> bool:
        return any(self.previous_counts.values())


def report_figures(center: Center, year: int, counts: dict[str, int]) -> dict[str, Any]:
    """The parts of ``key_figures`` the report and the checks read, computed by the key
    figures' own functions (the hours, coverage, web and per-kind breakdowns the report
    does not show are left out; appendices 7 and 8 come from the hours provider)."""
    return {
        "center": center.slug,
        "year": year,
        "counts": counts,
        "events": event_figures(center, year),
        "municipalities_reached": municipalities_reached(center, year),
        "topic_pages": topic_pages(center, year),
        "published": published_values(published_figures(center, year)),
        "teams": team_figures(center, year),
        "evaluations": evaluation_figures(center, year),
    }


def load_year(center: Center, year: int) -> YearData:
    """Load the year; the number of queries does not depend on the number of records."""
    scope = {"center": center, "year": year}
    records: dict[str, list[Any]] = {
        "events": list(m.Event.objects.filter(**scope).order_by("id").select_related("series")),
        "presentations": list(m.Presentation.objects.filter(**scope).order_by("id")),
        "op_eds": list(m.OpEd.objects.filter(**scope).order_by("id")),
        "consultation_responses": list(
            m.ConsultationResponse.objects.filter(**scope).order_by("id")
        ),
        "publications": list(m.Publication.objects.filter(**scope).order_by("id")),
        "media_appearances": list(
            m.MediaAppearance.objects.filter(**scope).order_by("id").select_related("person")
        ),
        "groups": list(m.Group.objects.filter(**scope).order_by("id")),
        "web_articles": list(m.WebArticle.objects.filter(**scope).order_by("id")),
        "advice_requests": list(
            m.AdviceRequest.objects.filter(**scope).order_by("id").select_related("municipality")
        ),
    }
    # (organisation id, name) of each event's organisers and the names of its regions;
    # contributors' names in order (``str()`` of an organisation or person is its name).
    _attach(
        records["events"],
        "organizer_pairs",
        m.EventOrganizer.objects.filter(event__center=center, event__year=year)
        .order_by("position", "id")
        .values_list("event_id", "organization_id", "organization__name"),
    )
    _attach(
        records["events"],
        "region_names",
        m.Event.regions.through.objects.filter(event__center=center, event__year=year)
        .order_by("region__name", "region_id")
        .values_list("event_id", "region__name"),
    )
    for kind, model, owner in (
        ("presentations", m.PresentationContributor, "presentation"),
        ("op_eds", m.OpEdAuthor, "op_ed"),
        ("publications", m.PublicationContributor, "publication"),
    ):
        _attach(
            records[kind],
            "contributor_names",
            model.objects.filter(**{f"{owner}__center": center, f"{owner}__year": year})
            .order_by("position", "id")
            .values_list(f"{owner}_id", "person__name"),
        )
    focus_areas = list(FocusArea.objects.order_by("code"))
    _tags(center, year, records, focus_areas)
    counts = record_counts(center, [year, year - 1])
    return YearData(
        center=center,
        year=year,
        assignments=list(
            Assignment.objects.filter(center=center, year=year).order_by("sort_key", "id")
        ),
        focus_areas=focus_areas,
        records=records,
        figures=report_figures(center, year, counts[year]),
        previous_counts=counts[year - 1],
        blocks=list(
            AssessmentBlock.objects.filter(center=center, year=year)
            .select_related("assignment", "author")
            .order_by("id")
        ),
    )


# A model's verbose name, translated and capitalised, per model and language: the
# findings describe hundreds of records and translating the same word for each of
# them was a tenth of the checks' time.
_KIND_NAMES: dict[tuple[type, str | None], str] = {}


def describe(kind: str, record: Any) -> str:
    """A short description of a record for findings: kind, date and title."""
    title = getattr(record, "title", None) or getattr(record, "name", None) or str(record)
    date = getattr(record, "date", None) or getattr(record, "date_start", None)
    ref = getattr(record, "ref", "")
    slot = (type(record), get_language())
    name = _KIND_NAMES.get(slot)
    if name is None:
        name = _KIND_NAMES[slot] = record._meta.verbose_name.capitalize()
    parts = [name]
    if ref:
        parts.append(ref)
    if date:
        parts.append(date.strftime("%d.%m.%Y"))
    return " · ".join([*parts, f"«{title}»"])
