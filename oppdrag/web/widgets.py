"""Form widgets rendered without a template per option or input.

Django renders a select through one template for the select and one per option
(and the option's attributes through another), and a list of checkboxes or radio
buttons the same way: some 25–80 µs an option, so a form with a few hundred
options (municipalities, organisations, assignments) cost more than the rest of
its page; each text, number or date input and each textarea takes a template
too. The ``Plain*`` widgets write the HTML of Django's templates
(``django/forms/widgets/*.html``) in Python, byte for byte the same
(``web/tests/test_widgets.py`` renders random choices and values through both).
``plain_widgets`` swaps them in for Django's own on a form.
"""

from __future__ import annotations

import copy
import html
from typing import Any

from django import forms
from django.forms.widgets import ChoiceWidget, Input
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext

# (index, subindex, value, label, selected) of one option: subindex within a group, else None.
# The templates' line breaks are kept, those at the end of each included file too.
Option = tuple[int, int | None, Any, Any, bool]


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


def option_groups(
    widget: ChoiceWidget, value: Any, choices: Any = None
) -> list[tuple[Any, list[Option]]]:
    """(group name, options) as ``ChoiceWidget.optgroups`` finds them, without building
    an option's context: the first option with the value is selected, or every one
    with a value chosen when the widget takes several."""
    chosen = set(widget.format_value(value))
    several = widget.allow_multiple_selected
    found = False
    groups: list[tuple[Any, list[Option]]] = []
    for index, (option_value, label) in enumerate(widget.choices if choices is None else choices):
        if option_value is None:
            option_value = ""
        pairs: list[tuple[int | None, Any, Any]]
        if isinstance(label, list | tuple):
            group, pairs = option_value, [(n, v, t) for n, (v, t) in enumerate(label)]
        else:
            group, pairs = None, [(None, option_value, label)]
        options: list[Option] = []
        for subindex, subvalue, sublabel in pairs:
            selected = (several or not found) and str(subvalue) in chosen
            found |= selected
            options.append((index, subindex, subvalue, sublabel, selected))
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
        searched = "data-combobox" in final_attrs
        parts = [f'<select name="{text(name)}"{flat_attrs(final_attrs)}>']
        choices = chosen_choices(self, value) if searched else None
        for group, options in option_groups(self, value, choices):
            if group:
                parts.append(f'\n  <optgroup label="{text(group)}">')
            parts.extend(
                f'\n  <option value="{formatted(option_value)}"'
                f"{' selected' if selected else ''}>{text(label)}</option>\n"
                for _index, _subindex, option_value, label, selected in options
            )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        if searched:
            parts.append(typed_fallback(name, final_attrs))
        return mark_safe("".join(parts))  # every value and label escaped above


def chosen_choices(widget: ChoiceWidget, value: Any) -> Any:
    """A search-as-you-type select's options: only those chosen. The combobox script
    (``static/web/combobox.js``) asks the lookup for the rest and adds what is picked,
    as dynamic selects in NetBox do; writing every municipality and organisation into
    every form was most of a registration form's cost on national data."""
    choices = widget.choices
    queryset = getattr(choices, "queryset", None)
    if queryset is None:
        return choices
    keys = [key for key in widget.format_value(value) if str(key).isdigit()]
    limited: Any = copy.copy(choices)
    limited.queryset = queryset.filter(pk__in=keys) if keys else queryset.none()
    return limited


def typed_fallback(name: str, attrs: dict[str, Any]) -> str:
    """Without JavaScript, a text field for one more name, resolved by the form
    (``lookups.ResolvesTypedNames``) as the script's search text is."""
    field_id = f"{attrs.get('id', name)}-uten-skript"
    label = gettext("Legg til ved navn")
    return (
        f'<noscript><label for="{text(field_id)}">{text(label)}</label>'
        f'<input type="text" id="{text(field_id)}" name="{text(name)}-tekst" class="ds-input">'
        "</noscript>"
    )


class PlainSelectMultiple(PlainSelect, forms.SelectMultiple):
    """A multiple select with the markup of Django's ``SelectMultiple``."""


class PlainMultipleInput(ChoiceWidget):
    """Checkboxes or radio buttons with the markup of ``multiple_input.html``: a ``div``,
    one ``div`` per option holding an input in its label, a ``div`` per group.

    A template that walks the field's choices itself (``{% for choice in field %}``
    with ``choice.tag``) gets each input written directly as well.
    """

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
        for group, options in option_groups(self, value):
            if group:
                parts.append(f"\n  <div><label>{text(group)}</label>")
            for index, subindex, option_value, label, selected in options:
                option = self.create_option(
                    name, option_value, label, selected, index, subindex, attrs
                )
                parts.append(f"<div>\n    {input_option(option)}</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # every value and label escaped

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        if template_name == self.option_template_name:  # BoundWidget.tag: one choice
            # As the renderer does, strip what the included templates leave at the end.
            return mark_safe(input_option(context["widget"]).strip())
        return super()._render(template_name, context, renderer)  # type: ignore[misc]


def input_tag(widget: dict[str, Any]) -> str:
    """``input.html`` for a widget's (or an option's) context."""
    value = widget["value"]
    return "".join(
        (
            f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"',
            "" if value is None else f' value="{formatted(value)}"',
            flat_attrs(widget["attrs"]),
            ">",
        )
    )


def input_option(option: dict[str, Any]) -> str:
    """``input_option.html`` (as included by ``checkbox_option.html`` and
    ``radio_option.html``) for an option as ``ChoiceWidget.create_option`` makes it."""
    tag = input_tag(option)
    if not option["wrap_label"]:
        return f"{tag}\n\n\n"
    option_id = option["attrs"].get("id")
    label = f'<label for="{text(option_id)}">' if option_id else "<label>"
    return f"{label}{tag}\n {text(option['label'])}</label>\n\n"


class PlainCheckboxSelectMultiple(PlainMultipleInput, forms.CheckboxSelectMultiple):
    """Checkboxes with the markup of Django's ``CheckboxSelectMultiple``."""


class PlainRadioSelect(PlainMultipleInput, forms.RadioSelect):
    """Radio buttons with the markup of Django's ``RadioSelect``."""


class PlainInput(Input):
    """An input (text, number, date …) written directly from the context Django's own
    widget makes, instead of through ``input.html``."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        if template_name == self.template_name:
            return mark_safe(input_tag(context["widget"]))  # escaped by input_tag
        return super()._render(template_name, context, renderer)  # type: ignore[misc]


class PlainTextInput(PlainInput, forms.TextInput):
    pass


class PlainNumberInput(PlainInput, forms.NumberInput):
    pass


class PlainEmailInput(PlainInput, forms.EmailInput):
    pass


class PlainURLInput(PlainInput, forms.URLInput):
    pass


class PlainDateInput(PlainInput, forms.DateInput):
    pass


class PlainHiddenInput(PlainInput, forms.HiddenInput):
    pass


class PlainTextarea(forms.Textarea):
    """A textarea with the markup of ``textarea.html``, written directly."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        if template_name != self.template_name:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        widget = context["widget"]
        value = text(widget["value"]) if widget["value"] else ""
        attrs = flat_attrs(widget["attrs"])
        return mark_safe(f'<textarea name="{text(widget["name"])}"{attrs}>\n{value}</textarea>')


PLAIN: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: PlainSelect,
    forms.SelectMultiple: PlainSelectMultiple,
    forms.CheckboxSelectMultiple: PlainCheckboxSelectMultiple,
    forms.RadioSelect: PlainRadioSelect,
    forms.TextInput: PlainTextInput,
    forms.NumberInput: PlainNumberInput,
    forms.EmailInput: PlainEmailInput,
    forms.URLInput: PlainURLInput,
    forms.DateInput: PlainDateInput,
    forms.HiddenInput: PlainHiddenInput,
    forms.Textarea: PlainTextarea,
}


def plain_widgets(form: forms.BaseForm) -> None:
    """Give the form's fields the plain widget for each of Django's own choice and
    input widgets.

    A swap at the end of a form's ``__init__`` rather than a widget declared per field:
    it reaches the fields a ModelForm makes from the model and those a form adds in its
    ``__init__`` (the review form's rater fields) without repeating every field.
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
