"""The dashboard: the year in view, records by their own date, undated records, and each
data-quality finding linked to the page where it is fixed."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.reports.tree import Finding, RecordRef
from oppdrag.web.findings import fix_link


@pytest.fixture
def reader(center, make_user):
    return make_user("leser", center, Membership.Role.READER)


UID = "11425701-8e2e-4a0a-9ca5-3aba12e84831"  # fixed: xdist workers must collect the same ids


def finding(code="x", *records):
    return Finding(code=code, severity="warning", message="M", records=list(records))


@pytest.mark.parametrize(
    ("found", "url", "label"),
    [
        (
            finding("probable_duplicate", RecordRef(UID, "A", "events")),
            f"/napha/arrangementer/{UID}/endre/",
            "Rett arrangementet",
        ),
        (
            finding("date_mismatch", RecordRef(UID, "P", "presentations")),
            f"/napha/presentasjoner/{UID}/",
            "Åpne registreringen",
        ),
        (
            finding("untagged_records", RecordRef(UID, "M", "media_appearances")),
            f"/napha/medieoppslag/{UID}/",
            "Åpne registreringen",
        ),
        (
            finding("empty_assessment", RecordRef("foreword", "forordet", "text_slot")),
            "/napha/rapport/2025/skriv/",
            "Skriv teksten",
        ),
        (
            finding("assignment_without_records", RecordRef(UID, "2.1", "assignment")),
            "/napha/tilskudd/2025/",
            "Åpne tilskuddet",
        ),
        (finding("hours_mismatch"), "/napha/timer/2025/", "Åpne timene"),
        (finding("published_mismatch"), "/napha/rapport/2025/", "Se funnet i årsrapporten"),
        # Read back from JSON a record has no kind: the report lists it with its advice.
        (finding("probable_duplicate", RecordRef(UID, "A")), "/napha/rapport/2025/", None),
    ],
)
def test_each_finding_links_to_the_page_where_it_is_fixed(found, url, label):
    link = fix_link(found, "napha", 2025)
    assert link.url == url
    assert label is None or link.label == label
    assert (link.message, link.severity) == ("M", "warning")


def test_the_checks_name_the_kind_of_every_record_they_find(demo):
    from oppdrag.reports.checks import run_checks

    records = [r for f in run_checks(demo, 2025) for r in f.records]
    assert records, "the demo year has findings with records"
    assert {r.kind for r in records} <= {
        "events",
        "presentations",
        "op_eds",
        "consultation_responses",
        "publications",
        "media_appearances",
        "groups",
        "web_articles",
        "advice_requests",
        "assignment",
        "text_slot",
    }
    assert "" not in {r.kind for r in records}


def test_the_dashboard_lists_findings_errors_first_each_with_its_link(client, demo, make_user):
    client.force_login(make_user("redaktor", demo, Membership.Role.EDITOR))
    page = client.get("/napha/", {"year": 2025}).content.decode()
    section = page[page.index('id="funn"') : page.index('id="registre"')]
    items = section.split("<li>")[1:]
    assert items and all('<a class="ds-link" href="/napha/' in item for item in items)
    # The demo year has events registered twice: an error, listed first, linked to the form.
    assert items[0].startswith("<strong>Feil:</strong>")
    assert "/endre/" in items[0] and "Rett arrangementet" in items[0]
    assert "/napha/rapport/2025/skriv/" in section


def test_the_dashboard_opens_at_the_year_in_view(client, center, reader):
    client.force_login(reader)
    year = timezone.localdate().year
    assert f"NAPHA – året {year}" in client.get("/napha/").content.decode()
    client.post("/napha/aar/", {"year": "2024", "neste": "/napha/"})
    assert "NAPHA – året 2024" in client.get("/napha/").content.decode()


def test_to_date_figures_only_for_the_current_year(client, center, reader):
    client.force_login(reader)
    year = timezone.localdate().year
    assert 'id="hittil"' in client.get("/napha/", {"year": year}).content.decode()
    assert 'id="hittil"' not in client.get("/napha/", {"year": year - 1}).content.decode()


def test_last_year_is_compared_only_when_it_has_records(client, center, reader):
    m.Event.objects.create(center=center, year=2024, theme="T", title="Nå")
    client.force_login(reader)
    alone = client.get("/napha/", {"year": 2024}).content.decode()
    figures = alone[alone.index('id="nokkeltall"') : alone.index('id="dekning"')]
    assert "2023 har ingen registreringer å sammenligne med" in figures
    assert "Endring" not in figures and ">2023<" not in figures
    m.Event.objects.create(center=center, year=2023, theme="T", title="Før")
    cache.clear()
    both = client.get("/napha/", {"year": 2024}).content.decode()
    figures = both[both.index('id="nokkeltall"') : both.index('id="dekning"')]
    assert "Registrerte poster 2024 mot 2023" in figures and "Endring" in figures


def test_the_latest_activities_go_by_their_own_date_not_when_they_were_typed(
    client, center, reader
):
    today = timezone.localdate()
    year = today.year
    old = m.Event.objects.create(
        center=center, year=year, theme="T", title="Gammel", date_start=dt.date(year, 1, 2)
    )
    m.Presentation.objects.create(
        center=center, year=year, title="Nyere foredrag", kind="Foredrag", date=dt.date(year, 1, 5)
    )
    m.AdviceRequest.objects.create(
        center=center, year=year, channel="Telefon", topic="Råd om bolig", date=dt.date(year, 1, 3)
    )
    m.Event.objects.create(center=center, year=year, theme="T", title="Udatert")
    # Typed in last, dated first: it comes last.
    m.Event.objects.filter(pk=old.pk).update(created_at=timezone.now() + dt.timedelta(days=1))
    client.force_login(reader)
    page = client.get("/napha/").content.decode()
    latest = page[page.index('id="siste"') :]
    titles = ["Nyere foredrag", "Råd om bolig", "Gammel"]
    positions = [latest.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "Udatert" not in latest
    assert dt.date(year, 1, 5).strftime("%d.%m.%Y") in latest
    assert f'href="/napha/arrangementer/{old.uid}/"' in latest


def test_the_dashboard_says_how_many_records_lack_a_date(client, center, reader):
    m.Event.objects.create(center=center, year=2024, theme="T", title="A")
    m.Event.objects.create(center=center, year=2024, theme="T", title="B")
    m.OpEd.objects.create(
        center=center, year=2024, title="C", kind="Kronikk", outlet="Avis", date=dt.date(2024, 3, 1)
    )
    client.force_login(reader)
    page = client.get("/napha/", {"year": 2024}).content.decode()
    assert "2 av 3 registreringer i 2024 mangler dato." in page
    m.Event.objects.filter(center=center).update(date_start=dt.date(2024, 5, 1))
    page = client.get("/napha/", {"year": 2024}).content.decode()
    assert "Alle registreringer i 2024 har dato." in page
