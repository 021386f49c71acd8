"""The shell's forms (sign-in) and the widgets the apps' forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext as gettext_now

from oppdrag.core.models import Center

from .lookups import TYPED_LOOKUPS
from .throttle import normalize_username
from .widgets import PlainDateInput


class DateInput(PlainDateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
