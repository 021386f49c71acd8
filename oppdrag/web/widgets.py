"""Choice widgets rendered without a template per option.

Django renders a select through one template for the select and one per option
(and the option's attributes through another), and a list of checkboxes or radio
buttons the same way: some 25–80 µs an option, so a form with a few hundred
options (municipalities, organisations, assignments) cost more than the rest of
its page. The ``Plain*`` widgets write the HTML of Django's templates
(``django/forms/widgets/*.html``) in Python, byte for byte the same
(``web/tests/test_widgets.py`` renders random choices through both).
``plain_choice_widgets`` swaps them in for Django's own on a form.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

# (index, value, label, selected) of one option; index as Django's ids have it («3_1»).
# The templates' line breaks are kept, those at the end of each included file too.
Option = tuple[str, Any, Any, bool]


def text(value: Any) -> str:
    """``{{ value }}`` in a template: localised, escaped unless safe."""
    if type(value) is str:
        return html.escape(value)
    if not isinstance(value, str):
        value = str(localize(template_localtime(value)))
    return conditional_escape(value)


def formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: as text, escaped unless safe."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def flat_attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: in order, True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {text(name)}")
        elif value is not False:
            parts.append(f' {text(name)}="{formatted(value)}"')
    return "".join(parts)


def option_groups(widget: ChoiceWidget, value: Any) -> list[tuple[Any, list[Option]]]:
    """(group name, options) as ``ChoiceWidget.optgroups`` finds them, without building
    an option's context: the first option with the value is selected, or every one
    with a value chosen when the widget takes several."""
    chosen = set(widget.format_value(value))
    several = widget.allow_multiple_selected
    found = False
    groups: list[tuple[Any, list[Option]]] = []
    for index, (option_value, label) in enumerate(widget.choices):
        if option_value is None:
            option_value = ""
        if isinstance(label, list | tuple):
            group, pairs = option_value, [(f"{index}_{n}", v, t) for n, (v, t) in enumerate(label)]
        else:
            group, pairs = None, [(str(index), option_value, label)]
        options = []
        for option_index, subvalue, sublabel in pairs:
            selected = (several or not found) and str(subvalue) in chosen
            found |= selected
            options.append((option_index, subvalue, sublabel, selected))
        groups.append((group, options))
    return groups


class PlainSelect(forms.Select):
    """A select with the markup of Django's ``Select``, written directly."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts = [f'<select name="{text(name)}"{flat_attrs(final_attrs)}>']
        for group, options in option_groups(self, value):
            if group:
                parts.append(f'\n  <optgroup label="{text(group)}">')
            parts.extend(
                f'\n  <option value="{formatted(option_value)}"'
                f"{' selected' if selected else ''}>{text(label)}</option>\n"
                for _index, option_value, label, selected in options
            )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value and label escaped above


class PlainSelectMultiple(PlainSelect, forms.SelectMultiple):
    """A multiple select with the markup of Django's ``SelectMultiple``."""


class PlainMultipleInput(ChoiceWidget):
    """Checkboxes or radio buttons with the markup of ``multiple_input.html``: a ``div``,
    one ``div`` per option holding an input in its label, a ``div`` per group."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        own_id, css = final_attrs.get("id"), final_attrs.get("class")
        parts = [
            "<div",
            f' id="{text(own_id)}"' if own_id else "",
            f' class="{text(css)}"' if css else "",
            ">",
        ]
        start = f'<input type="{text(self.input_type)}" name="{text(name)}"'
        for group, options in option_groups(self, value):
            if group:
                parts.append(f"\n  <div><label>{text(group)}</label>")
            parts.extend(self.option_divs(start, final_attrs, options))
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # every value and label escaped

    def option_divs(
        self, start: str, attrs: dict[str, Any], options: list[Option]
    ) -> Iterable[str]:
        """One ``<div>`` an option; the attributes as ``create_option`` gives them."""
        for index, option_value, label, selected in options:
            option_attrs = dict(attrs)
            if selected:
                option_attrs.update(self.checked_attribute)
            if "id" in option_attrs:
                option_attrs["id"] = self.id_for_label(option_attrs["id"], index)
            option_id = option_attrs.get("id")
            label_tag = f'<label for="{text(option_id)}">' if option_id else "<label>"
            has_value = option_value is not None
            yield "".join(
                (
                    "<div>\n    ",
                    label_tag,
                    start,
                    f' value="{formatted(option_value)}"' if has_value else "",
                    flat_attrs(option_attrs),
                    f">\n {text(label)}</label>\n\n</div>",
                )
            )


class PlainCheckboxSelectMultiple(PlainMultipleInput, forms.CheckboxSelectMultiple):
    """Checkboxes with the markup of Django's ``CheckboxSelectMultiple``."""


class PlainRadioSelect(PlainMultipleInput, forms.RadioSelect):
    """Radio buttons with the markup of Django's ``RadioSelect``."""


PLAIN: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: PlainSelect,
    forms.SelectMultiple: PlainSelectMultiple,
    forms.CheckboxSelectMultiple: PlainCheckboxSelectMultiple,
    forms.RadioSelect: PlainRadioSelect,
}


def plain_choice_widgets(form: forms.BaseForm) -> None:
    """Give the form's fields the plain widget for each of Django's own choice widgets.

    The widget object stays (only its class changes), so its choices, attributes and
    ``is_required`` as the field set them stay too, and a queryset set later still
    reaches it. Subclasses of Django's widgets (``NullBooleanSelect`` …) are left alone.
    """
    for field in form.fields.values():
        plain = PLAIN.get(type(field.widget))
        if plain is not None:
            field.widget.__class__ = plain


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
