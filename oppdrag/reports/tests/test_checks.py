"""Data-quality checks and ``oppdrag check``."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from oppdrag.activities.models import ConsultationResponse, Event
from oppdrag.grants.models import Assignment
from oppdrag.reports.checks import run_checks
from oppdrag.reports.services import save_assessment


def codes(findings):
    return [f.code for f in findings]


@pytest.fixture
def findings(demo):
    return run_checks(demo, 2025)


def test_it_finds_the_conference_listed_twice_with_1400_participants(findings):
    duplicates = [f for f in findings if f.code == "probable_duplicate"]
    assert len(duplicates) == 1
    assert "1400" in duplicates[0].message
    assert len(duplicates[0].records) == 2
    assert any("NAPHA-konferansen" in r.description for r in duplicates[0].records)
    assert duplicates[0].fix


def test_it_finds_counts_that_differ_from_the_published_figures(findings):
    published = {
        f.message.split("«")[1].split("»")[0]: f for f in findings if f.code == "published_mismatch"
    }
    events = published["Arrangementer"].message
    assert "130" in events and "128" in events
    assert "150" in published["Presentasjoner"].message
    assert "Høringsinnspill" not in published  # 10 published, 10 registered


@pytest.mark.parametrize(("registered", "finding"), [(53, False), (50, True), (40, True)])
def test_a_figure_published_as_over_50_is_a_lower_bound(demo, registered, finding):
    from oppdrag.activities.models import PublishedFigure

    PublishedFigure.objects.filter(center=demo, year=2025, key="events").update(
        value=50, qualifier=PublishedFigure.Qualifier.OVER
    )
    keep = (
        Event.objects.filter(center=demo, year=2025)
        .order_by("pk")
        .values_list("pk", flat=True)[:registered]
    )
    Event.objects.filter(center=demo, year=2025).exclude(pk__in=list(keep)).delete()
    published = [
        f
        for f in run_checks(demo, 2025)
        if f.code == "published_mismatch" and "«Arrangementer»" in f.message
    ]
    assert bool(published) is finding
    if finding:
        assert f"er over 50, men registeret gir {registered}" in published[0].message


def test_it_finds_assignments_without_records_and_untagged_records(findings):
    empty = [f.message for f in findings if f.code == "assignment_without_records"]
    assert any("3.4 «BrukerPlan»" in m for m in empty)
    assert not any("3.1.1 " in m for m in empty)
    assert not any("Oppdrag 3.1 " in m for m in empty)  # its sub-assignments have records
    untagged = {
        f.records[0].description.split(" · ")[0]: f
        for f in findings
        if f.code == "untagged_records"
    }
    assert len(untagged["Arrangement"].records) == 25


def test_it_finds_empty_assessment_blocks(findings):
    empty = [f for f in findings if f.code == "empty_assessment"]
    assert any("3.1.1" in f.message for f in empty)
    assert any("forordet" in f.message for f in empty)


def test_empty_text_slots_in_2a_to_2f_the_references_and_the_form_are_found(demo):
    def places():
        return {
            f.records[0].uid: f.message
            for f in run_checks(demo, 2025)
            if f.code == "empty_assessment"
        }

    empty = places()
    assert "Vurderingsteksten mangler i kapittel 2a" in empty["focus:a"]
    assert {f"focus:{letter}" for letter in "abcdef"} <= set(empty)
    assert "references" in empty
    assert "spørsmål 3 i måloppnåelsesskjemaet" in empty["questionnaire:3"]
    assert {f"questionnaire:{n}" for n in range(1, 9)} <= set(empty)
    for kind in ("activities", "results"):
        save_assessment(center=demo, year=2025, kind=kind, section_key="focus:a", text="Tekst.")
    save_assessment(center=demo, year=2025, kind="text", section_key="references", text="Ref.")
    save_assessment(
        center=demo, year=2025, kind="questionnaire", section_key="questionnaire:3", text="Ja."
    )
    assert not {"focus:a", "references", "questionnaire:3"} & set(places())


def test_it_finds_a_date_in_the_text_that_disagrees_with_the_registered_record(demo):
    assignment = Assignment.objects.get(center=demo, year=2025, number="3.3")
    save_assessment(
        center=demo,
        year=2025,
        kind="activities",
        assignment=assignment,
        text=(
            "Vi sendte Høringsinnspill fra NAPHA - NOU 2025: 8 Folkehelse – verdier, kunnskap og "
            "prioritering den 9.12.2025."
        ),
    )
    mismatch = [f for f in run_checks(demo, 2025) if f.code == "date_mismatch"]
    assert len(mismatch) == 1
    assert "9.12.2025" in mismatch[0].message and "19.12.2025" in mismatch[0].message


def test_it_finds_two_records_of_the_same_thing_with_different_dates(center):
    ConsultationResponse.objects.create(
        center=center, year=2025, title="Svar på høring om X", date=dt.date(2025, 12, 9)
    )
    Event.objects.create(
        center=center,
        year=2025,
        theme="T",
        title="Svar på høring om X",
        date_start=dt.date(2025, 12, 19),
    )
    mismatch = [f for f in run_checks(center, 2025) if f.code == "date_mismatch"]
    assert len(mismatch) == 1
    assert len(mismatch[0].records) == 2


def test_it_finds_a_stale_cross_reference_in_staff_text(demo):
    save_assessment(
        center=demo,
        year=2025,
        kind="overall",
        section_key="overall:b",
        text="Se [[ref:assignment:3.11]].",
    )
    stale = [f for f in run_checks(demo, 2025) if f.code == "stale_reference"]
    assert len(stale) == 1
    assert "assignment:3.11" in stale[0].message


def test_a_centre_with_no_records_gets_findings_not_an_error(center):
    findings = run_checks(center, 2031)
    assert "probable_duplicate" not in codes(findings)
    assert "empty_assessment" in codes(findings)


def test_the_check_command_prints_findings_as_json(demo):
    out = StringIO()
    call_command("check_report", "2025", "--center", "napha", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {"code", "severity", "message", "records", "fix"} <= set(data[0])
    assert "probable_duplicate" in [f["code"] for f in data]
    duplicate = next(f for f in data if f["code"] == "probable_duplicate")
    assert all(set(r) == {"uid", "description"} for r in duplicate["records"])


def test_the_check_command_prints_readable_findings(demo):
    out = StringIO()
    call_command("check_report", "2025", "--center", "napha", stdout=out)
    assert "Feil: 2 arrangementer har samme dato" in out.getvalue()
    assert "Slik retter du:" in out.getvalue()


def test_the_check_command_lists_the_hours_differences_of_appendices_7_and_8(full_demo):
    from oppdrag.hours.tables import reconciliation

    out = StringIO()
    call_command("check_report", "2025", "--center", "napha", "--json", stdout=out)
    hours = [f for f in json.loads(out.getvalue()) if f["code"] == "hours_mismatch"]
    assert len(hours) == len(reconciliation(full_demo, 2025)) == 14
    messages = [f["message"] for f in hours]
    assert (
        "Publisert timer for «Boligsosialt arbeid» er 1649, men timene og ansattregisteret "
        "gir 1650 (differanse 1)." in messages
    )
    assert any("«Sum timer, ansatte i andre avdelinger» er 2265" in m for m in messages)


def test_findings_name_figures_and_severities_in_norwegian_not_internal_keys(demo):
    out = StringIO()
    call_command("check_report", "2025", "--center", "napha", stdout=out)
    text = out.getvalue()
    assert "Publisert tall for «Arrangementer» er 130" in text
    assert "Advarsel: " in text
    for internal in ("[error]", "[warning]", "«events»", "web_articles", "published_mismatch"):
        assert internal not in text
