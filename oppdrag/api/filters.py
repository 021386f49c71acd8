"""Which FilterSet filters an API list: the list page's own, looked up by the kind.

The staff interface declares one FilterSet per registry kind (``FILTERSETS`` in
``oppdrag/web/filters.py``, keyed by the kind's URL segment); the API takes the same
class, so a filter added to a list page is an API parameter too. Resources without a
list page (topic pages, people, grants, teams, fidelity reviews) get free-text search,
and the year where the model has one.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from oppdrag.core.models import Center
from oppdrag.web import filters as web_filters


def list_filter(kind: str) -> Any:
    """The list page's FilterSet for a registry kind (its URL segment)."""
    declared = getattr(web_filters, "FILTERSETS", None)
    if declared is not None and kind in declared:
        return declared[kind]
    # Before every kind had its own FilterSet only the event list had one.
    if kind == "arrangementer":
        return web_filters.EventFilter
    return None


class SearchFilter(django_filters.FilterSet):
    """Free text: every word of ``q`` must occur in one of ``search_fields``."""

    q = web_filters.search_filter()
    search_fields: tuple[str, ...] = ("title",)

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return web_filters.match_words(queryset, self.search_fields, value)


class YearSearchFilter(SearchFilter):
    year = django_filters.NumberFilter(label=_("År"))


_MADE: dict[tuple[type[Model], tuple[str, ...]], type[SearchFilter]] = {}


def search_filter(model: type[Model], search: tuple[str, ...]) -> type[SearchFilter]:
    """A search (and year) FilterSet for a model without a list page of its own."""
    key = (model, search)
    if key not in _MADE:
        names = {f.name for f in model._meta.get_fields()}
        base = YearSearchFilter if "year" in names else SearchFilter
        meta = type("Meta", (), {"model": model, "fields": []})
        _MADE[key] = type(
            f"{model.__name__}ApiFilter", (base,), {"Meta": meta, "search_fields": search}
        )
    return _MADE[key]
