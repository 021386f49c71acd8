"""The record kinds the API serves, declared once.

Activity kinds come from the staff interface's registry (``oppdrag/web/registry.py``):
their queryset, prefetches and FilterSet are the list page's, so a filter added there
reaches the API without a change here. The rest (topic pages, people, and the read-only
grants, teams and fidelity reviews) are declared here the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from oppdrag.activities import models as m
from oppdrag.core.models import (
    Center,
    CityDistrict,
    Municipality,
    Organization,
    Person,
    Region,
)
from oppdrag.grants.models import Assignment, FocusArea, Grant
from oppdrag.teams.models import FidelityReview, ServiceTeam
from oppdrag.web.registry import KINDS

from .filters import list_filter, search_filter


@dataclass(frozen=True)
class Relation:
    """A relation written and read as public keys: ``key`` of the rows ``choices`` gives."""

    key: str
    choices: Callable[[Center], QuerySet[Any]]
    many: bool = False


def names(attr: str, via: str = "person") -> Callable[[Any], list[str]]:
    """The names along an ordered, prefetched through-table (contributors, authors …)."""
    return lambda obj: [getattr(link, via).name for link in getattr(obj, attr).all()]


def _own(model: type[Model]) -> Callable[[Center], QuerySet[Any]]:
    return lambda center: model._default_manager.filter(center=center)  # type: ignore[attr-defined]


def _all(model: type[Model]) -> Callable[[Center], QuerySet[Any]]:
    return lambda center: model._default_manager.all()  # type: ignore[attr-defined]


ASSIGNMENTS = Relation("uid", _own(Assignment), many=True)
FOCUS_AREAS = Relation("code", _all(FocusArea), many=True)
ACTIVITY_RELATIONS = {"assignments": ASSIGNMENTS, "focus_areas": FOCUS_AREAS}


def current_municipalities(center: Center) -> QuerySet[Any]:
    return Municipality.objects.filter(valid_to__isnull=True)


@dataclass(frozen=True)
class Resource:
    slug: str
    model: type[Model]
    fields: tuple[str, ...]
    relations: dict[str, Relation] = field(default_factory=dict)
    # Read-only values computed from prefetched rows: name -> (function, schema).
    computed: dict[str, tuple[Callable[[Any], Any], dict[str, Any]]] = field(default_factory=dict)
    read_only: tuple[str, ...] = ()
    kind: str | None = None  # the registry's slug, for the queryset and the FilterSet
    writable: bool = True
    select: tuple[str, ...] = ()
    prefetch: tuple[Any, ...] = ()
    search: tuple[str, ...] = ("title",)
    ordering: tuple[str, ...] = ("-year", "id")
    base: Callable[[Center], QuerySet[Any]] | None = None

    def queryset(self, center: Center) -> QuerySet[Any]:
        if self.kind is not None:
            qs = KINDS[self.kind].queryset(center)
        elif self.base is not None:
            qs = self.base(center).order_by(*self.ordering)
        else:
            qs = self.model._default_manager.filter(center=center).order_by(*self.ordering)  # type: ignore[attr-defined]
        if self.select:
            qs = qs.select_related(*self.select)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs

    def filter_class(self) -> Any:
        """The list page's FilterSet for registry kinds; search (and year) otherwise."""
        if self.kind is None:
            return search_filter(self.model, self.search)
        return list_filter(self.kind) or search_filter(self.model, KINDS[self.kind].search)


NAMES = {"type": "array", "items": {"type": "string"}}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}


def _name(attr: str) -> Callable[[Any], str | None]:
    def get(obj: Any) -> str | None:
        value = getattr(obj, attr)
        return None if value is None else value.name

    return get


RESOURCES: dict[str, Resource] = {
    r.slug: r
    for r in [
        Resource(
            "events",
            m.Event,
            (
                "year",
                "ref",
                "theme",
                "title",
                "date_start",
                "date_end",
                "participants",
                "scope",
                "format",
                "audience",
                "target_group_involved",
                "users_involved",
            ),
            relations={
                **ACTIVITY_RELATIONS,
                "series": Relation("uid", _own(m.EventSeries)),
                "regions": Relation("code", _all(Region), many=True),
                "municipalities": Relation("number", current_municipalities, many=True),
            },
            computed={
                "organizers": (names("eventorganizer_set", "organization"), NAMES),
            },
            read_only=("ref",),
            kind="arrangementer",
            prefetch=("focus_areas",),
        ),
        Resource(
            "presentations",
            m.Presentation,
            ("year", "ref", "title", "date", "kind", "nva_id"),
            relations=ACTIVITY_RELATIONS,
            computed={"contributors": (names("presentationcontributor_set"), NAMES)},
            kind="presentasjoner",
            prefetch=("focus_areas",),
        ),
        Resource(
            "op-eds",
            m.OpEd,
            ("year", "ref", "title", "kind", "outlet", "date", "url"),
            relations=ACTIVITY_RELATIONS,
            computed={"authors": (names("opedauthor_set"), NAMES)},
            kind="kronikker",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "consultation-responses",
            m.ConsultationResponse,
            ("year", "ref", "title", "date", "url"),
            relations=ACTIVITY_RELATIONS,
            kind="horingsinnspill",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "publications",
            m.Publication,
            ("year", "ref", "title", "kind", "date", "url", "nva_id"),
            relations=ACTIVITY_RELATIONS,
            computed={"contributors": (names("publicationcontributor_set"), NAMES)},
            kind="produkter",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "media-appearances",
            m.MediaAppearance,
            ("year", "ref", "role", "title", "outlet", "date", "url"),
            relations={**ACTIVITY_RELATIONS, "person": Relation("uid", _own(Person))},
            computed={"person_name": (_name("person"), NULLABLE_TEXT)},
            kind="medieoppslag",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "groups",
            m.Group,
            ("year", "ref", "name", "kind", "role", "description"),
            relations=ACTIVITY_RELATIONS,
            kind="grupper",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "web-articles",
            m.WebArticle,
            ("year", "ref", "title", "category", "date", "url", "visits"),
            relations=ACTIVITY_RELATIONS,
            kind="nettsaker",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "advice-requests",
            m.AdviceRequest,
            ("year", "ref", "date", "channel", "asker_kind", "team", "topic", "minutes"),
            relations={
                **ACTIVITY_RELATIONS,
                "municipality": Relation("number", current_municipalities),
                "district": Relation("number", _all(CityDistrict)),
                "organization": Relation("name", _all(Organization)),
            },
            kind="henvendelser",
            prefetch=("assignments", "focus_areas"),
        ),
        Resource(
            "topic-pages",
            m.TopicPage,
            ("name", "url"),
            computed={
                "visits": (
                    lambda page: [{"year": v.year, "visits": v.visits} for v in page.visits.all()],
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "year": {"type": "integer"},
                                "visits": {"type": "integer"},
                            },
                        },
                    },
                )
            },
            prefetch=(Prefetch("visits", queryset=m.TopicPageVisits.objects.order_by("year")),),
            search=("name", "url"),
            ordering=("name", "id"),
        ),
        Resource(
            "people",
            Person,
            ("name", "is_staff_member", "affiliation"),
            search=("name", "affiliation"),
            ordering=("name", "id"),
        ),
        Resource(
            "grants",
            Grant,
            (
                "year",
                "grantor",
                "scheme",
                "amount_nok",
                "recipient",
                "application_date",
                "regulation_date",
                "report_deadline",
            ),
            computed={
                "assignments": (
                    lambda grant: getattr(grant, "assignment_rows", []),
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "uid": {"type": "string", "format": "uuid"},
                                "number": {"type": "string"},
                                "title": {"type": "string"},
                                "parent": {"type": "string", "format": "uuid", "nullable": True},
                            },
                        },
                    },
                )
            },
            writable=False,
            search=("scheme", "recipient"),
            ordering=("-year", "id"),
        ),
        Resource(
            "teams",
            ServiceTeam,
            ("name", "start_date", "is_placeholder"),
            computed={
                "model_type": (_name("model_type"), NULLABLE_TEXT),
                "region": (_name("region"), NULLABLE_TEXT),
                "municipalities": (
                    lambda team: [mu.number for mu in team.municipalities.all()],
                    NAMES,
                ),
                "statuses": (
                    lambda team: [
                        {"status": s.status, "valid_from": s.valid_from.isoformat()}
                        for s in team.statuses.all()
                    ],
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "string"},
                                "valid_from": {"type": "string", "format": "date"},
                            },
                        },
                    },
                ),
            },
            writable=False,
            select=("model_type", "region"),
            prefetch=("municipalities", "statuses"),
            search=("name",),
            ordering=("model_type__sort_order", "name", "id"),
        ),
        Resource(
            "fidelity-reviews",
            FidelityReview,
            ("date", "status", "is_demo"),
            computed={
                "team": (_name("team"), TEXT),
                "owner": (lambda review: review.center.slug, TEXT),
                "scale": (
                    lambda review: (
                        f"{review.scale_version.scale.name} {review.scale_version.version}"
                    ),
                    TEXT,
                ),
            },
            writable=False,
            select=("team", "center", "scale_version__scale"),
            search=("team__name",),
            ordering=("-date", "id"),
            base=lambda center: FidelityReview.objects.visible_to(center),
        ),
    ]
}


def attach_grant_assignments(grants: list[Any], center: Center) -> None:
    """Each grant's assignment tree, read in one query for the whole page."""
    years = {grant.year for grant in grants}
    rows: dict[int, list[dict[str, Any]]] = {year: [] for year in years}
    assignments = (
        Assignment.objects.filter(center=center, year__in=years)
        .select_related("parent")
        .order_by("sort_key", "id")
    )
    for a in assignments:
        rows[a.year].append(
            {
                "uid": str(a.uid),
                "number": a.number,
                "title": a.title,
                "parent": str(a.parent.uid) if a.parent else None,
            }
        )
    for grant in grants:
        grant.assignment_rows = rows.get(grant.year, [])


# Work done on a page of rows after the query (for what no prefetch can reach).
AFTER_PAGE: dict[str, Callable[[list[Any], Center], None]] = {
    "grants": attach_grant_assignments,
}
