"""The form a centre chooses its key figures with: a checkbox and a place per figure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oppdrag.web.widgets import plain_widgets

from .catalogue import CATALOGUE
from .reach import Counting


class SelectionForm(forms.Form):
    """One «show» checkbox and one «place» number per catalogue figure, and the way
    municipalities reached are counted. Works without JavaScript: the order is the
    places typed (ties keep the catalogue's order)."""

    reach_counting = forms.ChoiceField(
        label=_lazy("Kommuner nådd telles som"),
        choices=Counting.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, chosen: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, spec in enumerate(CATALOGUE):
            shown = spec.key in chosen
            place = chosen.index(spec.key) + 1 if shown else len(chosen) + index + 1
            self.fields[f"show_{spec.key}"] = forms.BooleanField(
                label=str(spec.label), required=False, initial=shown
            )
            self.fields[f"place_{spec.key}"] = forms.IntegerField(
                label=_lazy("Plass for «{label}»").format(label=spec.label),
                min_value=1,
                max_value=99,
                initial=place,
                required=True,
                widget=forms.NumberInput(attrs={"class": "ds-input place", "inputmode": "numeric"}),
            )
            self.fields[f"place_{spec.key}"].error_messages = {
                "required": _lazy("Skriv en plass fra 1 til 99 for «{label}».").format(
                    label=spec.label
                ),
                "invalid": _lazy("Plassen for «{label}» må være et helt tall.").format(
                    label=spec.label
                ),
                "min_value": _lazy("Plassen for «{label}» må være minst 1.").format(
                    label=spec.label
                ),
                "max_value": _lazy("Plassen for «{label}» kan være høyst 99.").format(
                    label=spec.label
                ),
            }
        plain_widgets(self)

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(spec, self[f"show_{spec.key}"], self[f"place_{spec.key}"]) for spec in CATALOGUE]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(cleaned.get(f"show_{s.key}") for s in CATALOGUE):
            raise forms.ValidationError(_("Velg minst ett nøkkeltall."))
        return cleaned

    def chosen_keys(self) -> list[str]:
        """The ticked figures by their place, ties in the catalogue's order."""
        ticked = [
            (self.cleaned_data[f"place_{spec.key}"], index, spec.key)
            for index, spec in enumerate(CATALOGUE)
            if self.cleaned_data.get(f"show_{spec.key}")
        ]
        return [key for _place, _index, key in sorted(ticked)]
