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
