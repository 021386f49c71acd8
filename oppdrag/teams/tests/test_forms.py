"""The team forms' own parsing: scores as typed and grant years as a list, for any input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.teams.charts import ReviewPoint, item_chart, number, total_chart
from oppdrag.teams.forms import PilotForm, parse_score


@pytest.mark.parametrize(
    ("text", "value"),
    [("4", Decimal(4)), (" 3,5 ", Decimal("3.5")), ("2.25", Decimal("2.25")), ("", None)],
)
def test_it_reads_a_score_with_a_comma_or_a_point(text, value):
    assert parse_score(text) == value


@pytest.mark.parametrize("text", ["fire", "1e9", "nan", "inf", "3,5,1", "12345", "٣"])
def test_it_refuses_what_is_not_a_finite_short_number(text):
    with pytest.raises(ValueError):
        parse_score(text)


@given(st.text(max_size=200))
def test_any_text_is_a_score_none_or_a_value_error(text):
    try:
        value = parse_score(text)
    except ValueError:
        return
    assert value is None or value.is_finite()


def grant_years(text: str):
    form = PilotForm.__new__(PilotForm)
    form.cleaned_data = {"grant_years": text}
    return PilotForm.clean_grant_years(form)


def test_it_reads_grant_years_separated_by_commas_or_spaces():
    assert grant_years("2024, 2025;2026 2027") == [2024, 2025, 2026, 2027]
    assert grant_years("") == []


@given(st.text(max_size=500))
def test_any_grant_year_text_is_a_list_of_years_or_a_norwegian_refusal(text):
    try:
        years = grant_years(text)
    except ValidationError as error:
        assert "årstall" in error.messages[0] or "høyst 50" in error.messages[0]
        return
    assert all(1000 <= year <= 9999 for year in years)


def test_the_charts_write_scores_the_norwegian_way_and_escape_item_names():
    points = [
        ReviewPoint(date=dt.date(2024, 5, 1), total=3.4444, items={"A": 3.0}),
        ReviewPoint(date=dt.date(2025, 5, 1), total=4.0, items={"A": None}),
    ]
    assert number(3.4444) == "3,44" and number(4.0) == "4" and number(None) == "–"
    chart = total_chart("Total", points, 1, 5)
    assert ">3,44<" in chart and ">4<" in chart and "01.05.2025" in chart
    items = item_chart("Indikatorer", points, [("A", "<b>Navn</b>")], 1, 5)
    assert "&lt;b&gt;Navn&lt;/b&gt;" in items and "<b>" not in items
