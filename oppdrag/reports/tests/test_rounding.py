"""One rounding rule in the report: half up, as Norwegian tables print; a sum row that
differs from the sum of its printed rows says why."""

from __future__ import annotations

from decimal import Decimal

from oppdrag.reports import tree as t
from oppdrag.reports.charts import _number
from oppdrag.reports.rounding import half_up, half_up_number

from .test_sentences import demo_report  # noqa: F401  (the demo report, built once)


def test_it_rounds_half_up_where_python_rounds_to_even():
    assert round(0.25, 1) == 0.2 and round(2.5) == 2  # what the report must not do
    assert half_up(0.25, 1) == Decimal("0.3")
    assert half_up(2.5) == Decimal(3)
    assert half_up(-2.5) == Decimal(-3)
    assert half_up_number(2.675, 2) == 2.68
    assert half_up_number(Decimal("1459581.50")) == 1459582


def test_printed_numbers_round_half_up():
    assert _number(0.25) == "0,3"
    assert _number(1234.45) == "1\u2009234,5"
    assert _number(-0.05) == "\u22120,1"


def _table(rows, total_rows=1):
    report = t.Report(center="c", center_name="C", year=2025, title="T")
    table = t.Table(
        caption="Årsverk", columns=["Navn", "Årsverk"], rows=rows, total_rows=total_rows
    )
    report.sections = [t.Section("s", "S", "chapter", [table])]
    t.explain_totals(report)
    return table


def test_a_sum_equal_to_its_printed_rows_needs_no_note():
    assert _table([["A", 0.4], ["B", 0.4], ["Sum", 0.8]]).footnote == ""


def test_a_sum_of_unrounded_numbers_says_what_the_printed_rows_add_up_to():
    table = _table([["A", 0.4], ["B", 0.4], ["Sum", 0.7]])
    assert table.footnote == (
        "Summen 0,7 i kolonnen «Årsverk» er regnet av tallene før avrunding; "
        "de avrundede linjene over summerer til 0,8."
    )


def test_appendix_8_says_why_its_total_is_not_the_sum_of_its_rows(demo_report):  # noqa: F811
    section = demo_report.section("appendix:staff")
    assert section is not None
    staff = next(b for b in section.blocks if isinstance(b, t.Table))
    *rows, total = staff.rows
    printed = sum(Decimal(str(row[4])) for row in rows if row[4] is not None)
    assert total[4] == 27.8 and printed == Decimal("27.9")  # as the seed prints them
    assert (
        "Summen 27,8 i kolonnen «Årsverk 2025» er regnet av tallene før avrunding; "
        "de avrundede linjene over summerer til 27,9." in staff.footnote
    )
