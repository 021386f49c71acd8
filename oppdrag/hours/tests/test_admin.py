"""Imported hours in the back-office: read only, per centre, one row per entry."""

from __future__ import annotations

from django.urls import reverse

from oppdrag.hours.importers import HoursImporter
from oppdrag.hours.models import TimeEntry
from tests.files import write_table


def test_an_entry_is_shown_read_only_and_only_to_its_centre(
    setup, other_center, make_user, client, tmp_path
):
    rows = [
        ["Person", "Prosjektnummer", "Periode", "Timer"],
        ["Kari Nordmann", "100", "03.03.2025", "7,5"],
        ["Kari Nordmann", "100", "2025-W11", "10"],
    ]
    assert HoursImporter(setup, 2025).run(write_table(tmp_path, "t.csv", rows)).ok
    week = TimeEntry.objects.get(start="2025-03-10")
    user = make_user("kontor", setup)
    user.is_staff = True
    user.save()
    client.force_login(user)
    listing = reverse("admin:hours_timeentry_changelist")
    body = client.get(listing, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "03.03.2025" in body and "16.03.2025" in body and "7,50" in body
    change = reverse("admin:hours_timeentry_change", args=[week.pk])
    body = client.get(change, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "16.03.2025" in body and 'name="_save"' not in body  # nothing to change
    assert client.post(change, {"hours": "1"}).status_code == 403
    assert TimeEntry.objects.get(pk=week.pk).hours == 10
    history = reverse("admin:hours_timeentry_history", args=[week.pk])
    assert client.get(history).status_code == 200
    # Another centre's administrator does not see it.
    outsider = make_user("ute", other_center)
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(change).status_code in (302, 404)
    listing_body = client.get(listing).content.decode()
    assert "ACT opplæring" not in listing_body and "16.03.2025" not in listing_body
