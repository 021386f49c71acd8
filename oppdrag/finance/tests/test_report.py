"""The chapter «Budsjett og regnskap» in the annual report, the cost beside the hours in
chapter 3, and ``finance`` in the key figures."""

import json

from oppdrag.figures.keyfigures import key_figures
from oppdrag.finance import services
from oppdrag.reports.builder import build_report


def _section(report, key):
    found = [s for s in report.sections if s.key == key]
    return found[0] if found else None


def test_the_report_has_the_finance_chapter_after_chapter_3(year_books):
    report = build_report(year_books["center"], 2025)
    keys = [s.key for s in report.sections]
    chapter = _section(report, "finance")
    assert chapter is not None and chapter.title == "Budsjett og regnskap"
    assert keys.index("finance") == keys.index("references") - 1
    text = str(chapter.to_json())
    assert "Budsjett og regnskap per oppdrag 2025" in text and "3.1.1 ACT" in text
    assert "finance-by-cost-type-chart" in text


def test_chapter_3_names_the_cost_beside_the_hours(year_books):
    report = build_report(year_books["center"], 2025)
    text = json.dumps(report.to_json(), ensure_ascii=False)
    assert "Regnskapet viser 115\u2009000 kr brukt på oppdraget" in text


def test_a_centre_can_leave_the_chapter_out(year_books):
    services.save_settings(center=year_books["center"], report_chapter=False)
    report = build_report(year_books["center"], 2025)
    assert _section(report, "finance") is None
    assert "Regnskapet viser" not in str(report.to_json())


def test_a_year_without_a_budget_has_no_finance_chapter(books):
    assert _section(build_report(books["center"], 2025), "finance") is None


def test_the_key_figures_carry_finance(year_books):
    figures = key_figures(year_books["center"], 2025)
    assert figures["finance"]["spent"] == 160_000
    assert figures["finance"]["generated"] is False
