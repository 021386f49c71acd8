"""Imported hours in the back-office: read only, per centre, entries in Norwegian."""

from __future__ import annotations

from django.urls import reverse

from oppdrag.hours.importers import HoursImporter
from oppdrag.hours.models import TimeSeries
from tests.files import write_table


def test_a_series_shows_its_entries_read_only_and_only_to_its_centre(
    setup, other_center, make_user, client, tmp_path
):
    rows = [
        ["Person", "Prosjektnummer", "Periode", "Timer"],
        ["Kari Nordmann", "100", "03.03.2025", "7,5"],
        ["Kari Nordmann", "100", "2025-W11", "10"],
    ]
    assert HoursImporter(setup, 2025).run(write_table(tmp_path, "t.csv", rows)).ok
    series = TimeSeries.objects.get()
    user = make_user("kontor", setup)
    user.is_staff = True
    user.save()
    client.force_login(user)
    change = reverse("admin:hours_timeseries_change", args=[series.pk])
    body = client.get(change, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "03.03.2025: 7,5" in body and "10.03.2025–16.03.2025: 10" in body
    assert 'name="_save"' not in body  # nothing to change
    assert client.post(change, {"hours": "1"}).status_code == 403
    assert TimeSeries.objects.get().hours == series.hours
    history = reverse("admin:hours_timeseries_history", args=[series.pk])
    assert client.get(history).status_code == 200
    # Another centre's administrator does not see it.
    outsider = make_user("ute", other_center)
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(change).status_code in (302, 404)
    listing = client.get(reverse("admin:hours_timeseries_changelist")).content.decode()
    assert "ACT opplæring" not in listing
