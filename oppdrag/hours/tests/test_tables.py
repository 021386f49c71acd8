"""Appendix 7 and 8, hours per assignment and the reconciliation, with constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.hours.importers import HOURS_IMPORTERS
from oppdrag.hours.tables import appendix_7, appendix_8, hours_per_assignment, reconciliation
from tests.files import write_table

from .test_importers import run_hours


def test_a_shared_project_splits_its_hours_by_weight(setup, tmp_path):
    assert run_hours(
        setup,
        tmp_path,
        [["Kari Nordmann", "100", "2025-03", "10"], ["Kari Nordmann", "200", "2025-03", "100"]],
    ).ok
    by_number = {a.number: a for a in hours_per_assignment(setup, 2025)}
    # Project 200 serves 3.1.1 with weight 3 and 3.1.4 with weight 1.
    assert by_number["3.1.1"].hours == Decimal(85)
    assert by_number["3.1.4"].hours == Decimal(25)
    assert by_number["3.1.1"].projects == ["100", "200"]


def test_holiday_counts_as_performed_and_absence_stays_outside(setup, tmp_path):
    assert run_hours(
        setup,
        tmp_path,
        [["Kari Nordmann", "100", "2025-03", "30"], ["Kari Nordmann", "900", "2025-07", "10"]],
    ).ok
    table = appendix_7(setup, 2025)
    assert table.performed_hours == 40
    assert [g.share for g in table.performed] == [Decimal(75), Decimal(0), Decimal(25)]
    assert table.absence == []


def _grow(center, tmp_path, months: int, name: str) -> None:
    rows = [["Kari Nordmann", "100", f"2025-{m:02d}", "10"] for m in range(1, months + 1)]
    rows += [["Ola Hansen", "200", f"2025-{m:02d}", "5"] for m in range(1, months + 1)]
    assert run_hours(center, tmp_path, rows, name).ok


@pytest.mark.parametrize("function", [appendix_7, appendix_8, hours_per_assignment, reconciliation])
def test_the_tables_take_the_same_number_of_queries_for_more_data(setup, tmp_path, function):
    _grow(setup, tmp_path, 1, "one.csv")
    with CaptureQueriesContext(connection) as small:
        function(setup, 2025)
    _grow(setup, tmp_path, 12, "twelve.csv")
    with CaptureQueriesContext(connection) as large:
        function(setup, 2025)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_another_centres_hours_are_not_counted(setup, other_center, tmp_path):
    _grow(setup, tmp_path, 2, "a.csv")
    assert appendix_7(other_center, 2025).total_hours == 0
    assert appendix_7(setup, 2025).total_hours == 30


def test_the_reconciliation_lists_a_published_sum_that_differs(setup, tmp_path):
    _grow(setup, tmp_path, 2, "a.csv")
    path = write_table(
        tmp_path,
        "published.csv",
        [
            ["Type", "Linje", "Timer", "Prosent", "Årsverk"],
            ["gruppe", "ACT", "20", "67", "0,0"],
            ["gruppe", "Annet", "11", "", ""],
            ["totalt", "Totalt", "31", "", ""],
        ],
    )
    assert HOURS_IMPORTERS["published-hours"](setup, 2025).run(path).ok
    found = {(d.title, d.measure, d.difference) for d in reconciliation(setup, 2025)}
    assert found == {("Annet", "hours", Decimal(1)), ("Totalt", "hours", Decimal(1))}
