"""Search-as-you-type for reference fields: small JSON answers for the combobox.

One endpoint per reference type, under the centre's URL so only signed-in staff of
a centre reach it. Names that start with the typed text come first; at most
``LIMIT`` answers, in one query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, JsonResponse

from oppdrag.core.models import Municipality, Organization

from .access import center_view

LIMIT = 20
MAX_QUERY = 100


def _variants(text: str) -> set[str]:
    # SQLite folds case for ASCII letters only; spelling the usual variants out lets
    # «ørland» find «Ørland» there too (PostgreSQL folds them all).
    return {text, text.lower(), text.capitalize(), text.upper(), text.title()}


def matching(queryset: QuerySet[Any], text: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    """Rows whose ``fields`` contain every word of ``text``, best (prefix) matches first."""
    words = text.split()
    for word in words:
        condition = Q()
        for field in fields:
            for variant in _variants(word):
                condition |= Q(**{f"{field}__contains": variant})
        queryset = queryset.filter(condition)
    prefix = Q()
    for variant in _variants(words[0]):
        prefix |= Q(name__startswith=variant)
    return queryset.annotate(
        rank=Case(When(prefix, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("rank", "name", "pk")


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY]


@center_view()
def municipalities(request: HttpRequest) -> JsonResponse:
    text = _query(request)
    if not text:
        return JsonResponse({"results": []})
    rows = matching(
        Municipality.objects.filter(valid_to__isnull=True).select_related("county"),
        text,
        ("name", "number"),
    )[:LIMIT]
    return JsonResponse(
        {
            "results": [
                {"id": mu.pk, "label": mu.name, "detail": f"{mu.number} {mu.county.name}"}
                for mu in rows
            ]
        }
    )


@center_view()
def organizations(request: HttpRequest) -> JsonResponse:
    text = _query(request)
    if not text:
        return JsonResponse({"results": []})
    rows = matching(Organization.objects.all(), text, ("name", "aliases"))[:LIMIT]
    return JsonResponse(
        {
            "results": [
                {"id": org.pk, "label": org.name, "detail": org.get_kind_display()} for org in rows
            ]
        }
    )
