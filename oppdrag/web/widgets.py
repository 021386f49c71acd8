"""Form widgets of the list filters, rendered without a template per option.

Django renders a select through one template for the select and one per option
(and the option's attributes through another): some 25 µs an option on a quiet
machine, so a filter form with a few hundred options cost more than the rest of
its page. ``PlainSelect`` writes the same HTML in Python with ``format_html``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """A single-choice select written directly (same markup as Django's ``Select``)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # As Django's Select: the first option with the value is the selected one.
        chosen = {str(v) for v in self.format_value(value)}
        parts: list[str] = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group: (group label, [(value, label), …])
                inner = [self._option(v, text, chosen) for v, text in label]
                group = format_html(
                    '<optgroup label="{}">{}</optgroup>', option_value, mark_safe("".join(inner))
                )
                parts.append(group)
            else:
                parts.append(self._option(option_value, label, chosen))
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = mark_safe("".join(parts))  # each part made by format_html
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)

    @staticmethod
    def _option(value: Any, label: Any, chosen: set[str]) -> str:
        text = "" if value is None else str(value)
        if text in chosen:
            chosen.discard(text)
            return format_html('<option value="{}" selected>{}</option>', text, label)
        return format_html('<option value="{}">{}</option>', text, label)


class LookupInput(forms.TextInput):
    """A text input with an empty ``<datalist>`` that ``static/web/lookup_input.js`` fills
    from a lookup endpoint (``data-lookup-url``) as one types.

    Without JavaScript it is a plain text input; the field resolves what is typed.
    """

    template_name = "web/widgets/lookup_input.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):
            widget_attrs["list"] = f"{widget_attrs['id']}-forslag"
        return context
