"""The draft becomes the year's grant; carry-forward; coverage; the year-plan feed."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities.models import ConsultationResponse, OpEd
from oppdrag.grants.letter_parser import parse_letter
from oppdrag.grants.models import (
    Assignment,
    BudgetLine,
    Deliverable,
    Grant,
    GrantDate,
    NormativeProduct,
)
from oppdrag.grants.services import (
    GrantExists,
    coverage,
    create_grant_from_draft,
    grant_calendar,
    link_to_previous,
    match_assignments,
    tag_deliverable,
    title_similarity,
)

# The 2025 structure as the annual report numbers it (demo/napha-2025/assignments.csv).
REPORT_2025 = [
    ("3.1", "Opptrappingsplan for psykisk helse"),
    ("3.1.1", "ACT-, FACT- og FACT ung-modellene"),
    ("3.1.2", "Rask psykisk helsehjelp"),
    ("3.1.3", "Arbeid og psykisk helse"),
    ("3.1.4", "Nasjonal befolkningskampanje ABC for god psykisk helse"),
    ("3.2", "Implementering av veilederen «Sammen om mestring»"),
    ("3.3", "Helsefremming og forebygging"),
    ("3.4", "BrukerPlan"),
    ("3.7", "Den kommunale helse- og omsorgstjenesten til innsatte i fengsel"),
    ("3.9", "Boligsosialt arbeid"),
    ("3.10", "Regional fagsamling"),
]


@pytest.fixture
def grant(center, make_user, seed_text):
    user = make_user("leder", center)
    return create_grant_from_draft(center, parse_letter(seed_text), user, letter_text=seed_text)


@pytest.fixture
def previous_year(center):
    return [
        Assignment.objects.create(center=center, year=2025, number=number, title=title)
        for number, title in REPORT_2025
    ]


def test_it_saves_the_seed_letter_as_the_years_grant(grant, center):
    assert (grant.year, grant.amount_nok, grant.grantor) == (2026, 45_500_000, "Helsedirektoratet")
    assert grant.application_date == dt.date(2026, 1, 8)
    assert grant.regulation_date == dt.date(2023, 9, 26)
    assert list(BudgetLine.objects.filter(grant=grant).values_list("chapter", "post")) == [
        ("765", "74")
    ]
    numbers = list(
        Assignment.objects.filter(center=center, year=2026).values_list("number", flat=True)
    )
    assert numbers[:3] == ["2.1", "2.1.1", "2.1.1.A"]
    assert len(numbers) == 15
    letter_c = Assignment.objects.get(center=center, year=2026, number="2.1.1.C")
    assert letter_c.parent.number == "2.1.1"
    assert letter_c.deliverables.count() == 7
    assert letter_c.source_start_line is not None
    assert (
        GrantDate.objects.filter(grant=grant, kind="campaign", assignment__number="2.3").count()
        == 2
    )
    assert GrantDate.objects.get(grant=grant, kind="deadline").assignment.number == "2.7"
    assert NormativeProduct.objects.filter(grant=grant).values("group").distinct().count() == 5
    assert grant.parse_notes["unplaced"]


def test_every_saved_row_has_history_with_the_user(grant, center):
    assert grant.history.get().history_user.username == "leder"
    deliverable = Deliverable.objects.filter(center=center).first()
    assert deliverable.history.get().history_user.username == "leder"
    assert NormativeProduct.objects.first().history.count() == 1


def test_it_refuses_a_second_grant_for_the_same_year_and_saves_nothing(grant, center, seed_text):
    before = Assignment.objects.count()
    with pytest.raises(GrantExists):
        create_grant_from_draft(center, parse_letter(seed_text), None)
    assert Assignment.objects.count() == before
    assert Grant.objects.filter(center=center).count() == 1


def test_another_centre_can_have_the_same_letter(grant, other_center, seed_text):
    other = create_grant_from_draft(other_center, parse_letter(seed_text), None)
    assert other.center == other_center
    assert Assignment.objects.filter(center=other_center, year=2026).count() == 15


def test_sammen_om_mestring_is_not_linked_to_brukerplan_by_number(grant, center, previous_year):
    current = list(Assignment.objects.filter(center=center, year=2026))
    proposals = {p.current.number: p for p in match_assignments(previous_year, current)}
    assert proposals["2.2"].previous.title == "BrukerPlan"
    assert proposals["2.2"].previous.number == "3.4"
    linked_to_3_2 = [
        p.current.number for p in proposals.values() if p.previous and p.previous.number == "3.2"
    ]
    assert "2.2" not in linked_to_3_2
    assert proposals["2.1.1.B"].previous.number == "3.1.1"
    assert proposals["2.1.1.C"].previous.number == "3.1.2"
    assert proposals["2.6"].previous.number == "3.9"
    assert proposals["2.8"].previous.number == "3.10"
    # Each of last year's assignments is proposed once at most.
    chosen = [p.previous.pk for p in proposals.values() if p.previous]
    assert len(chosen) == len(set(chosen))


def test_the_same_number_alone_never_links():
    class Stub:
        def __init__(self, number, title):
            self.number, self.title = number, title

    proposals = match_assignments([Stub("2.2", "Sammen om mestring")], [Stub("2.2", "BrukerPlan")])
    assert proposals[0].previous is None


def test_title_similarity_prefers_shared_words():
    assert title_similarity("Boligsosialt arbeid", "Boligsosialt arbeid") == 1.0
    assert title_similarity("BrukerPlan", "Implementering av veilederen «Sammen om mestring»") < 0.3


def test_a_confirmed_link_is_stored_and_checked(grant, center, previous_year, other_center):
    current = Assignment.objects.get(center=center, year=2026, number="2.2")
    link_to_previous(current, previous_year[7], None)
    current.refresh_from_db()
    assert current.previous.title == "BrukerPlan"
    foreign = Assignment.objects.create(center=other_center, year=2025, number="9", title="X")
    with pytest.raises(ValueError):
        link_to_previous(current, foreign, None)


def test_coverage_counts_records_by_kind_and_warns_for_empty_assignments(grant, center):
    a22 = Assignment.objects.get(center=center, year=2026, number="2.2")
    a23 = Assignment.objects.get(center=center, year=2026, number="2.3")
    for index in range(3):
        response = ConsultationResponse.objects.create(center=center, year=2026, title=f"H{index}")
        response.assignments.add(a22)
    op_ed = OpEd.objects.create(center=center, year=2026, title="Kronikk", outlet="Avis")
    op_ed.assignments.add(a22, a23)
    deliverable = Deliverable.objects.filter(assignment__number="2.1.1.C").first()
    tag_deliverable(deliverable, op_ed, None)

    result = coverage(center, 2026)
    rows = {row["number"]: row for row in result["assignments"]}
    assert rows["2.2"]["counts"] == {"consultationresponse": 3, "oped": 1}
    assert rows["2.2"]["warning"] is None
    assert rows["2.3"]["total"] == 1
    assert rows["2.4"]["warning"].startswith("Ingenting er registrert på 2.4")
    c_items = rows["2.1.1.C"]["deliverables"]
    assert c_items[0]["counts"] == {"oped": 1}
    assert rows["2.1.1.C"]["warning"] is None
    assert rows["2.1.1.C"]["parent"] == "2.1.1"


def test_coverage_queries_do_not_grow_with_the_records(grant, center):
    a22 = Assignment.objects.get(center=center, year=2026, number="2.2")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            coverage(center, 2026)
        return len(queries)

    before = count_queries()
    for index in range(20):
        ConsultationResponse.objects.create(
            center=center, year=2026, title=f"H{index}"
        ).assignments.add(a22)
    assert count_queries() == before


def test_coverage_never_shows_another_centres_records(grant, center, other_center, seed_text):
    create_grant_from_draft(other_center, parse_letter(seed_text), None)
    theirs = Assignment.objects.get(center=other_center, year=2026, number="2.2")
    ConsultationResponse.objects.create(center=other_center, year=2026, title="X").assignments.add(
        theirs
    )
    rows = {row["number"]: row for row in coverage(center, 2026)["assignments"]}
    assert rows["2.2"]["total"] == 0


def test_the_calendar_has_the_meetings_campaigns_deadline_and_report_deadline(grant):
    grant.report_deadline = dt.date(2027, 3, 1)
    grant.save()
    stamp = dt.datetime(2026, 1, 2, 12, 0, tzinfo=dt.UTC)
    text = grant_calendar(grant, stamp=stamp)
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 7
    assert "DTSTART;VALUE=DATE:20260401\r\nDTEND;VALUE=DATE:20260601" in text
    assert "DTSTART;VALUE=DATE:20260501\r\nDTEND;VALUE=DATE:20260502" in text
    assert "DTSTART;VALUE=DATE:20270301" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_demo_2025_structure_is_carried_forward_to_2026_by_subject(seed_text):
    class Stub:
        def __init__(self, number, title):
            self.number, self.title = number, title

    demo_file = Path(__file__).resolve().parents[3] / "demo" / "napha-2025" / "assignments.csv"
    with demo_file.open(encoding="utf-8-sig") as handle:
        previous = [Stub(r["Nummer"], r["Tittel"]) for r in csv.DictReader(handle, delimiter=";")]
    current = [Stub(a.full_number, a.title) for a in parse_letter(seed_text).all_assignments()]
    links = {
        p.current.number: p.previous.number if p.previous else None
        for p in match_assignments(previous, current)
    }
    assert links == {
        "2.1": None,
        "2.1.1": "3.1",
        "2.1.1.A": "3.2",  # the guide for local work is «Sammen om mestring»
        "2.1.1.B": "3.1.1",
        "2.1.1.C": "3.1.2",
        "2.1.1.D": "3.1.3",
        "2.1.1.E": "3.1.4",
        "2.1.1.F": "3.3",
        "2.2": "3.4",
        "2.3": "3.6",
        "2.4": "3.7",
        "2.5": "3.8",
        "2.6": "3.9",
        "2.7": None,
        "2.8": "3.10",
    }


def test_coverage_passes_hours_and_report_status_through(grant, center):
    a22 = Assignment.objects.get(center=center, year=2026, number="2.2")
    rows = {
        row["number"]: row
        for row in coverage(center, 2026, hours={a22.pk: 120.5}, report_status={a22.pk: "draft"})[
            "assignments"
        ]
    }
    assert (rows["2.2"]["hours"], rows["2.2"]["report_status"]) == (120.5, "draft")
    assert rows["2.3"]["hours"] is None
