"""Registration forms. Defaults make a typical registration take well under a minute."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from oppdrag.activities import models as m
from oppdrag.core.models import Center, Municipality, Organization
from oppdrag.grants.models import Assignment

from .lookups import TYPED_LOOKUPS, ResolvesTypedNames
from .throttle import normalize_username


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(ResolvesTypedNames, forms.ModelForm):
    organizers = forms.ModelMultipleChoiceField(
        label=_("Arrangører"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Hold nede Ctrl (Cmd på Mac) for å velge flere."),
    )

    class Meta:
        model = m.Event
        fields = [
            "year", "theme", "title", "date_start", "date_end", "participants", "scope", "format",
            "audience", "series", "assignments", "focus_areas", "regions", "municipalities",
            "target_group_involved", "users_involved",
        ]  # fmt: skip
        widgets = {
            "date_start": DateInput(),
            "date_end": DateInput(),
            "audience": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.center = center
        fields: Any = self.fields
        fields["assignments"].queryset = Assignment.objects.filter(center=center)
        fields["series"].queryset = m.EventSeries.objects.filter(center=center)
        fields["municipalities"].queryset = Municipality.objects.filter(
            valid_to__isnull=True
        ).order_by("name")
        for name, field in self.fields.items():
            widget = field.widget
            widget.attrs.setdefault("class", "ds-input")
            widget.attrs.setdefault("id", f"id_{name}")
        search_as_you_type(fields["municipalities"], center, "web:lookup_municipalities")
        search_as_you_type(fields["organizers"], center, "web:lookup_organizations")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_start"), data.get("date_end")
        if end and start and end < start:
            self.add_error("date_end", _("Til-datoen er før fra-datoen."))
        year = data.get("year")
        if start and year and start.year != year:
            self.add_error("date_start", _("Datoen er ikke i året arrangementet er registrert på."))
        return data


def search_as_you_type(field: forms.Field, center: Center, url_name: str) -> None:
    """Mark a select for the combobox script (static/web/combobox.js).

    Without JavaScript the select stays as it is. The texts the script shows are
    translated here and passed as data attributes, since the script has no catalogue.
    A name typed but not chosen is sent too, and resolved or refused by the form
    (``lookups.ResolvesTypedNames``).
    """
    field.typed_lookup = TYPED_LOOKUPS[url_name]  # type: ignore[attr-defined]
    field.widget.attrs.update(
        {
            "data-combobox": "",
            "data-search-url": reverse(url_name, kwargs={"center": center.slug}),
            "data-text-hint": gettext_now("Skriv noen bokstaver og velg med piltastene."),
            "data-text-remove": gettext_now("Fjern {label}"),
            "data-text-chosen": gettext_now("{label} er valgt."),
            "data-text-results": gettext_now("{count} treff."),
            "data-text-none": gettext_now("Ingen treff."),
            "data-text-many": gettext_now("{count} treff. Velg ett med piltastene."),
            "data-text-selected": gettext_now("Valgt"),
        }
    )


class UsernameField(auth_forms.UsernameField):
    """The username cleaned as the sign-in throttle counts it (``throttle.normalize_username``)."""

    def to_python(self, value: Any) -> Any:
        return normalize_username(super().to_python(value) or "")


class LoginForm(auth_forms.AuthenticationForm):
    username = UsernameField(widget=forms.TextInput(attrs={"autofocus": True}))


class AdminLoginForm(AdminAuthenticationForm):
    username = UsernameField(widget=forms.TextInput(attrs={"autofocus": True}))
