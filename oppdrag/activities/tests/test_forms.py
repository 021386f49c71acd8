"""The registration forms' parsing and rules, without pages."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from oppdrag.activities.forms import AdviceRequestForm, PresentationForm, people_names
from oppdrag.activities.services import date_problems


@given(st.text(max_size=300))
def test_any_text_of_names_gives_clean_names(text):
    names = people_names(text)
    assert all(name and name == name.strip() for name in names)
    assert all(";" not in name for name in names)


def test_names_are_kept_in_the_order_written_and_turned_around():
    assert people_names("Nordmann, Kari; Ola Hansen") == ["Kari Nordmann", "Ola Hansen"]


def test_the_date_rules_name_the_field_they_are_about():
    problems = date_problems(
        {"year": 2025, "date_start": dt.date(2025, 3, 2), "date_end": dt.date(2025, 3, 1)}
    )
    assert problems == {"date_end": "Til-datoen er før fra-datoen."}
    assert set(date_problems({"year": 2025, "date": dt.date(2026, 1, 1)})) == {"date"}


def test_a_form_names_a_date_outside_the_year(center):
    form = PresentationForm(
        {"year": "2025", "title": "T", "kind": "Foredrag", "date": "2024-01-02"}, center=center
    )
    assert not form.is_valid()
    assert form.errors["date"] == ["Datoen 02.01.2024 er ikke i 2025, året posten gjelder."]


def test_the_advice_request_form_asks_who_where_what_how_and_how_long_first(center):
    form = AdviceRequestForm(center=center, initial={"year": 2025})
    assert list(form.fields)[:6] == [
        "asker_kind", "municipality", "topic", "channel", "minutes", "date",
    ]  # fmt: skip
    assert form.fields["asker_kind"].widget.attrs.get("autofocus")


def test_a_link_written_without_a_scheme_is_taken_as_https(center):
    form = PresentationForm(
        {"year": "2025", "title": "T", "kind": "Foredrag", "url": "nva.sikt.no/registration/1"},
        center=center,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["url"] == "https://nva.sikt.no/registration/1"
