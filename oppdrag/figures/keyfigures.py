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

from decimal import Decimal
from typing import Any

from django.db.models import Count, Model, Q, QuerySet, Sum

from oppdrag.activities import models as m
from oppdrag.core.models import Center
from oppdrag.evaluations.figures import evaluation_figures
from oppdrag.grants.services import coverage
from oppdrag.hours.tables import hours_figures
from oppdrag.interchange.figures import web_figures
from oppdrag.teams.figures import team_figures

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


def year_counts(center: Center, year: int) -> dict[str, Any]:
    """The part of ``key_figures`` a comparison with another year needs: records per
    kind and participations at events, computed the same way in a tenth of the queries."""
    counts = {
        name: model._default_manager.filter(center=center, year=year).count()  # type: ignore[attr-defined]
        for name, model in KINDS.items()
    }
    participations = m.Event.objects.filter(center=center, year=year).aggregate(
        total=Sum("participants")
    )["total"]
    return {"counts": counts, "events": {"participants": participations or 0}}


def key_figures(center: Center, year: int) -> dict[str, Any]:
    """All key figures of one centre's year as a JSON-ready dictionary."""
    scoped = {
        name: model._default_manager.filter(center=center, year=year)  # type: ignore[attr-defined]
        for name, model in KINDS.items()
    }
    counts = {name: qs.count() for name, qs in scoped.items()}

    events = scoped["events"]
    sums = events.aggregate(
        participations=Sum("participants"),
        outside_series=Sum("participants", filter=Q(series__isnull=True)),
        without_participants=Count("id", filter=Q(participants__isnull=True)),
    )
    series = list(
        m.EventSeries.objects.filter(center=center, year=year)
        .annotate(participations=Sum("events__participants"), sessions=Count("events"))
        .order_by("name")
        .values("name", "unique_participants", "teams", "participations", "sessions")
    )
    unique = (sums["outside_series"] or 0) + sum(
        s["unique_participants"]
        if s["unique_participants"] is not None
        else (s["participations"] or 0)
        for s in series
    )
    municipalities_reached = (
        m.Event.municipalities.through.objects.filter(event__center=center, event__year=year)
        .order_by()
        .values("municipality_id")
        .union(
            m.AdviceRequest.objects.filter(center=center, year=year, municipality__isnull=False)
            .order_by()
            .values("municipality_id")
        )
        .count()
    )

    published = {
        row.key: row
        for row in m.PublishedFigure.objects.filter(center=center, year=year).order_by("key")
    }
    comparisons = [
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
    visits = (
        m.TopicPageVisits.objects.filter(center=center, year__in=[year, year - 1])
        .order_by("page__name")
        .values_list("page__name", "year", "visits")
    )
    topic_pages: dict[str, dict[str, int | None]] = {}
    for name, visit_year, count in visits:
        entry = topic_pages.setdefault(name, {"visits": None, "visits_previous_year": None})
        entry["visits" if visit_year == year else "visits_previous_year"] = count

    return {
        "center": center.slug,
        "year": year,
        "counts": counts,
        "events": {
            "participants": sums["participations"] or 0,
            "participants_unique": unique,
            "without_participant_count": sums["without_participants"],
            "by_format": breakdown(events, "format"),
            "by_scope": breakdown(events, "scope"),
            "by_theme": breakdown(events, "theme"),
            "by_region": breakdown(events, "regions__name"),
            "series": [
                {
                    "name": s["name"],
                    "sessions": s["sessions"],
                    "participations": s["participations"] or 0,
                    "unique_participants": s["unique_participants"],
                    "teams": s["teams"],
                }
                for s in series
            ],
        },
        "presentations": {"by_type": breakdown(scoped["presentations"], "kind")},
        "op_eds": {"by_type": breakdown(scoped["op_eds"], "kind")},
        "publications": {"by_type": breakdown(scoped["publications"], "kind")},
        "media_appearances": {"by_outlet": breakdown(scoped["media_appearances"], "outlet")},
        "groups": {
            "by_kind": breakdown(scoped["groups"], "kind"),
            "by_role": breakdown(scoped["groups"], "role"),
        },
        "web_articles": {"by_category": breakdown(scoped["web_articles"], "category")},
        "advice_requests": {"by_channel": breakdown(scoped["advice_requests"], "channel")},
        "consultation_responses": {},
        "municipalities_reached": municipalities_reached,
        "topic_pages": topic_pages,
        "published": {key: _number(row.value) for key, row in published.items()},
        "comparisons": comparisons,
        "hours": hours_figures(center, year),
        "teams": team_figures(center, year),
        "assignments": coverage(center, year)["assignments"],
        "web": web_figures(center, year, published),
        "evaluations": evaluation_figures(center, year),
    }
