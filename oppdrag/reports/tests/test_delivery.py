"""Delivering the annual report: a confirmation page first, then a read-only version."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.core.models import Membership, ReportingYear
from oppdrag.reports.models import AssessmentBlock, SubmittedReport
from oppdrag.reports.services import save_assessment
from oppdrag.reports.submission import YearDelivered, submit_report

SUBMIT = "/napha/rapport/2025/lever/"


@pytest.fixture
def admin(center, make_user):
    return make_user("leder", center, Membership.Role.ADMIN)


def duplicate_events(center):
    """Two events on one day with one participant count: an open finding (an error)."""
    import datetime as dt

    for title in ("Fagdag", "Fagdag igjen"):
        m.Event.objects.create(
            center=center,
            year=2025,
            theme="Bolig",
            title=title,
            date_start=dt.date(2025, 5, 6),
            participants=30,
        )


def test_the_confirmation_lists_the_open_findings_and_the_texts_not_approved(client, center, admin):
    duplicate_events(center)
    save_assessment(
        center=center,
        year=2025,
        kind="foreword",
        section_key="foreword",
        text="Forord.",
        user=admin,
    )
    client.force_login(admin)
    page = client.get(SUBMIT).content.decode()
    assert "har samme dato (06.05.2025) og samme deltakertall (30)" in page
    assert '<th scope="row">Forord</th><td>Utkast</td>' in page
    assert "Ikke påbegynt" in page
    assert 'name="confirm"' in page
    assert not SubmittedReport.objects.exists()


def test_nothing_is_delivered_without_the_confirmation(client, center, admin):
    duplicate_events(center)
    client.force_login(admin)
    response = client.post(SUBMIT, {})
    assert response.status_code == 400
    assert "Kryss av for at du har sett gjennom listen" in response.content.decode()
    assert not SubmittedReport.objects.exists()
    assert not ReportingYear.objects.filter(center=center, year=2025, status="submitted").exists()

    assert client.post(SUBMIT, {"confirm": "yes"}).status_code == 302
    assert SubmittedReport.objects.get(center=center, year=2025).version == 1


def test_a_delivered_year_is_read_only_until_a_new_version_is_started(client, center, admin):
    block = save_assessment(
        center=center,
        year=2025,
        kind="foreword",
        section_key="foreword",
        text="Levert.",
        user=admin,
    )
    client.force_login(admin)
    client.post(SUBMIT, {"confirm": "yes"})
    with pytest.raises(YearDelivered):
        save_assessment(
            center=center, year=2025, kind="foreword", section_key="foreword", text="Nytt."
        )
    response = client.post(
        "/napha/rapport/2025/gjennomgang/foreword/", {"action": "ready"}, follow=True
    )
    assert "Start en ny versjon av rapporten for å endre dem" in response.content.decode()
    assert AssessmentBlock.objects.get(pk=block.pk).status == "draft"
    # Delivering again needs a new version first.
    assert client.post(SUBMIT, {"confirm": "yes", "note": "x"}).status_code == 200
    assert SubmittedReport.objects.count() == 1

    assert "Start en ny versjon" in client.get("/napha/rapport/2025/").content.decode()
    client.post("/napha/rapport/2025/ny-versjon/")
    save_assessment(
        center=center,
        year=2025,
        kind="foreword",
        section_key="foreword",
        text="Rettet.",
        user=admin,
    )
    delivered = str(SubmittedReport.objects.get().tree)
    assert "Levert." in delivered and "Rettet." not in delivered


def test_a_new_delivery_is_a_new_version_with_a_note(client, center, admin):
    client.force_login(admin)
    client.post(SUBMIT, {"confirm": "yes"})
    client.post("/napha/rapport/2025/ny-versjon/")
    response = client.post(SUBMIT, {"confirm": "yes", "note": ""})
    assert response.status_code == 400
    assert "Skriv hva som er endret siden versjon 1." in response.content.decode()
    client.post(SUBMIT, {"confirm": "yes", "note": "Rettet deltakertallet i 3.1."})
    second = SubmittedReport.objects.get(center=center, year=2025, version=2)
    assert second.note == "Rettet deltakertallet i 3.1." and second.submitted_by == admin
    overview = client.get("/napha/rapport/2025/").content.decode()
    assert "Rettet deltakertallet i 3.1." in overview


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_only_an_administrator_sees_the_delivery_page_or_starts_a_version(
    client, center, make_user, role
):
    submit_report(center=center, year=2025, user=None)
    client.force_login(make_user(role, center, role))
    assert client.get(SUBMIT).status_code == 403
    assert client.post("/napha/rapport/2025/ny-versjon/").status_code == 403
    assert ReportingYear.objects.get(center=center, year=2025).status == "submitted"


def test_the_delivery_page_takes_the_same_queries_for_20_times_the_data(client, demo, make_user):
    from oppdrag.figures.scale import multiply
    from oppdrag.reports.demo import load_reports_demo

    admin = make_user("leder", demo, Membership.Role.ADMIN)
    load_reports_demo(demo, admin)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as small:
        assert client.get(SUBMIT).status_code == 200
    multiply(demo, 2025, 20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(SUBMIT).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]


def test_the_writing_page_and_the_importer_refuse_a_delivered_year(center, admin, tmp_path):
    from oppdrag.reports.importers import AssessmentImporter
    from oppdrag.reports.services import add_theme, version_of, write_slot

    submit_report(center=center, year=2025, user=admin)
    with pytest.raises(YearDelivered):
        write_slot(
            center=center,
            year=2025,
            key="foreword",
            text="Nytt forord.",
            user=admin,
            version=version_of(None),
        )
    with pytest.raises(YearDelivered):
        add_theme(center=center, year=2025, area_code="a", title="Tema", user=admin)
    csv = tmp_path / "tekster.csv"
    csv.write_text("Kapittel;Type;Status;Tekst\nforeword;foreword;draft;Nytt forord.\n")
    result = AssessmentImporter(center, 2025, admin).run(csv)
    assert not result.ok and "er levert" in str(result.problems[0])
    assert not AssessmentBlock.objects.filter(center=center).exists()
