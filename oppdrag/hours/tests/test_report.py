"""Appendices 7 and 8 in the annual report, from the hours app's tables."""

from oppdrag.reports.builder import build_report


def appendix(report, key):
    section = report.section(key)
    return next(b for b in section.blocks if getattr(b, "columns", None))


def test_appendix_7_takes_its_chapters_from_the_assignments_not_the_typed_labels(full_demo):
    table = appendix(build_report(full_demo, 2025), "appendix:hours")
    heads = {row[1]: row for row in table.rows if row[3] is not None}
    # The published table calls this group 3.2; the report's chapter is 3.3.
    assert heads["Helsefremming og forebygging"][0] == "3.3"
    assert heads["Boligsosialt arbeid"][0] == "3.9"
    # The group sum is the sum of its lines (published: 1 649, one hour short).
    assert heads["Boligsosialt arbeid"][3] == 617 + 298 + 735
    shares = [row[4] for row in table.rows[: -table.total_rows] if row[4] is not None]
    assert sum(shares) == 100
    performed = table.rows[-2]
    assert performed[4] == 100 and performed[3] == 50_631


def test_appendix_7_prints_the_published_notes_under_the_table(full_demo):
    footnote = appendix(build_report(full_demo, 2025), "appendix:hours").footnote
    assert "ungdomspanelet, 98 timer, utgjør ca. 0,05 årsverk." in footnote
    assert footnote.endswith(
        "NB: Noen av oppdrag i tilskuddsbrevet har ikke egne prosjektnummer. Timene brukt på "
        "aktivitet inngår i andre oppgaver/ prosjekter."
    )


def test_appendix_8_lists_the_staff_without_contact_details(full_demo):
    table = appendix(build_report(full_demo, 2025), "appendix:staff")
    text = " ".join(str(cell) for row in table.rows for cell in row)
    assert "Petter Dahle" in text
    assert "@" not in text and "Tlf" not in text
    assert len(table.rows) == 32 + 1  # 32 staff and the sum row


def test_appendix_8_has_the_external_staff_hours_as_its_second_table(full_demo):
    section = build_report(full_demo, 2025).section("appendix:staff")
    staff, external = [b for b in section.blocks if getattr(b, "columns", None)]
    assert staff.key == "appendix-staff" and external.key == "appendix-external-staff"
    researchers = external.rows[: -external.total_rows]
    assert len(researchers) == 9
    by_name = {row[0]: row for row in researchers}
    assert by_name["Rebekka Bruteig"][1:] == [
        "Mangfold og inkludering Forsker 3",
        "Kunnskapsoppsummering om vold og risikoatferd i bo- og tjenestetilbud",
        55,
    ]
    # The published sum is 2 265 although its nine rows add to 2 266; the sum is of the rows.
    assert sum(int(row[3] or 0) for row in researchers) == 2266
    assert external.rows[-2][3] == 2266
    assert external.rows[-1][0] == "Antall årsverk tilknyttet NAPHA i 2025"
    assert external.rows[-1][3] == 1.2


def test_appendix_7_and_the_hours_per_chapter_read_the_years_hours_once_per_build(full_demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oppdrag.hours.models import ProjectAssignment, TimeEntry
    from oppdrag.reports.providers import provide

    def reads(memo: dict | None) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            hours = provide("hours_by_assignment", full_demo, 2025, memo)
            table = provide("hours", full_demo, 2025, memo)
        assert hours and table is not None
        sql = [q["sql"] for q in queries.captured_queries]
        return (
            sum(TimeEntry._meta.db_table in s for s in sql),
            sum(f'FROM "{ProjectAssignment._meta.db_table}"' in s for s in sql),
        )

    # One build's memo: the hours and the project-assignment links are read once.
    assert reads({}) == (1, 1)
    # Without a shared memo each provider reads them for itself.
    assert reads(None) == (2, 2)


def test_a_build_reads_each_hours_table_once(full_demo):
    """Appendices 7 and 8, the hours per chapter, the finance chapter's salary split and
    the reconciliation check share one build's reads (they read them 2–4 times each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oppdrag.hours.models import (
        ExternalHours,
        PositionChange,
        ProjectAssignment,
        ProjectMapping,
        TimeEntry,
    )

    with CaptureQueriesContext(connection) as queries:
        build_report(full_demo, 2025)
    sql = [q["sql"] for q in queries.captured_queries]
    for model in (TimeEntry, ProjectAssignment, ProjectMapping, PositionChange, ExternalHours):
        reads = sum(f'FROM "{model._meta.db_table}"' in s for s in sql)
        assert reads == 1, (model.__name__, reads)
