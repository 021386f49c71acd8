"""Everything the report and the checks read, loaded in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import get_language

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Organization, Person, Region
from oppdrag.core.prepared import PreparedRecords
from oppdrag.evaluations.figures import evaluation_figures
from oppdrag.figures.keyfigures import (
    KINDS,
    UNSTATED,
    chosen_figures,
    event_figures,
    networks_team_models,
    published_figures,
    published_values,
    record_counts,
    team_model_pattern,
    topic_pages,
)
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.interchange.figures import web_figures
from oppdrag.teams.figures import model_type_names, team_figures

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


def _column(model: type[Model], name: str) -> str:
    """The quoted column of ``model``'s field ``name``."""
    return connection.ops.quote_name(str(model._meta.get_field(name).column))  # type: ignore[union-attr]


def _related(
    center: Center, year: int, records: dict[str, list[Any]], areas: list[FocusArea]
) -> None:
    """Give the records what the report reads of their links, from one statement.

    Every record gets ``assignment_ids`` and ``focus_codes``; events also
    ``organizer_pairs`` (organisation id and name, in the organisers' order) and
    ``region_names`` (by name); presentations, op-eds and publications
    ``contributor_names`` (in the contributors' order). One UNION ALL of a select per
    kind and link table, each joined to its records for the centre and year, read as
    plain tuples ``(select, record id, linked id, name, sort number, sort text, sort
    id)`` and ordered by the sort columns. Written as SQL from the models' metadata
    because the ORM takes longer to compile these joined selects than the database
    takes to run them, and on PostgreSQL each statement is a round trip.
    """
    quote = connection.ops.quote_name
    selects: list[str] = []
    params: list[Any] = []
    slots: list[tuple[str, str]] = []  # per select: (kind, attribute or tag relation)

    def add(
        kind: str, attribute: str, link: Any, owner: str, linked: str, columns: str, join: str = ""
    ) -> None:
        """One select of ``link``'s rows (alias ``t``) for ``kind``'s records of the year:
        record id, linked id, then ``columns`` (name and sort columns) from ``join``."""
        record = KINDS[kind]
        selects.append(
            f"SELECT {len(slots)}, t.{_column(link, owner)}, t.{_column(link, linked)}, {columns} "
            f"FROM {quote(link._meta.db_table)} t {join}"
            f"INNER JOIN {quote(record._meta.db_table)} r "
            f"ON r.{quote(record._meta.pk.column)} = t.{_column(link, owner)} "
            f"WHERE r.{_column(record, 'center')} = %s AND r.{_column(record, 'year')} = %s"
        )
        params.extend([center.pk, year])
        slots.append((kind, attribute))

    for kind in TAGGED_KINDS:
        for relation in ("assignments", "focus_areas"):
            m2m = KINDS[kind]._meta.get_field(relation)
            through = m2m.remote_field.through  # type: ignore[union-attr]
            add(
                kind,
                relation,
                through,
                m2m.m2m_field_name(),  # type: ignore[union-attr]
                m2m.m2m_reverse_field_name(),  # type: ignore[union-attr]
                "'', 0, '', 0",
            )
    # (organisation id, name) of each event's organisers, by position
    organization = Organization._meta
    add(
        "events",
        "organizer_pairs",
        m.EventOrganizer,
        "event",
        "organization",
        f"o.{_column(Organization, 'name')}, t.{_column(m.EventOrganizer, 'position')}, '', "
        f"t.{quote(m.EventOrganizer._meta.pk.column)}",
        f"INNER JOIN {quote(organization.db_table)} o ON o.{quote(organization.pk.column)} = "
        f"t.{_column(m.EventOrganizer, 'organization')} ",
    )
    # the names of each event's regions, by name
    regions = m.Event._meta.get_field("regions")
    region_link: Any = regions.remote_field.through  # type: ignore[union-attr]
    region = Region._meta
    region_id = f"t.{_column(region_link, regions.m2m_reverse_field_name())}"  # type: ignore[union-attr]
    add(
        "events",
        "region_names",
        region_link,
        regions.m2m_field_name(),  # type: ignore[union-attr]
        regions.m2m_reverse_field_name(),  # type: ignore[union-attr]
        f"g.{_column(Region, 'name')}, 0, g.{_column(Region, 'name')}, {region_id}",
        f"INNER JOIN {quote(region.db_table)} g ON g.{quote(region.pk.column)} = {region_id} ",
    )
    # contributors' names, by position (``str()`` of a person is the name)
    person = Person._meta
    for kind, link, owner in (
        ("presentations", m.PresentationContributor, "presentation"),
        ("op_eds", m.OpEdAuthor, "op_ed"),
        ("publications", m.PublicationContributor, "publication"),
    ):
        add(
            kind,
            "contributor_names",
            link,
            owner,
            "person",
            f"p.{_column(Person, 'name')}, t.{_column(link, 'position')}, '', "
            f"t.{quote(link._meta.pk.column)}",
            f"INNER JOIN {quote(person.db_table)} p ON p.{quote(person.pk.column)} = "
            f"t.{_column(link, 'person')} ",
        )
    lists = {kind: {"assignment_ids", "focus_codes"} for kind in TAGGED_KINDS}
    for kind, attribute in slots:
        if attribute not in ("assignments", "focus_areas"):
            lists[kind].add(attribute)
    by_id = {kind: {record.pk: record for record in records[kind]} for kind in TAGGED_KINDS}
    for kind in TAGGED_KINDS:
        for record in records[kind]:
            for attribute in lists[kind]:
                setattr(record, attribute, [])
    code_of = {area.pk: area.code for area in areas}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects) + " ORDER BY 1, 5, 6, 7", params)
        rows = cursor.fetchall()
    for slot, record_id, linked_id, name, _number, _text, _id in rows:
        kind, attribute = slots[slot]
        record = by_id[kind][record_id]
        if attribute == "assignments":
            record.assignment_ids.append(linked_id)
        elif attribute == "focus_areas":
            record.focus_codes.append(code_of[linked_id])
        elif attribute == "organizer_pairs":
            record.organizer_pairs.append((linked_id, name))
        else:
            getattr(record, attribute).append(name)


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
    # The day the year's presentations last changed in the registry (their history):
    # appendix 2 prints «Registrert i NVA per <date>» from it, as the published report does.
    presentations_as_of: datetime.date | None = None

    @property
    def has_previous_year(self) -> bool:
        return any(self.previous_counts.values())


def published_with_qualifiers(rows: dict[str, Any]) -> dict[str, Any]:
    """The published values and, for those written «over 50» or «ca. 130», the qualifier."""
    return {
        "published": published_values(rows),
        "published_qualifiers": {
            key: row.qualifier for key, row in rows.items() if row.qualifier != "exact"
        },
    }


def report_figures(
    center: Center, year: int, counts: dict[str, int], records: dict[str, list[Any]]
) -> dict[str, Any]:
    """The parts of ``key_figures`` the report and the checks read, computed by the key
    figures' own functions (the hours, coverage, web, events by region and per-kind
    breakdowns the report does not show are left out; appendices 7 and 8 come from the
    hours provider). ``records`` are the year's records, already loaded."""
    published = published_figures(center, year)
    model_types = model_type_names()  # the networks' count and the team figures read both
    figures: dict[str, Any] = {
        "center": center.slug,
        "year": year,
        "counts": counts,
        "events": event_figures(center, year, regions=False),
        "topic_pages": topic_pages(center, year),
        # What the chosen key figures read, from the records already loaded.
        "groups": {
            "by_kind": _tally(r.kind for r in records["groups"]),
            "networks_team_models": networks_team_models(
                [r.name for r in records["groups"] if r.kind == m.Group.Kind.NETWORK],
                team_model_pattern(model_types),
            ),
        },
        "publications": {"by_type": _tally(r.kind for r in records["publications"])},
        "web": web_figures(center, year, published),
        **published_with_qualifiers(published),
        "teams": team_figures(
            center,
            year,
            advice_teams=[r.team for r in records["advice_requests"]],
            model_types=model_types,
        ),
        "evaluations": evaluation_figures(center, year),
    }
    chosen = chosen_figures(center, year, figures)
    figures["municipalities_reached"] = chosen["reach"]["value"]
    figures["reach"] = chosen.pop("reach")
    figures["key_figures"] = chosen
    return figures


def _tally(values: Iterable[str]) -> dict[str, int]:
    """Records per registered value, as ``keyfigures.breakdown`` counts them."""
    counts = Counter(value or UNSTATED for value in values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# The report never shows when a record was created or changed; leaving the two
# timestamps out of every record saves converting them (a tenth of this loading).
_UNUSED = ("created_at", "updated_at")


def _records(model: type[Model], *related: str) -> PreparedRecords:
    """One kind's records of a centre's year, in the order they were registered."""
    return PreparedRecords(
        f"report records of {model._meta.label}",
        model,
        lambda center_id, year: model._default_manager.filter(
            center_id=center_id, year=year
        ).order_by("id"),
        int,
        int,
        related=related,
        leave_out=_UNUSED,
    )


# Compiled once per process and database (see oppdrag.core.prepared): the shapes of
# these queries never change, and compiling them cost more than running them.
_RECORDS: dict[str, PreparedRecords] = {
    "events": _records(m.Event, "series"),
    "presentations": _records(m.Presentation),
    "op_eds": _records(m.OpEd),
    "consultation_responses": _records(m.ConsultationResponse),
    "publications": _records(m.Publication),
    "media_appearances": _records(m.MediaAppearance, "person"),
    "groups": _records(m.Group),
    "web_articles": _records(m.WebArticle),
    "advice_requests": _records(m.AdviceRequest, "municipality"),
}
_ASSIGNMENTS = PreparedRecords(
    "report assignments",
    Assignment,
    lambda center_id, year: Assignment.objects.filter(center_id=center_id, year=year).order_by(
        "sort_key", "id"
    ),
    int,
    int,
)
_BLOCKS = PreparedRecords(
    "report assessment blocks",
    AssessmentBlock,
    lambda center_id, year: AssessmentBlock.objects.filter(center_id=center_id, year=year).order_by(
        "id"
    ),
    int,
    int,
    related=("assignment", "author"),
)
_FOCUS_AREAS = PreparedRecords(
    "report focus areas", FocusArea, lambda: FocusArea.objects.order_by("code")
)


def load_year(center: Center, year: int) -> YearData:
    """Load the year; the number of queries does not depend on the number of records."""
    records: dict[str, list[Any]] = {
        kind: prepared.load(center.pk, year) for kind, prepared in _RECORDS.items()
    }
    focus_areas = _FOCUS_AREAS.load()
    _related(center, year, records, focus_areas)
    counts = record_counts(center, [year, year - 1])
    return YearData(
        center=center,
        year=year,
        assignments=_ASSIGNMENTS.load(center.pk, year),
        focus_areas=focus_areas,
        records=records,
        figures=report_figures(center, year, counts[year], records),
        previous_counts=counts[year - 1],
        blocks=_BLOCKS.load(center.pk, year),
        presentations_as_of=presentations_as_of(center, year),
    )


def presentations_as_of(center: Center, year: int) -> datetime.date | None:
    """The local day of the last registration, change or deletion of the year's
    presentations (one query), or None when none was ever registered."""
    latest = m.Presentation.history.filter(center_id=center.pk, year=year).aggregate(
        latest=Max("history_date")
    )["latest"]
    return timezone.localdate(latest) if latest is not None else None


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
