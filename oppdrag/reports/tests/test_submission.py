"""Submitting the annual report: a snapshot per version, read back by the grantor."""

import pytest

from oppdrag.activities import models as m
from oppdrag.core.models import Center, ReportingYear
from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report
from oppdrag.reports.models import SubmittedReport
from oppdrag.reports.renderers.html import render_html
from oppdrag.reports.submission import comparison, latest_submissions, submit_report


@pytest.fixture
def grantor(make_center, make_user):
    hdir = make_center("hdir", "Helsedirektoratet")
    hdir.kind = Center.Kind.GRANTOR
    hdir.save()
    return make_user("tilskudd", hdir, "grantor")


def test_the_json_tree_renders_back_to_the_same_html(demo):
    report = build_report(demo, 2025, include_findings=False)
    again = t.report_from_json(report.to_json())
    assert render_html(again) == render_html(report)
    assert again.to_json() == report.to_json()


def test_submitting_keeps_what_was_delivered_and_a_resubmission_is_a_new_version(
    client, center, make_user, grantor
):
    admin = make_user("admin", center, "admin")
    m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Første fagdag")
    client.force_login(admin)
    response = client.post("/napha/rapport/2025/lever/", {"confirm": "yes"})
    assert response.status_code == 302
    first = SubmittedReport.objects.get(center=center, year=2025)
    assert first.version == 1 and first.submitted_by == admin
    assert ReportingYear.objects.get(center=center, year=2025).status == "submitted"
    assert "Versjon 1 levert" in client.get("/napha/rapport/2025/").content.decode()

    # Editing after submission does not change what the grantor reads.
    m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Etterregistrert")
    client.force_login(grantor)
    delivered = client.get(f"/hdir/innsendte/{first.uid}/").content.decode()
    figures = t.key_figures_of(t.report_from_json(first.tree))
    assert figures["events"].value == 1
    assert "Etterregistrert" not in delivered

    client.force_login(admin)
    client.post("/napha/rapport/2025/ny-versjon/")
    client.post("/napha/rapport/2025/lever/", {"confirm": "yes", "note": "Ett arrangement til."})
    second = SubmittedReport.objects.get(center=center, year=2025, version=2)
    assert t.key_figures_of(t.report_from_json(second.tree))["events"].value == 2
    assert list(latest_submissions()) == [second]
    client.force_login(grantor)
    assert client.get(f"/hdir/innsendte/{first.uid}/").status_code == 404
    assert client.get(f"/hdir/innsendte/{second.uid}/").status_code == 200


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_only_a_centre_administrator_submits(client, center, make_user, role):
    client.force_login(make_user(role, center, role))
    assert client.post("/napha/rapport/2025/lever/").status_code == 403
    assert not SubmittedReport.objects.exists()
    assert "Lever rapport" not in client.get("/napha/rapport/2025/").content.decode()


def test_a_draft_year_is_invisible_to_the_grantor(client, center, make_user, grantor):
    m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Utkastdag")
    ReportingYear.objects.create(center=center, year=2025, status="reporting")
    client.force_login(grantor)
    page = client.get("/hdir/innsendte/").content.decode()
    assert "Ingen sentre har levert årsrapport ennå." in page
    assert "NAPHA" not in page
    assert client.get("/napha/rapport/2025/forhandsvisning/").status_code == 404
    comparison_page = client.get("/hdir/innsendte/sammenligning/").content.decode()
    assert "Ingen sentre har levert årsrapport ennå." in comparison_page


def test_the_comparison_takes_each_figure_from_the_snapshots(center, make_center, make_user):
    other = make_center("korus-oslo")
    admin = make_user("admin", center, "admin")
    for number in range(3):
        m.Event.objects.create(center=center, year=2025, theme="T", title=f"N{number}")
    m.Event.objects.create(center=other, year=2024, theme="T", title="K", participants=40)
    submit_report(center=center, year=2025, user=admin)
    submit_report(center=other, year=2024, user=None)
    m.Event.objects.create(center=center, year=2025, theme="T", title="Etter levering")
    columns, rows = comparison(list(latest_submissions()))
    # The centres' key figures as they chose them (here the default, NAPHA's).
    assert columns[:2] == ["Arrangementer", "Presentasjoner"]
    by_centre = {(row[0], row[1]): row[2:] for row in rows}
    assert by_centre[("NAPHA", 2025)][:2] == [3, None]  # none registered: no figure
    assert by_centre[("KORUS-OSLO", 2024)][:2] == [1, None]


def test_a_grantor_does_not_submit(make_center):
    from oppdrag.reports.submission import NotSubmittable

    hdir = make_center("hdir")
    hdir.kind = Center.Kind.GRANTOR
    with pytest.raises(NotSubmittable):
        submit_report(center=hdir, year=2025, user=None)
