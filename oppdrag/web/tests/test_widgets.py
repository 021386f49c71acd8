"""The plain widgets write exactly what Django's templates write, for any choices and values."""

from __future__ import annotations

from django import forms
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.activities.forms import EventForm
from oppdrag.core.models import Municipality
from oppdrag.web.widgets import (
    PlainCheckboxSelectMultiple,
    PlainDateInput,
    PlainEmailInput,
    PlainHiddenInput,
    PlainNumberInput,
    PlainRadioSelect,
    PlainSelect,
    PlainSelectMultiple,
    PlainTextarea,
    PlainTextInput,
    PlainURLInput,
    plain_widgets,
)

PAIRS = [
    (forms.Select, PlainSelect),
    (forms.SelectMultiple, PlainSelectMultiple),
    (forms.CheckboxSelectMultiple, PlainCheckboxSelectMultiple),
    (forms.RadioSelect, PlainRadioSelect),
]

# Text that needs escaping, and values that are not text (None, numbers).
words = st.one_of(st.text(max_size=8), st.sampled_from(["<b>", "a&b", '"q"', "'s'", "Bodø"]))
values = st.one_of(words, st.integers(-5, 3000), st.none())
labels = st.one_of(words, st.integers(-5, 3000))
pairs = st.tuples(values, labels)
groups = st.tuples(values, st.lists(pairs, max_size=4))
choices = st.lists(st.one_of(pairs, groups), max_size=8)
attr_values = st.one_of(words, st.booleans(), st.integers(0, 9), st.none())
attrs = st.dictionaries(
    st.sampled_from(["id", "class", "required", "data-combobox", "aria-describedby", "checked"]),
    attr_values,
    max_size=4,
)


def chosen(draw_from: list, extra: list) -> st.SearchStrategy:
    flat = [v for v, label in draw_from if not isinstance(label, list)]
    flat += [v for _g, label in draw_from if isinstance(label, list) for v, _t in label]
    pool = st.sampled_from(flat + extra) if flat else st.sampled_from(extra)
    return st.one_of(st.none(), pool, st.lists(pool, max_size=4))


@given(st.data(), st.sampled_from(PAIRS), choices, attrs, attrs, st.text(max_size=6))
def test_each_plain_widget_writes_what_djangos_templates_write(
    data, pair, options, own_attrs, render_attrs, name
):
    django_class, plain_class = pair
    if issubclass(plain_class, PlainSelect):
        # A search-as-you-type select writes only its chosen options (tested below).
        own_attrs.pop("data-combobox", None)
        render_attrs.pop("data-combobox", None)
    value = data.draw(chosen(options, ["", "1", 7]))
    expected = django_class(attrs=dict(own_attrs), choices=options).render(
        name, value, dict(render_attrs)
    )
    written = plain_class(attrs=dict(own_attrs), choices=options).render(
        name, value, dict(render_attrs)
    )
    assert written == expected


@given(st.sampled_from(PAIRS[2:]), choices, attrs, st.booleans())
def test_each_choice_of_a_plain_list_is_written_as_djangos_template_writes_it(
    pair, options, own_attrs, wrap_label
):
    django_class, plain_class = pair
    django_widget = django_class(attrs=dict(own_attrs), choices=options)
    plain_widget = plain_class(attrs=dict(own_attrs), choices=options)
    for option in django_widget.subwidgets("x", ["1"], {"id": "id_x"}):
        context = {"widget": {**option, "wrap_label": wrap_label}}
        template = option["template_name"]
        written = plain_widget._render(template, context)
        assert written == django_widget._render(template, context)


def test_a_checkbox_list_with_a_group_matches_djangos_markup():
    options = [("a", "A"), ("Gruppe", [("b", "B <1>"), ("c", "C")])]
    widget = forms.CheckboxSelectMultiple(attrs={"id": "id_x"}, choices=options)
    expected = widget.render("x", ["b"])
    written = PlainCheckboxSelectMultiple(attrs={"id": "id_x"}, choices=options).render("x", ["b"])
    assert written == expected
    assert (
        '<label for="id_x_1_0"><input type="checkbox" name="x" value="b" id="id_x_1_0" checked>'
        "\n B &lt;1&gt;</label>"
    ) in written


def test_the_swap_keeps_the_combobox_attributes(db, center):
    form = EventForm(center=center, year=2025)
    assert type(form.fields["municipalities"].widget) is PlainSelectMultiple
    assert type(form.fields["assignments"].widget) is PlainCheckboxSelectMultiple
    html = str(form["municipalities"])
    assert "data-combobox" in html and "data-search-url" in html


def test_a_search_as_you_type_select_writes_only_the_chosen_options_and_a_field_without_script(
    db, center, django_assert_num_queries
):
    bodo, tromso = Municipality.objects.filter(name__in=["Bodø", "Tromsø"]).order_by("name")
    blank = EventForm(center=center, year=2025)
    with django_assert_num_queries(0):
        html = str(blank["municipalities"])
    assert "<option" not in html
    assert '<noscript><label for="id_municipalities-uten-skript">Legg til ved navn</label>' in html
    assert 'name="municipalities-tekst"' in html
    chosen = EventForm(center=center, year=2025, initial={"municipalities": [bodo.pk]})
    html = str(chosen["municipalities"])
    assert html.count("<option") == 1
    assert f'<option value="{bodo.pk}" selected>Bodø</option>' in html
    assert "Tromsø" not in html and tromso.pk


def test_subclasses_of_djangos_widgets_are_left_alone():
    class Form(forms.Form):
        answer = forms.NullBooleanField()
        kind = forms.ChoiceField(choices=[("a", "A")])

    form = Form()
    plain_widgets(form)
    assert type(form.fields["answer"].widget) is forms.NullBooleanSelect
    assert type(form.fields["kind"].widget) is PlainSelect


INPUTS = [
    (forms.TextInput, PlainTextInput),
    (forms.NumberInput, PlainNumberInput),
    (forms.EmailInput, PlainEmailInput),
    (forms.URLInput, PlainURLInput),
    (forms.DateInput, PlainDateInput),
    (forms.HiddenInput, PlainHiddenInput),
    (forms.Textarea, PlainTextarea),
]
input_values = st.one_of(
    values, st.dates(), st.decimals(allow_nan=False, allow_infinity=False, places=2)
)


@given(st.sampled_from(INPUTS), input_values, attrs, attrs, st.text(max_size=6))
def test_each_plain_input_writes_what_djangos_templates_write(
    pair, value, own_attrs, render_attrs, name
):
    django_class, plain_class = pair
    expected = django_class(attrs=dict(own_attrs)).render(name, value, dict(render_attrs))
    written = plain_class(attrs=dict(own_attrs)).render(name, value, dict(render_attrs))
    assert written == expected
