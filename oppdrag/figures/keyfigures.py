"""The year's key figures (nøkkeltall), computed from the registry.

``key_figures(center, year)`` returns the JSON-ready dictionary that
``oppdrag figures``, the report, the dashboard and the API build on. Its shape is
a contract: later features add keys, never rename them. Every breakdown maps the
value as registered (e.g. "Fysisk") to a number of records; records with no
value are counted under ``UNSTATED``.

The number of queries is fixed by the code, not by the data: one aggregate per
figure, never one per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet, Sum

from oppdrag.activities import models as m
from oppdrag.core.models import Center
from oppdrag.core.prepared import PreparedQuery, PreparedRecords
from oppdrag.evaluations.figures import evaluation_figures
from oppdrag.finance.figures import finance_for, finance_json
from oppdrag.grants.services import coverage
from oppdrag.hours.tables import hours_figures
from oppdrag.interchange.figures import web_figures
from oppdrag.teams.figures import team_figures

from .catalogue import compute
from .reach import municipality_reach
from .selection import selection_for

UNSTATED = "Ikke oppgitt"

KINDS: dict[str, type[Model]] = {
    "events": m.Event,
    "presentations": m.Presentation,
    "op_eds": m.OpEd,
    "consultation_responses": m.ConsultationResponse,
    "publications": m.Publication,
    "media_appearances": m.MediaAppearance,
    "groups": m.Group,
    "web_articles": m.WebArticle,
    "advice_requests": m.AdviceRequest,
}

# Published figures that have a computed counterpart in ``counts``.
COMPARABLE = (
    "events",
    "presentations",
    "op_eds",
    "consultation_responses",
    "publications",
    "media_appearances",
    "web_articles",
    "advice_requests",
)


def breakdown(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    """Count records by the registered value of ``field``, largest first."""
    rows = queryset.order_by().values(field).annotate(n=Count("id", distinct=True))
    result: dict[str, int] = {}
    for row in rows:
        key = row[field] if row[field] not in (None, "") else UNSTATED
        result[str(key)] = result.get(str(key), 0) + row["n"]
    return dict(sorted(result.items(), key=lambda item: (-item[1], item[0])))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def record_counts(center: Center, years: Iterable[int]) -> dict[int, dict[str, int]]:
    """Records per kind for each of ``years`` (the same ``COUNT`` as
    ``Model.objects.filter(center=..., year=...).count()``), in one statement: a
    UNION ALL of one count per kind and year, each row tagged with its place."""
    quote = connection.ops.quote_name
    selects: list[str] = []
    params: list[Any] = []
    slots: list[tuple[int, str]] = []
    for year in years:
        for name, model in KINDS.items():
            meta = model._meta
            center_column = str(meta.get_field("center").column)  # type: ignore[union-attr]
            year_column = str(meta.get_field("year").column)  # type: ignore[union-attr]
            selects.append(
                f"SELECT {len(slots)}, COUNT(*) FROM {quote(meta.db_table)} "
                f"WHERE {quote(center_column)} = %s AND {quote(year_column)} = %s"
            )
            params += [center.pk, year]
            slots.append((year, name))
    counts: dict[int, dict[str, int]] = {year: {} for year, _name in slots}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        found = dict(cursor.fetchall())
    for index, (year, name) in enumerate(slots):
        counts[year][name] = found[index]
    return counts


def years_compared(center: Center, year: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The part of ``key_figures`` the dashboard sets against the year before, computed
    the same way in three queries: records per kind and participations at events for
    ``year`` and ``year - 1``, and ``year``'s published figures against its counts."""
    counts = record_counts(center, [year, year - 1])
    participations = m.Event.objects.filter(center=center, year__in=[year, year - 1]).aggregate(
        now=Sum("participants", filter=Q(year=year)),
        before=Sum("participants", filter=Q(year=year - 1)),
    )
    current = {
        "counts": counts[year],
        "events": {"participants": participations["now"] or 0},
        "comparisons": comparisons(counts[year], published_figures(center, year)),
    }
    previous = {
        "counts": counts[year - 1],
        "events": {"participants": participations["before"] or 0},
    }
    return current, previous


def comparisons(counts: dict[str, int], published: dict[str, Any]) -> list[dict[str, Any]]:
    """Each published figure with a computed counterpart, against that count."""
    return [
        {
            "key": key,
            "published": _number(published[key].value),
            "computed": counts[key],
            "difference": counts[key] - _number(published[key].value),
            "source": published[key].source,
        }
        for key in COMPARABLE
        if key in published
    ]


def _merged(rows: Iterable[dict[str, Any]], fields: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """``breakdown`` of each of ``fields`` from rows grouped by all of them (columns of
    the queried table itself, so each record has one value of each), counted in ``n``."""
    merged: dict[str, dict[str, int]] = {field: {} for field in fields}
    for row in rows:
        for field in fields:
            key = str(row[field]) if row[field] not in (None, "") else UNSTATED
            merged[field][key] = merged[field].get(key, 0) + row["n"]
    return {
        field: dict(sorted(result.items(), key=lambda item: (-item[1], item[0])))
        for field, result in merged.items()
    }


_EVENT_GROUP_FIELDS = (
    "format",
    "scope",
    "theme",
    "n",
    "participations",
    "outside_series",
    "without_participants",
)
# One GROUP BY gives the format, scope and theme breakdowns and, summed over the groups,
# the year's sums. Prepared (compiled once per database, see oppdrag.core.prepared):
# the dashboard and the report run it on every build.
_EVENT_GROUPS = PreparedQuery(
    "event groups",
    lambda center_id, year: (
        m.Event.objects.filter(center_id=center_id, year=year)
        .order_by()
        .values("format", "scope", "theme")
        .annotate(
            n=Count("id"),
            participations=Sum("participants"),
            outside_series=Sum("participants", filter=Q(series__isnull=True)),
            without_participants=Count("id", filter=Q(participants__isnull=True)),
        )
        .values_list(*_EVENT_GROUP_FIELDS)
    ),
    int,
    int,
)
_SERIES_FIELDS = ("name", "unique_participants", "teams", "participations", "sessions")
_SERIES = PreparedQuery(
    "event series",
    lambda center_id, year: (
        m.EventSeries.objects.filter(center_id=center_id, year=year)
        .annotate(participations=Sum("events__participants"), sessions=Count("events"))
        .order_by("name")
        .values_list(*_SERIES_FIELDS)
    ),
    int,
    int,
)


def event_figures(center: Center, year: int, *, regions: bool = True) -> dict[str, Any]:
    """The ``events`` object of the key figures (three queries; two and no ``by_region``
    with ``regions=False``)."""
    groups = [
        dict(zip(_EVENT_GROUP_FIELDS, row, strict=True))
        for row in _EVENT_GROUPS.rows(center.pk, year)
    ]
    series = [dict(zip(_SERIES_FIELDS, row, strict=True)) for row in _SERIES.rows(center.pk, year)]
    outside_series = sum(g["outside_series"] or 0 for g in groups)
    unique = outside_series + sum(
        s["unique_participants"]
        if s["unique_participants"] is not None
        else (s["participations"] or 0)
        for s in series
    )
    by_field = _merged(groups, ("format", "scope", "theme"))
    figures: dict[str, Any] = {
        "participants": sum(g["participations"] or 0 for g in groups),
        "participants_unique": unique,
        "without_participant_count": sum(g["without_participants"] for g in groups),
        "by_format": by_field["format"],
        "by_scope": by_field["scope"],
        "by_theme": by_field["theme"],
    }
    if regions:
        events = m.Event.objects.filter(center=center, year=year)
        figures["by_region"] = breakdown(events, "regions__name")
    figures["series"] = [
        {
            "name": s["name"],
            "sessions": s["sessions"],
            "participations": s["participations"] or 0,
            "unique_participants": s["unique_participants"],
            "teams": s["teams"],
        }
        for s in series
    ]
    return figures


def municipalities_reached(center: Center, year: int) -> int:
    """The year's reach as the centre prints it (``oppdrag.figures.reach``, the one
    definition): two queries."""
    return municipality_reach(center, year).value


_NETWORK_NAMES = PreparedQuery(
    "network names",
    lambda center_id, year: (
        m.Group.objects.filter(center_id=center_id, year=year, kind=m.Group.Kind.NETWORK)
        .order_by()
        .values_list("name")
    ),
    int,
    int,
)


def team_model_pattern(model_types: Iterable[str] | None = None) -> re.Pattern[str]:
    """The service models' names as whole words, longest first («FACT ung» before «FACT»);
    ``model_types`` are the names when the caller has read them already."""
    from oppdrag.teams.models import TeamModelType

    if model_types is None:
        model_types = TeamModelType.objects.values_list("name", flat=True)
    names = sorted(model_types, key=len, reverse=True)
    if not names:
        return re.compile(r"(?!)")
    return re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")


def networks_team_models(names: Iterable[str], pattern: re.Pattern[str]) -> int:
    """How many of the networks ``names`` name a service model of the team registry."""
    return sum(1 for name in names if pattern.search(name))


def network_figures(center: Center, year: int) -> int:
    """Networks for the team models (two queries)."""
    names = [name for (name,) in _NETWORK_NAMES.rows(center.pk, year)]
    return networks_team_models(names, team_model_pattern())


def chosen_figures(center: Center, year: int, figures: dict[str, Any]) -> dict[str, Any]:
    """The centre's chosen key figures, computed from ``figures`` (the ``key_figures``
    dictionary or the report's part of it), with the reach: the ``chosen`` object of
    ``key_figures``, three queries."""
    selection = selection_for(center, year)
    reach = municipality_reach(center, year, selection.reach_counting)
    figures = {**figures, "municipalities_reached": reach.value}
    return {
        "reach": reach.to_json(),
        "reach_label": reach.label,
        "from_year": selection.from_year,
        "figures": [item.to_json() for item in compute(selection.keys, figures, reach.label)],
    }


_PUBLISHED = PreparedRecords(
    "published figures",
    m.PublishedFigure,
    lambda center_id, year: m.PublishedFigure.objects.filter(
        center_id=center_id, year=year
    ).order_by("key"),
    int,
    int,
)


def published_figures(center: Center, year: int) -> dict[str, Any]:
    """The year's published figures by key (model rows, with value and source)."""
    return {row.key: row for row in _PUBLISHED.load(center.pk, year)}


def published_values(published: dict[str, Any]) -> dict[str, int | float]:
    """The ``published`` object: each published figure's value as a JSON number."""
    return {key: _number(row.value) for key, row in published.items()}


_TOPIC_PAGES = PreparedQuery(
    "topic page visits",
    lambda center_id, year, previous: (
        m.TopicPageVisits.objects.filter(center_id=center_id, year__in=[year, previous])
        .order_by("page__name")
        .values_list("page__name", "year", "visits")
    ),
    int,
    int,
    int,
)


def topic_pages(center: Center, year: int) -> dict[str, dict[str, int | None]]:
    """Visits per topic page this year and last."""
    pages: dict[str, dict[str, int | None]] = {}
    for name, visit_year, count in _TOPIC_PAGES.rows(center.pk, year, year - 1):
        entry = pages.setdefault(name, {"visits": None, "visits_previous_year": None})
        entry["visits" if visit_year == year else "visits_previous_year"] = count
    return pages


def key_figure_inputs(center: Center, year: int) -> dict[str, Any]:
    """What the catalogue's figures read, computed as ``key_figures`` computes it, and
    nothing else (the key-figures page needs no hours, finance or evaluations)."""
    scoped = {
        name: model._default_manager.filter(center=center, year=year)  # type: ignore[attr-defined]
        for name, model in KINDS.items()
    }
    return {
        "counts": record_counts(center, [year])[year],
        "events": event_figures(center, year, regions=False),
        "groups": {
            "by_kind": breakdown(scoped["groups"], "kind"),
            "networks_team_models": network_figures(center, year),
        },
        "publications": {"by_type": breakdown(scoped["publications"], "kind")},
        "topic_pages": topic_pages(center, year),
        "web": web_figures(center, year, {}),
    }


def key_figures(center: Center, year: int) -> dict[str, Any]:
    """All key figures of one centre's year as a JSON-ready dictionary."""
    scoped = {
        name: model._default_manager.filter(center=center, year=year)  # type: ignore[attr-defined]
        for name, model in KINDS.items()
    }
    counts = record_counts(center, [year])[year]
    published = published_figures(center, year)
    groups = _merged(
        scoped["groups"].order_by().values("kind", "role").annotate(n=Count("id")), ("kind", "role")
    )
    figures: dict[str, Any] = {
        "center": center.slug,
        "year": year,
        "counts": counts,
        "events": event_figures(center, year),
        "presentations": {"by_type": breakdown(scoped["presentations"], "kind")},
        "op_eds": {"by_type": breakdown(scoped["op_eds"], "kind")},
        "publications": {"by_type": breakdown(scoped["publications"], "kind")},
        "media_appearances": {"by_outlet": breakdown(scoped["media_appearances"], "outlet")},
        "groups": {
            "by_kind": groups["kind"],
            "by_role": groups["role"],
            "networks_team_models": network_figures(center, year),
        },
        "web_articles": {"by_category": breakdown(scoped["web_articles"], "category")},
        "advice_requests": {"by_channel": breakdown(scoped["advice_requests"], "channel")},
        "consultation_responses": {},
        "topic_pages": topic_pages(center, year),
        "published": published_values(published),
        "comparisons": comparisons(counts, published),
        "hours": hours_figures(center, year),
        "teams": team_figures(center, year, review_scores=True),
        "assignments": coverage(center, year)["assignments"],
        "web": web_figures(center, year, published),
        "evaluations": evaluation_figures(center, year),
        "finance": finance_json(finance_for(center, year)),
    }
    chosen = chosen_figures(center, year, figures)
    figures["municipalities_reached"] = chosen["reach"]["value"]
    figures["reach"] = chosen.pop("reach")
    chosen.pop("reach_label")
    figures["key_figures"] = chosen
    return figures
