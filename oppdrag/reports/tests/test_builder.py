"""The report tree built from the NAPHA 2025 demo."""

from __future__ import annotations

import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.core.demo import DEMO_DIR
from oppdrag.figures.scale import multiply
from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report
from oppdrag.reports.demo import load_reports_demo
from oppdrag.reports.providers import PROVIDERS, ProvidedTable, register_provider


def demo_rows(name: str) -> list[dict[str, str]]:
    with open(DEMO_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def table(report: t.Report, key: str) -> t.Table:
    section = report.section(key)
    assert section is not None, key
    found = [b for b in section.blocks if isinstance(b, t.Table)]
    return found[0]


@pytest.fixture
def report(demo, make_user):
    load_reports_demo(demo, make_user("skribent", demo))
    return build_report(demo, 2025)


def test_it_follows_the_structure_of_the_annual_report(report):
    top = [(s.number, s.title) for s in report.sections]
    assert top[0] == ("", "Forord")
    assert top[1][1].startswith("Nøkkeltall")
    assert [n for n, _ in top[2:5]] == ["1", "2", "3"]
    assert [s.number for s in report.section("overall").sections] == ["1a", "1b", "1c"]
    assert [s.number for s in report.section("focus").sections] == [
        "2a",
        "2b",
        "2c",
        "2d",
        "2e",
        "2f",
    ]
    chapter3 = [s.number for _, s in report.walk() if s.key.startswith("assignment:")]
    assert chapter3[:7] == ["3.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.2"]
    assert chapter3[-1] == "3.10"
    appendices = [s.number for s in report.sections if s.style == "appendix"]
    assert appendices == [f"Vedlegg {n}" for n in range(1, 10)]
    assert report.section("appendix:questionnaire").label == "Vedlegg:"


def test_appendix_1_reproduces_every_published_event_row_in_order(report):
    events = table(report, "appendix:events")
    assert events.columns == [
        "Tema",
        "Hva",
        "Antall deltakere",
        "Nasjonal/regional",
        "Deltakere",
        "Arrangører",
        "Fysisk/digital",
    ]
    source = demo_rows("events.csv")
    assert len(events.rows) == len(source) == 128
    for row, expected in zip(events.rows, source, strict=True):
        assert row[0] == expected["Tema"]
        assert row[1] == expected["Hva"]
        assert row[2] == (
            int(expected["Antall deltakere"]) if expected["Antall deltakere"] else None
        )
        assert row[6] == (expected["Fysisk/digital"] or "")
    conference = [r for r in events.rows if r[2] == 1400]
    assert len(conference) == 2


def test_appendix_5_lists_the_products_under_a_heading_per_type_as_published(report):
    section = report.section("appendix:products")
    assert section is not None
    tables = [b for b in section.blocks if isinstance(b, t.Table)]
    assert [table.caption for table in tables] == [
        "Antologi",
        "Innledning i antologi",
        "Faglig kapittel",
        "Forskningsrapport",
        "Rapport",
        "Vitenskapelig artikkel",
    ]
    assert all(table.columns == ["Tittel", "Bidragsytere", "Lenke"] for table in tables)
    titles = [row[0] for table in tables for row in table.rows]
    assert titles == [r["Tittel"] for r in demo_rows("publications.csv")]
    assert len({table.key for table in tables}) == len(tables)


def test_appendix_2_says_when_the_presentations_were_registered(report):
    from django.utils import timezone

    today = timezone.localdate().strftime("%d.%m.%Y")  # the demo was loaded today
    footnote = table(report, "appendix:presentations").footnote
    assert footnote == f"Registrert i NVA per {today}."


def test_appendix_1_prints_organisers_by_short_name_with_the_full_names_under_it(report):
    events = table(report, "appendix:events")
    organisers = [row[5] for row in events.rows]
    assert "Helsedirektoratet, NAPHA" in organisers
    assert not any("Nasjonalt kompetansesenter" in str(cell) for cell in organisers)
    assert "NAPHA: Nasjonalt kompetansesenter for psykisk helsearbeid" in events.footnote


def test_the_other_appendices_reproduce_their_rows(report):
    presentations = table(report, "appendix:presentations")
    source = demo_rows("presentations.csv")
    assert [r[0] for r in presentations.rows] == [r["Tittel"] for r in source]
    assert [r[1] for r in presentations.rows] == [r["Publiseringsdato"] for r in source]
    assert presentations.columns == ["Tittel", "Publiseringsdato", "Type", "Bidragsyter"]
    consultations = table(report, "appendix:consultations")
    assert [r[:2] for r in consultations.rows] == [
        [r["Dato"], r["Tittel"]] for r in demo_rows("consultation-responses.csv")
    ]
    assert len(table(report, "appendix:op-eds").rows) == 4
    assert [r[2] for r in table(report, "appendix:media").rows] == [
        r["Tittel"] for r in demo_rows("media.csv")
    ]
    assert [r[0] for r in table(report, "appendix:groups").rows] == [
        r["Navn"] for r in demo_rows("groups.csv")
    ]


def test_appendices_without_data_say_plainly_that_they_are_empty(report):
    hours = table(report, "appendix:hours")
    assert hours.rows == []
    assert "Ingen timer" in hours.empty_text
    assert "Ingen ansatte" in table(report, "appendix:staff").empty_text


def test_appendices_7_and_8_render_what_the_providers_give(demo):
    saved = dict(PROVIDERS)
    try:
        register_provider(
            "hours",
            lambda center, year: ProvidedTable(
                ["Kapittel", "Timer", "Prosent"],
                [["3.1.1", 300, 60], ["3.1.2", 200, 40]],
                percent_columns=(2,),
            ),
        )
        register_provider("hours_by_assignment", lambda center, year: {"3.1.1": 300, "3.1.2": 200})
        report = build_report(demo, 2025)
    finally:
        PROVIDERS.clear()
        PROVIDERS.update(saved)
    assert table(report, "appendix:hours").rows == [["3.1.1", 300, 60], ["3.1.2", 200, 40]]
    figure = next(b for b in report.section("appendix:hours").blocks if isinstance(b, t.Figure))
    assert figure.labels == ["3.1.1", "3.1.2"]
    facts = " ".join(
        b.plain for b in report.section("assignment:3.1.1").blocks if isinstance(b, t.Paragraph)
    )
    assert "300 timer" in facts
    assert not [f for f in report.findings if f.code == "percentages_not_100"]


def test_each_assignment_chapter_has_generated_facts_from_its_records(report):
    section = report.section("assignment:3.1.1")
    facts = [b for b in section.blocks if isinstance(b, t.Paragraph) and b.generated]
    text = " ".join(p.plain for p in facts)
    assert "63 arrangementer" in text
    assert "vedlegg 1" in text
    assert "Grunnopplæring FACT ung 2025" in text and "108 unike deltakere" in text
    kinds = [b.heading for b in section.blocks if isinstance(b, t.Assessment)]
    assert kinds == [
        "Aktiviteter",
        "Målgruppemedvirkning",
        "Resultater, effekter og vurdering av måloppnåelse",
    ]
    empty = report.section("assignment:3.4")
    assert "Ingen registreringer" in empty.blocks[0].plain
    parent = report.section("assignment:3.1")
    assert "kapittel 3.1.1" in parent.blocks[0].plain


def test_staff_text_is_shown_with_its_status_and_cross_references_resolved(report):
    overall = report.section("overall:a")
    assessment = next(b for b in overall.blocks if isinstance(b, t.Assessment))
    assert assessment.status == "Klar"
    assert "kapittel 3.1.1" in assessment.paragraphs[0].plain
    assert "kapittel 3.1.2" in assessment.paragraphs[0].plain
    foreword = report.section("foreword")
    # The foreword is one text without a sub-heading, of the two paragraphs written.
    [text] = foreword.blocks
    assert isinstance(text, t.Assessment) and text.heading == ""
    assert len(text.paragraphs) == 2


def test_the_topic_page_table_shows_both_years_and_the_change(report):
    pages = table(report, "focus:a")
    assert pages.columns == ["Temaside", "Antall besøk 2025", "Antall besøk 2024", "Endring"]
    assert pages.rows[0] == ["ACT- og FACT-team", 9690, 6020, 3670]


def test_percentages_in_the_report_add_up_to_100(report):
    by_format = next(b for b in report.section("focus:b").blocks if isinstance(b, t.Table))
    assert sum(int(row[2] or 0) for row in by_format.rows[:-1]) == 100
    assert not [f for f in report.findings if f.code == "percentages_not_100"]


def test_charts_carry_the_data_they_plot(report):
    figures = {b.key: b for b in report.section("focus:b").blocks if isinstance(b, t.Figure)}
    themes = figures["events-by-theme"]
    assert sum(sum(s.values) for s in themes.series) == 128
    regions = figures["participants-by-region"]
    assert set(regions.labels) >= {"Nord", "Midt", "Øst"}
    assert themes.alt and regions.alt


def test_key_figures_come_from_records_and_differences_are_findings(report):
    figures = next(b for b in report.section("key-figures").blocks if isinstance(b, t.KeyFigures))
    values = {item.key: item.value for item in figures.items}
    assert values["events"] == 128
    assert values["presentations"] == 133
    assert all(item.source for item in figures.items)
    assert any(
        f.code == "published_mismatch" and "«Arrangementer» er 130" in f.message
        for f in report.findings
    )


def test_last_years_records_give_year_over_year_columns(demo):
    from oppdrag.activities.models import Event

    Event.objects.create(center=demo, year=2024, theme="Tema", title="I fjor", participants=10)
    report = build_report(demo, 2025)
    yoy = next(
        b
        for b in report.section("key-figures").blocks
        if isinstance(b, t.Table) and b.key == "year-over-year"
    )
    assert yoy.columns == ["Type", "2025", "2024", "Endring"]
    assert ["Arrangementer", 128, 1, 127] in yoy.rows


def test_it_uses_the_same_number_of_queries_for_a_year_twenty_times_larger(demo, make_user):
    load_reports_demo(demo, make_user("skribent", demo))
    with CaptureQueriesContext(connection) as small:
        build_report(demo, 2025)
    multiply(demo, 2025, 20)
    with CaptureQueriesContext(connection) as large:
        report = build_report(demo, 2025)
    assert len(table(report, "appendix:events").rows) == 128 * 20
    assert len(large.captured_queries) == len(small.captured_queries)
    # A sanity bound; the key figures alone now take ~70 (hours, teams and coverage included).
    assert len(small.captured_queries) < 150
