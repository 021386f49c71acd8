"""Filters of the team and pilot project lists.

Every FilterSet takes the centre: the owners it offers are those of the centre's own
teams, each list of choices filled by one query whatever the number of teams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppdrag.core.models import Center, County, Municipality, Organization
from oppdrag.web.filters import match_words, search_filter
from oppdrag.web.widgets import plain_widgets

from .models import PilotProject, ServiceTeam, TeamModelType, TeamStatus


def with_current_status(queryset: QuerySet[ServiceTeam], at: dt.date) -> QuerySet[Any]:
    """Annotate ``current_status``: the status in force on ``at`` (None without any)."""
    latest = TeamStatus.objects.filter(team=OuterRef("pk"), valid_from__lte=at).order_by(
        "-valid_from"
    )
    return queryset.annotate(current_status=Subquery(latest.values("status")[:1]))


class TeamFilter(django_filters.FilterSet):
    q = search_filter()
    model_type = django_filters.ModelChoiceFilter(
        label=_("Modell"), queryset=TeamModelType.objects.all(), empty_label=_("Alle modeller")
    )
    county = django_filters.ModelChoiceFilter(
        label=_("Fylke"),
        queryset=County.objects.order_by("name"),
        method="in_county",
        empty_label=_("Alle fylker"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status i dag"),
        choices=[*TeamStatus.Status.choices, ("none", _("Ingen status registrert"))],
        method="with_status",
        empty_label=_("Alle"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Eierkommune"),
        queryset=Municipality.objects.none(),
        field_name="municipalities",
        empty_label=_("Alle kommuner"),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Helseforetak eller annen eier"),
        queryset=Organization.objects.none(),
        field_name="organizations",
        empty_label=_("Alle"),
    )

    class Meta:
        model = ServiceTeam
        fields: list[str] = []

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)
        own = ServiceTeam.objects.filter(center=center)
        self.filters["municipality"].queryset = (
            Municipality.objects.filter(service_teams__in=own).distinct().order_by("name")
        )
        self.filters["organization"].queryset = (
            Organization.objects.filter(owned_service_teams__in=own).distinct().order_by("name")
        )
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("class", "ds-input")
            field.widget.attrs.setdefault("id", f"id_{name}")
        plain_widgets(self.form)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return match_words(queryset, ("name", "notes"), value)

    def in_county(self, queryset: QuerySet[Any], name: str, value: County) -> QuerySet[Any]:
        return queryset.filter(
            Q(municipalities__county=value) | Q(districts__municipality__county=value)
        ).distinct()

    def with_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        annotated: QuerySet[Any] = with_current_status(queryset, timezone.localdate())
        if value == "none":
            return annotated.filter(current_status__isnull=True)
        return annotated.filter(current_status=value)


class PilotFilter(django_filters.FilterSet):
    q = search_filter()
    model_type = django_filters.ModelChoiceFilter(
        label=_("Modell"), queryset=TeamModelType.objects.all(), empty_label=_("Alle modeller")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Utfall"), choices=PilotProject.Outcome.choices, empty_label=_("Alle")
    )
    year = django_filters.NumberFilter(label=_("Tilskuddsår"), method="in_year")
    county = django_filters.ModelChoiceFilter(
        label=_("Fylke"),
        queryset=County.objects.order_by("name"),
        field_name="municipalities__county",
        distinct=True,
        empty_label=_("Alle fylker"),
    )

    class Meta:
        model = PilotProject
        fields: list[str] = []

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("class", "ds-input")
            field.widget.attrs.setdefault("id", f"id_{name}")
        self.form.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        plain_widgets(self.form)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return match_words(queryset, ("name",), value)

    def in_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        # grant_years is a JSON list of four-digit years: JSON containment is not
        # available on SQLite, but its text holds the year exactly where the list does.
        if value != int(value) or not 1000 <= value <= 9999:
            return queryset.none()
        return queryset.filter(grant_years__icontains=str(int(value)))
