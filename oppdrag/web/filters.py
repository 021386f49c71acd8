"""Filters for the lists: one FilterSet per kind feeds the page and its exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Municipality, Region
from oppdrag.grants.models import Assignment, FocusArea

SORTS = {
    "title": ("title", _("Hva")),
    "-participants": ("-participants", _("Flest deltakere")),
    "date": ("date_start", _("Dato")),
    "theme": ("theme", _("Tema")),
}


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søk"), method="search")
    year = django_filters.NumberFilter(label=_("År"))
    assignment = django_filters.ModelChoiceFilter(
        label=_("Oppdrag"), field_name="assignments", queryset=Assignment.objects.none()
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Innsatsområde"), field_name="focus_areas", queryset=FocusArea.objects.all()
    )
    theme = django_filters.ChoiceFilter(label=_("Tema"), choices=[])
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="regions", queryset=Region.objects.all()
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"), field_name="municipalities", queryset=Municipality.objects.all()
    )
    format = django_filters.ChoiceFilter(label=_("Fysisk/digital"), choices=m.Format.choices)
    sort = django_filters.ChoiceFilter(
        label=_("Sortering"),
        choices=[(key, label) for key, (_f, label) in SORTS.items()],
        method="order",
        empty_label=_("Som registrert"),
    )

    class Meta:
        model = m.Event
        fields: list[str] = []

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters["assignment"].queryset = Assignment.objects.filter(center=center)
        themes = (
            m.Event.objects.filter(center=center)
            .order_by("theme")
            .values_list("theme", flat=True)
            .distinct()
        )
        self.filters["theme"].extra["choices"] = [(t, t) for t in themes]
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def search(self, queryset: QuerySet[m.Event], name: str, value: str) -> QuerySet[m.Event]:
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(theme__icontains=word) | Q(audience__icontains=word)
            )
        return queryset

    def order(self, queryset: QuerySet[m.Event], name: str, value: str) -> QuerySet[m.Event]:
        field, _label = SORTS[value]
        return queryset.order_by(field, "id")


class SearchFilter(django_filters.FilterSet):
    """The list page's filter for a kind without its own FilterSet: free text.

    ``kind_filter(model, search)`` makes the subclass for one kind; the words of ``q``
    must each occur in one of the kind's search fields, as on the list page.
    """

    q = django_filters.CharFilter(label=_("Søk"), method="search")
    search_fields: tuple[str, ...] = ("title",)

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split():
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset


class KindFilter(SearchFilter):
    """Free text and the year, for the kinds registered per year."""

    year = django_filters.NumberFilter(label=_("År"))


def kind_filter(model: Any, search: tuple[str, ...]) -> type[SearchFilter]:
    meta = type("Meta", (), {"model": model, "fields": []})
    names = {f.name for f in model._meta.get_fields()}
    base = KindFilter if "year" in names else SearchFilter
    return type(f"{model.__name__}Filter", (base,), {"Meta": meta, "search_fields": search})
