"""The one date widget: shown and typed as dd.mm.åååå whatever the browser's language,
ISO still taken from scripts, and used by every date field of every form."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms

import oppdrag
from oppdrag.web.forms import DateInput


class DatedForm(forms.Form):
    title = forms.CharField(label="Hva")
    date = forms.DateField(label="Dato", widget=DateInput())


def test_it_shows_a_date_as_dd_mm_yyyy_in_a_text_input():
    html = str(DatedForm(initial={"date": dt.date(2025, 3, 5)})["date"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="05.03.2025"' in html
    assert 'inputmode="numeric"' in html and 'autocomplete="off"' in html


def test_it_shows_the_format_as_a_hint_tied_to_the_input():
    html = str(DatedForm()["date"])
    assert '<p class="ds-paragraph hint" data-size="sm" id="id_date-format">dd.mm.åååå</p>' in html
    assert 'aria-describedby="id_date-format"' in html
    assert "placeholder" not in html  # the format is not only a placeholder


def test_it_keeps_a_help_texts_hint_next_to_the_format():
    form = DatedForm()
    form.fields["date"].widget.attrs["aria-describedby"] = "id_date-hint"
    assert 'aria-describedby="id_date-hint id_date-format"' in str(form["date"])


@pytest.mark.parametrize("text", ["15.03.2025", "5.3.2025", "05.3.2025", "2025-03-15"])
def test_it_takes_dd_mm_yyyy_d_m_yyyy_and_iso(text):
    form = DatedForm(data={"title": "Fagdag", "date": text})
    assert form.is_valid(), form.errors
    day = 5 if text.startswith(("5.", "05.")) else 15
    assert form.cleaned_data["date"] == dt.date(2025, 3, day)


@pytest.mark.parametrize("text", ["31.02.2025", "03/15/2025", "15.13.2025", "i morgen", "2025"])
def test_it_refuses_what_is_not_a_date_in_norwegian_and_keeps_the_text(text):
    form = DatedForm(data={"title": "Fagdag", "date": text})
    assert not form.is_valid()
    assert form.errors["date"] == ["Oppgi en gyldig dato."]
    html = str(form["date"])
    assert f'value="{text}"' in html  # what was typed stays to be corrected …
    assert 'value="Fagdag"' in str(form["title"])  # … as does the rest


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's modules (tests and migrations left out)."""
    for module in pkgutil.walk_packages(oppdrag.__path__, "oppdrag."):
        name = module.name
        if ".tests" in name or ".migrations" in name or name.startswith("oppdrag.settings"):
            continue
        importlib.import_module(name)
    found: set[type[forms.BaseForm]] = set()
    todo = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("oppdrag.") and ".tests" not in cls.__module__:
            found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_date_field_of_every_form_uses_the_widget():
    classes = project_forms()
    dated = {
        f"{cls.__module__}.{cls.__name__}.{name}": type(field.widget)
        for cls in classes
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    }
    assert len(dated) >= 10  # the check sees the forms: activities, teams, evaluations, finance
    assert {name for name, widget in dated.items() if not issubclass(widget, DateInput)} == set()
