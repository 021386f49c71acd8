"""The report texts' progress on the dashboard: slots and words per status and owner,
and the days left to the grant's report deadline."""

from __future__ import annotations

import datetime as dt

from oppdrag.core.models import Membership, Person
from oppdrag.grants.models import Grant, GrantDate
from oppdrag.reports.progress import report_progress
from oppdrag.reports.services import assign_slot, save_assessment
from oppdrag.reports.slots import slots


def write(center, key, text, status="draft", owner=None):
    section, kind = {
        "foreword": ("foreword", "foreword"),
        "overall:a": ("overall:a", "overall"),
        "overall:b": ("overall:b", "overall"),
    }[key]
    block = save_assessment(
        center=center, year=2025, kind=kind, section_key=section, text=text, status=status
    )
    if owner is not None:
        assign_slot(block=block, owner=owner, due_on=None, user=None)
    return block


def test_it_counts_slots_and_words_per_status_and_owner(center):
    kari = Person.objects.create(center=center, name="Kari", is_staff_member=True)
    write(center, "foreword", "Tre ord her", "approved", owner=kari)
    write(center, "overall:a", "To ord", "ready", owner=kari)
    write(center, "overall:b", "Ett", "draft")
    progress = report_progress(center, 2025, dt.date(2026, 1, 1))
    total = len(slots(center, 2025))
    assert progress.by_status == [
        ("Ikke påbegynt", total - 3, 0),
        ("Utkast", 1, 1),
        ("Klar", 1, 2),
        ("Godkjent", 1, 3),
    ]
    kari_row, unowned = progress.by_owner
    assert (kari_row.label, kari_row.cells, kari_row.words) == ("Kari", [0, 0, 1, 1], 5)
    assert (unowned.label, unowned.cells, unowned.words) == (
        "Uten ansvarlig",
        [total - 3, 1, 0, 0],
        1,
    )
    assert progress.total.total == total and progress.deadline is None


def test_the_days_left_come_from_the_grants_report_deadline(center):
    grant = Grant.objects.create(center=center, year=2025)
    GrantDate.objects.create(
        center=center,
        grant=grant,
        kind="report_deadline",
        title="Årsrapport",
        date=dt.date(2026, 3, 1),
    )
    assert report_progress(center, 2025, dt.date(2026, 2, 19)).days_left == 10
    grant.report_deadline = dt.date(2026, 2, 20)
    grant.save()
    progress = report_progress(center, 2025, dt.date(2026, 2, 22))
    assert progress.deadline == dt.date(2026, 2, 20) and progress.days_overdue == 2


def test_the_dashboard_shows_the_progress(client, center, make_user):
    Grant.objects.create(center=center, year=2025, report_deadline=dt.date(2099, 3, 1))
    write(center, "foreword", "Forordet er skrevet.", "ready")
    client.force_login(make_user("leser", center, Membership.Role.READER))
    page = client.get("/napha/?year=2025").content.decode()
    assert "Tekstene i årsrapporten" in page
    assert "Frist for årsrapporten: 01.03.2099" in page
    assert '<th scope="row">Uten ansvarlig</th>' in page
