"""One registration form per kind, with the fields of its appendix.

Every form takes the centre and the year; its assignment choices are that year's
own, labelled with their numbers. The registry's rules (dates inside the year, one
number per year …) are checked by ``services.validate``, the function the API and
the services use, so the form and the API answer a bad value the same way.
Ordered people (contributors, authors, a media appearance's person) are written as
names, as in the spreadsheets; people not yet registered are added when saved.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, URLField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppdrag.core.models import Center, CityDistrict, Municipality, Organization
from oppdrag.core.parsing import person_name, split_list
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.web.forms import DateInput, search_as_you_type
from oppdrag.web.lookups import ResolvesTypedNames
from oppdrag.web.widgets import plain_widgets

from . import models as m
from . import services


class AssignmentChoice(forms.ModelMultipleChoiceField):
    """The year's assignments, each labelled «2.1.1 Title»."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}"


def people_names(text: str) -> list[str]:
    """Names separated by semicolons (or commas), «Etternavn, Fornavn» turned around."""
    if ";" in text:
        return [person_name(part) for part in text.split(";") if part.strip()]
    return split_list(text)


def https_by_default(field: Any, **kwargs: Any) -> Any:
    """Form fields for model fields; a link typed without a scheme is taken as https."""
    if isinstance(field, URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class RecordForm(ResolvesTypedNames, forms.ModelForm):
    """What every kind's form shares: the centre, the year, assignments and focus areas."""

    class Meta:
        formfield_callback = https_by_default

    # The name of a text field holding an ordered list of people, saved under the same key.
    people: ClassVar[str | None] = None
    assignments = AssignmentChoice(
        label=_("Oppdrag"),
        queryset=Assignment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Innsatsområder"),
        queryset=FocusArea.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, center: Center, year: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.center = center
        self.instance.center = center
        self.year = self.chosen_year(year)
        fields: Any = self.fields
        if "assignments" in fields:
            fields["assignments"].queryset = Assignment.objects.filter(
                center=center, year=self.year or 0
            ).order_by("sort_key", "id")
        for name, field in self.fields.items():
            widget = field.widget
            if not isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "ds-input")
            widget.attrs.setdefault("id", f"id_{name}")
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{name}-hint")
        plain_widgets(self)

    def chosen_year(self, year: int | None) -> int | None:
        """The year the form is about: as posted, else the record's, else the default."""
        posted = self.data.get("year") if self.is_bound else None
        if posted and str(posted).strip().isdigit():
            return int(posted)
        if self.instance.pk:
            return getattr(self.instance, "year", None)
        return self.initial.get("year") or year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.validate(
                self._meta.model,
                center=self.center,
                data=self.service_data(),
                instance=self.instance if self.instance.pk else None,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field = name if name in self.fields else None
                if field is not None and field in self.errors:
                    continue
                for message in messages:
                    self.add_error(field, message)
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the services take them."""
        data = dict(self.cleaned_data)
        if self.people and isinstance(data.get(self.people), str):
            data[self.people] = people_names(data[self.people])
        return data


def date_widgets(*names: str) -> dict[str, Any]:
    return {name: DateInput() for name in names}


class EventForm(RecordForm):
    organizers = forms.ModelMultipleChoiceField(
        label=_("Arrangører"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Hold nede Ctrl (Cmd på Mac) for å velge flere."),
    )

    class Meta(RecordForm.Meta):
        model = m.Event
        fields = [
            "year", "ref", "theme", "title", "date_start", "date_end", "participants", "scope",
            "format", "audience", "series", "assignments", "focus_areas", "regions",
            "municipalities", "districts", "target_group_involved", "users_involved",
        ]  # fmt: skip
        widgets = {
            **date_widgets("date_start", "date_end"),
            "audience": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [*Meta.fields[:10], "organizers", *Meta.fields[10:]]

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, center=center, **kwargs)
        fields: Any = self.fields
        fields["series"].queryset = m.EventSeries.objects.filter(center=center, year=self.year or 0)
        fields["municipalities"].queryset = Municipality.objects.filter(
            valid_to__isnull=True
        ).order_by("name")
        fields["districts"].queryset = CityDistrict.objects.order_by("name")
        search_as_you_type(fields["municipalities"], center, "web:lookup_municipalities")
        search_as_you_type(fields["organizers"], center, "web:lookup_organizations")


class PeopleForm(RecordForm):
    """A kind with an ordered list of people, written as names."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.people and self.instance.pk and not self.is_bound:
            spec = services.ORDERED_PEOPLE[self._meta.model]
            links = spec.through._default_manager.filter(**{spec.fk: self.instance})
            ordered: Any = links.select_related("person").order_by("position")
            names = [link.person.name for link in ordered]
            self.initial[self.people] = "; ".join(names)


PEOPLE_HELP = _("Navn med semikolon mellom, i den rekkefølgen de skal stå.")


class PresentationForm(PeopleForm):
    people = "contributors"
    contributors = forms.CharField(
        label=_("Bidragsytere"), required=False, max_length=5000, help_text=PEOPLE_HELP
    )

    class Meta(RecordForm.Meta):
        model = m.Presentation
        fields = ["year", "ref", "title", "date", "kind", "nva_id", "url", "assignments",
                  "focus_areas"]  # fmt: skip
        widgets = date_widgets("date")

    field_order = ["year", "ref", "title", "date", "kind", "contributors"]


class OpEdForm(PeopleForm):
    people = "authors"
    authors = forms.CharField(
        label=_("Forfattere"), required=False, max_length=5000, help_text=PEOPLE_HELP
    )

    class Meta(RecordForm.Meta):
        model = m.OpEd
        fields = ["year", "ref", "title", "kind", "outlet", "date", "url", "assignments",
                  "focus_areas"]  # fmt: skip
        widgets = date_widgets("date")

    field_order = ["year", "ref", "authors", "title"]


class ConsultationResponseForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = m.ConsultationResponse
        fields = ["year", "ref", "date", "title", "url", "assignments", "focus_areas"]
        widgets = date_widgets("date")


class PublicationForm(PeopleForm):
    people = "contributors"
    contributors = forms.CharField(
        label=_("Bidragsytere"), required=False, max_length=5000, help_text=PEOPLE_HELP
    )

    class Meta(RecordForm.Meta):
        model = m.Publication
        fields = ["year", "ref", "kind", "title", "date", "url", "nva_id", "assignments",
                  "focus_areas"]  # fmt: skip
        widgets = date_widgets("date")

    field_order = ["year", "ref", "kind", "title", "contributors"]


class MediaAppearanceForm(RecordForm):
    person = forms.CharField(
        label=_("Person"),
        max_length=200,
        help_text=_("Hvem som uttalte seg; nye navn blir lagt til i personlisten."),
    )

    class Meta(RecordForm.Meta):
        model = m.MediaAppearance
        fields = ["year", "ref", "role", "title", "outlet", "date", "url", "assignments",
                  "focus_areas"]  # fmt: skip
        widgets = date_widgets("date")

    field_order = ["year", "ref", "person"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["person"] = self.instance.person.name  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if data.get("person"):
            data["person"] = person_name(data["person"])
        return data


class GroupForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = m.Group
        fields = ["year", "ref", "name", "kind", "role", "description", "assignments",
                  "focus_areas"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class WebArticleForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = m.WebArticle
        fields = ["year", "ref", "title", "category", "date", "url", "visits", "assignments",
                  "focus_areas"]  # fmt: skip
        widgets = date_widgets("date")


class AdviceRequestForm(RecordForm):
    """The quickest form: who asked, about what, how it was answered, how long it took."""

    class Meta(RecordForm.Meta):
        model = m.AdviceRequest
        # In the order a practised user answers them: who, where, about what, how,
        # how long. The date starts as today and the assignments as those of the last
        # registration; the rest is seldom filled, so Enter in «minutes» saves.
        fields = [
            "asker_kind", "municipality", "topic", "channel", "minutes", "date",
            "assignments", "district", "organization", "team", "focus_areas", "year", "ref",
        ]  # fmt: skip
        widgets = date_widgets("date")

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, center=center, **kwargs)
        fields: Any = self.fields
        if not self.instance.pk:
            fields["asker_kind"].widget.attrs["autofocus"] = True
        fields["municipality"].queryset = Municipality.objects.filter(
            valid_to__isnull=True
        ).order_by("name")
        fields["district"].queryset = CityDistrict.objects.order_by("name")
        fields["organization"].queryset = Organization.objects.order_by("name")


class TopicPageForm(RecordForm):
    """A topic page and its visits in one year: the page stands from year to year, the
    count is the year's (the year in view unless another is typed)."""

    assignments = None  # type: ignore[assignment]
    focus_areas = None  # type: ignore[assignment]
    year = forms.IntegerField(  # type: ignore[assignment]
        label=_("År"),
        min_value=1990,
        max_value=2100,
        help_text=_("Året besøkstallet gjelder."),
    )
    visits = forms.IntegerField(
        label=_("Antall besøk"),
        min_value=0,
        max_value=100_000_000,
        required=False,
        help_text=_("Fra nettstatistikken for året. Tomt felt: ikke talt ennå."),
    )

    class Meta(RecordForm.Meta):
        model = m.TopicPage
        fields = ["name", "url"]

    field_order = ["name", "url", "year", "visits"]

    def __init__(self, *args: Any, year: int | None = None, **kwargs: Any):
        super().__init__(*args, year=year, **kwargs)
        if self.instance.pk and not self.is_bound:
            year = self.chosen_year(year) or timezone.localdate().year
            self.initial["year"] = year
            self.initial["visits"] = (
                m.TopicPageVisits.objects.filter(page=self.instance, year=year)
                .values_list("visits", flat=True)
                .first()
            )

    def chosen_year(self, year: int | None) -> int | None:
        posted = self.data.get("year") if self.is_bound else None
        if posted and str(posted).strip().isdigit():
            return int(posted)
        return self.initial.get("year") or year


FORMS: dict[type[Model], type[RecordForm]] = {
    m.Event: EventForm,
    m.Presentation: PresentationForm,
    m.OpEd: OpEdForm,
    m.ConsultationResponse: ConsultationResponseForm,
    m.Publication: PublicationForm,
    m.MediaAppearance: MediaAppearanceForm,
    m.Group: GroupForm,
    m.WebArticle: WebArticleForm,
    m.AdviceRequest: AdviceRequestForm,
    m.TopicPage: TopicPageForm,
}
