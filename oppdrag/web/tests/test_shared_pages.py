"""The shared and submitted pages take a fixed number of queries as their rows grow."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.core.models import Center
from oppdrag.reports.submission import submit_report
from oppdrag.teams import services
from oppdrag.teams.tests.factories import all_items, dacts, team


def share_more(source, target, start, count):
    version = dacts(source)
    for number in range(start, start + count):
        services.record_review(
            center=source,
            team=team(source, f"Team {number}"),
            date=dt.date(2025, 1, 1) + dt.timedelta(days=number),
            scale_version=version,
            consensus=all_items(version, 3),
            status="completed",
            agreement_signed_on=dt.date(2024, 1, 1),
            dpo_approved_on=dt.date(2024, 2, 1),
            shared_with=[target],
        )
        group = m.Group.objects.create(
            center=source, year=2025, name=f"Nett {number}", role="leder"
        )
        group.shared_with.add(target)
        for day in range(3):
            day_date = dt.date(2025, 3, day + 1)
            m.GroupMeeting.objects.create(center=source, group=group, date=day_date)


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_shared_list_takes_the_same_queries_for_more_rows(client, make_center, make_user):
    napha, third = make_center("napha"), make_center("rvts-ost")
    client.force_login(make_user("partner", napha, "partner"))
    share_more(third, napha, 0, 1)
    small = queries(client, "/napha/delt/")
    share_more(third, napha, 1, 5)
    page = client.get("/napha/delt/").content.decode()
    assert page.count("/napha/delt/malinger/") == 6 and page.count("/napha/delt/grupper/") == 6
    assert queries(client, "/napha/delt/") == small


def test_the_grantor_pages_take_the_same_queries_for_more_reports(client, make_center, make_user):
    hdir = make_center("hdir")
    hdir.kind = Center.Kind.GRANTOR
    hdir.save()
    client.force_login(make_user("hdir-leser", hdir, "grantor"))
    centres = [make_center(f"senter-{n}") for n in range(6)]
    submit_report(center=centres[0], year=2025, user=None)
    small = {u: queries(client, u) for u in ("/hdir/innsendte/", "/hdir/innsendte/sammenligning/")}
    for centre in centres[1:]:
        m.Event.objects.create(center=centre, year=2025, theme="T", title="Dag")
        submit_report(center=centre, year=2025, user=None)
        submit_report(center=centre, year=2024, user=None)
    for url, count in small.items():
        assert queries(client, url) == count, url
    rows = client.get("/hdir/innsendte/sammenligning/").context["rows"]
    assert len(rows) == 11
