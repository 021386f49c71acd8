"""Filters for the lists, declared once per kind.

``FILTERSETS`` maps a kind's URL segment (``arrangementer``, ``presentasjoner`` …)
to its FilterSet; the list page, its CSV/XLSX export (and the API) use the same
class, so a filtered export holds exactly the rows the page shows. Every FilterSet
takes the centre: the choices it offers (assignments, people, themes) are that
centre's own, each filled by one query whatever the number of rows. The
municipality, one of some 400, is typed (``municipality_field``), not chosen
from a select the page would have to render in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Person, Region
from oppdrag.grants.models import Assignment, FocusArea

from .municipality_field import MunicipalityField
from .widgets import PlainSelect

# A search is a few words from a title or a name: every word must match, so ten
# words pin down any record, and 200 characters hold ten long ones. Each word costs
# a scan of every search field; longer input is pasted text, not a search (3 000
# words kept a list busy for over a minute and then failed).
SEARCH_MAX_WORDS = 10
SEARCH_MAX_CHARS = 200


def check_search(text: str) -> None:
    """Refuse a search longer than ``SEARCH_MAX_WORDS`` words or ``SEARCH_MAX_CHARS``."""
    words = len(text.split())
    if words > SEARCH_MAX_WORDS or len(text) > SEARCH_MAX_CHARS:
        raise ValidationError(
            gettext(
                "Søket er for langt ({words} ord, {chars} tegn). Søk med høyst "
                "{max_words} ord og {max_chars} tegn."
            ).format(
                words=words,
                chars=len(text),
                max_words=SEARCH_MAX_WORDS,
                max_chars=SEARCH_MAX_CHARS,
            )
        )


def search_filter() -> django_filters.CharFilter:
    """The ``q`` filter of every list and API list: free text, bounded by ``check_search``."""
    return django_filters.CharFilter(label=_("Søk"), method="search", validators=[check_search])


def match_words(queryset: QuerySet[Any], fields: Iterable[str], text: str) -> QuerySet[Any]:
    """Rows where every word of ``text`` occurs in one of ``fields`` (case-insensitive).

    One ``filter()`` for all the words: a ``filter()`` per word copied the growing
    query each time, quadratic in the number of words.
    """
    fields = tuple(fields)
    conditions = [
        reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
        for word in text.split()
    ]
    return queryset.filter(*conditions)


class RegistryFilter(django_filters.FilterSet):
    """What every kind can be filtered on; subclasses add the fields their model has.

    ``search_fields`` are searched word by word (every word must match one field);
    ``sorts`` maps a sort key to (ordering, label); ``value_filters`` names choice
    filters whose choices are the model field's choices or, for free text, the
    centre's distinct values. ``year`` (the list's ``year_in_view``) is the year
    filter's value when the address names none; an empty ``year=`` means all years.
    """

    search_fields: tuple[str, ...] = ("title",)
    sorts: dict[str, tuple[tuple[str, ...], Any]] = {
        "title": (("title",), _("Tittel")),
        "-date": (("-date", "-year"), _("Nyeste først")),
        "date": (("date", "year"), _("Eldste først")),
    }
    value_filters: tuple[str, ...] = ()

    q = search_filter()
    year = django_filters.NumberFilter(label=_("År"))
    assignment = django_filters.ModelChoiceFilter(
        label=_("Oppdrag"),
        field_name="assignments",
        queryset=Assignment.objects.none(),
        widget=PlainSelect,
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Innsatsområde"),
        field_name="focus_areas",
        queryset=FocusArea.objects.all(),
        widget=PlainSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sortering"),
        choices=[],
        method="order",
        empty_label=_("Som registrert"),
        widget=PlainSelect,
    )

    def __init__(
        self, data: Any = None, *args: Any, center: Center, year: int | None = None, **kwargs: Any
    ):
        if year is not None and (data is None or "year" not in data):
            data = data.copy() if isinstance(data, QueryDict) else dict(data or {})
            data["year"] = str(year)
        super().__init__(data, *args, **kwargs)
        self.center = center
        model = self._meta.model
        own = model._default_manager.filter(center=center)
        # Every year's assignments, newest first, each named with its year (the numbers
        # repeat from year to year); only the columns the label needs.
        self.filters["assignment"].queryset = (
            Assignment.objects.filter(center=center)
            .order_by("-year", "sort_key")
            .only("pk", "year", "number", "title")
        )
        if "person" in self.filters:
            people = Person.objects.filter(center=center).order_by("name").only("pk", "name")
            self.filters["person"].queryset = people
        if "municipality" in self.filters:
            self.filters["municipality"].extra["lookup_url"] = reverse(
                "web:lookup_municipalities", kwargs={"center": center.slug}
            )
        for name in self.value_filters:
            field_name = self.filters[name].field_name
            field = model._meta.get_field(field_name)
            if field.choices:
                choices = list(field.choices)
            else:
                values = own.exclude(**{field_name: ""}).order_by(field_name)
                distinct = values.values_list(field_name, flat=True).distinct()
                choices = [(value, value) for value in distinct]
            self.filters[name].extra["choices"] = choices
        self.filters["sort"].extra["choices"] = [
            (key, label) for key, (_fields, label) in self.sorts.items()
        ]
        form_fields = self.form.fields
        form_fields["assignment"].label_from_instance = _assignment_label  # type: ignore[attr-defined]
        for form_field in form_fields.values():
            form_field.widget.attrs.setdefault("class", "ds-input")

    @property
    def qs(self) -> QuerySet[Any]:
        """The filtered rows; none while a filter is refused (django-filter would leave
        the refused filter out and list, or export, the rows unfiltered by it)."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return match_words(queryset, self.search_fields, value)

    def order(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        fields, _label = self.sorts[value]
        return queryset.order_by(*fields, "id")


def _assignment_label(assignment: Assignment) -> str:
    return f"{assignment.year}: {assignment.number} {assignment.title}"


def _choice(label: Any, field_name: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=label, field_name=field_name, choices=[], widget=PlainSelect
    )


def _person(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Person"), field_name=field_name, queryset=Person.objects.none(), widget=PlainSelect
    )


class MunicipalityFilter(django_filters.CharFilter):
    """A municipality typed by name or number (``MunicipalityField`` resolves it)."""

    field_class = MunicipalityField


def _municipality(field_name: str) -> MunicipalityFilter:
    return MunicipalityFilter(label=_("Kommune"), field_name=field_name)


def _region(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name=field_name,
        queryset=Region.objects.all(),
        distinct=True,
        widget=PlainSelect,
    )


class EventFilter(RegistryFilter):
    search_fields = ("title", "theme", "audience")
    sorts = {
        "title": (("title",), _("Hva")),
        "-participants": (("-participants",), _("Flest deltakere")),
        "-date": (("-date_start", "-year"), _("Nyeste først")),
        "date": (("date_start", "year"), _("Dato")),
        "theme": (("theme",), _("Tema")),
    }
    value_filters = ("theme", "format")

    theme = _choice(_("Tema"), "theme")
    region = _region("regions")
    municipality = _municipality("municipalities")
    format = _choice(_("Fysisk/digital"), "format")

    class Meta:
        model = m.Event
        fields: list[str] = []


class PresentationFilter(RegistryFilter):
    search_fields = ("title", "kind")
    value_filters = ("kind",)
    kind = _choice(_("Type"), "kind")
    person = _person("contributors")

    class Meta:
        model = m.Presentation
        fields: list[str] = []


class OpEdFilter(RegistryFilter):
    search_fields = ("title", "outlet")
    value_filters = ("kind",)
    kind = _choice(_("Type"), "kind")
    person = _person("authors")

    class Meta:
        model = m.OpEd
        fields: list[str] = []


class ConsultationResponseFilter(RegistryFilter):
    class Meta:
        model = m.ConsultationResponse
        fields: list[str] = []


class PublicationFilter(RegistryFilter):
    search_fields = ("title", "kind")
    value_filters = ("kind",)
    kind = _choice(_("Type"), "kind")
    person = _person("contributors")

    class Meta:
        model = m.Publication
        fields: list[str] = []


class MediaAppearanceFilter(RegistryFilter):
    search_fields = ("title", "outlet", "person__name")
    person = _person("person")

    class Meta:
        model = m.MediaAppearance
        fields: list[str] = []


class GroupFilter(RegistryFilter):
    search_fields = ("name", "description")
    sorts = {
        "name": (("name",), _("Navn")),
        "-year": (("-year",), _("Nyeste først")),
        "year": (("year",), _("Eldste først")),
    }
    value_filters = ("kind",)
    kind = _choice(_("Type"), "kind")

    class Meta:
        model = m.Group
        fields: list[str] = []


class WebArticleFilter(RegistryFilter):
    sorts = {
        **RegistryFilter.sorts,
        "-visits": (("-visits",), _("Flest besøk")),
    }
    value_filters = ("category",)
    category = _choice(_("Kategori"), "category")

    class Meta:
        model = m.WebArticle
        fields: list[str] = []


class AdviceRequestFilter(RegistryFilter):
    search_fields = ("topic", "team")
    sorts = {
        "theme": (("topic",), _("Tema")),
        "-date": (("-date", "-year"), _("Nyeste først")),
        "date": (("date", "year"), _("Eldste først")),
    }
    value_filters = ("theme", "channel")
    theme = _choice(_("Tema"), "topic")
    channel = _choice(_("Kanal"), "channel")
    region = _region("municipality__county__region")
    municipality = _municipality("municipality")

    class Meta:
        model = m.AdviceRequest
        fields: list[str] = []


class TopicPageFilter(django_filters.FilterSet):
    """Topic pages have no year of their own: every page is listed, each with its visits
    in the year shown (the year filter, else the year in view, else the newest year with
    visits) and the year before; the visits filter finds the pages still missing a count.
    """

    search_fields = ("name", "url")
    sorts: dict[str, tuple[tuple[Any, ...], Any]] = {
        "name": (("name",), _("Navn")),
        "-visits": ((F("visits_in_year").desc(nulls_last=True), "name"), _("Flest besøk")),
    }
    MISSING, REGISTERED = "mangler", "registrert"

    q = search_filter()
    year = django_filters.NumberFilter(label=_("År"), method="keep")
    visits = django_filters.ChoiceFilter(
        label=_("Besøkstall"),
        choices=[
            (MISSING, _("Mangler for året")),
            (REGISTERED, _("Registrert for året")),
        ],
        method="by_visits",
        empty_label=_("Alle"),
        widget=PlainSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sortering"),
        choices=[(key, label) for key, (_fields, label) in sorts.items()],
        method="order",
        empty_label=_("Etter navn"),
        widget=PlainSelect,
    )

    class Meta:
        model = m.TopicPage
        fields: list[str] = []

    def __init__(
        self, data: Any = None, *args: Any, center: Center, year: int | None = None, **kwargs: Any
    ):
        if year is not None and (data is None or "year" not in data):
            data = data.copy() if isinstance(data, QueryDict) else dict(data or {})
            data["year"] = str(year)
        super().__init__(data, *args, **kwargs)
        self.center = center
        for form_field in self.form.fields.values():
            form_field.widget.attrs.setdefault("class", "ds-input")

    @property
    def qs(self) -> QuerySet[Any]:
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        if not self.is_bound:  # django-filter filters (and so annotates) bound sets only
            return self.with_visits(self.queryset.all())
        return super().qs

    def shown_year(self) -> int:
        """The year whose visits the list shows."""
        chosen = self.form.cleaned_data.get("year") if self.is_bound else None
        if chosen:
            return int(chosen)
        newest = (
            m.TopicPageVisits.objects.filter(center=self.center)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        return newest or timezone.localdate().year

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(self.with_visits(queryset))

    def with_visits(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The pages with the shown year and its and the year before's visits."""
        year = self.shown_year()
        visits = m.TopicPageVisits.objects.filter(page=OuterRef("pk")).values("visits")
        queryset = queryset.annotate(
            shown_year=Value(year, output_field=IntegerField()),
            visits_in_year=Subquery(visits.filter(year=year)[:1]),
            visits_year_before=Subquery(visits.filter(year=year - 1)[:1]),
        )
        return queryset

    def keep(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # the year chooses the visits shown, not the pages

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return match_words(queryset, self.search_fields, value)

    def by_visits(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(visits_in_year__isnull=value == self.MISSING)

    def order(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        fields, _label = self.sorts[value]
        return queryset.order_by(*fields, "id")


FILTERSETS: dict[str, type[RegistryFilter] | type[TopicPageFilter]] = {
    "arrangementer": EventFilter,
    "presentasjoner": PresentationFilter,
    "kronikker": OpEdFilter,
    "horingsinnspill": ConsultationResponseFilter,
    "produkter": PublicationFilter,
    "medieoppslag": MediaAppearanceFilter,
    "grupper": GroupFilter,
    "nettsaker": WebArticleFilter,
    "henvendelser": AdviceRequestFilter,
    "temasider": TopicPageFilter,
}
