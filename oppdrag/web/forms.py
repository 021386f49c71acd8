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


class DateInput(forms.DateInput):
    """The date widget of every form: a text input that shows and takes dd.mm.åååå.

    Not ``<input type="date">``: Chromium draws that in the browser's own locale, so an
    English-language browser showed a Norwegian user mm/dd/yyyy. The field parses what
    is typed with the bokmål DATE_INPUT_FORMATS (dd.mm.åååå, d.m.åååå, and ISO, which
    scripts send). The format is a visible hint before the input, tied to it by
    ``aria-describedby`` next to any help text's hint, so it is not only a placeholder.
    """

    template_name = "web/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None):
        attrs = {"inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d.%m.%Y")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):
            hint_id = f"{widget_attrs['id']}-format"
            described = f"{widget_attrs.get('aria-describedby', '')} {hint_id}".strip()
            widget_attrs["aria-describedby"] = described
            context["widget"]["format_hint"] = {"id": hint_id, "text": gettext_now("dd.mm.åååå")}
        return context


def search_as_you_type(field: forms.Field, center: Center, url_name: str) -> None:
    """Mark a select for the combobox script (static/web/combobox.js).

    The select holds only the chosen options (``widgets.chosen_choices``); the script
    finds the rest through the lookup. Without JavaScript a text field takes one more
    name (``widgets.typed_fallback``). The texts the script shows are
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
