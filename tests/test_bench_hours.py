"""The hours benchmark's generated export: every row imports, and its centre goes after."""

from __future__ import annotations

from bench import hours_export
from oppdrag.core.models import Center
from oppdrag.hours.importers import HoursImporter
from oppdrag.hours.models import TimeEntry


def test_the_generated_export_imports_every_row_and_the_centre_is_removed_after(db, tmp_path):
    center = hours_export.setup_center(people=20, projects=10)
    path = tmp_path / "timer.csv"
    hours_export.write_export(path, 2_000, people=20, projects=10)
    result = HoursImporter(center, hours_export.YEAR).run(path)
    assert result.ok, result.problems[:3]
    assert result.added == 2_000
    hours_export.teardown_center()
    assert not Center.objects.filter(slug=hours_export.BENCH_SLUG).exists()
    assert not TimeEntry.objects.exists()


def test_an_export_larger_than_the_people_can_book_is_refused(tmp_path):
    days = len(hours_export.working_days(hours_export.YEAR))
    try:
        hours_export.write_export(tmp_path / "timer.csv", 3 * days + 1, people=1, projects=3)
    except ValueError as error:
        assert "øk «people»" in str(error)
    else:
        raise AssertionError("an impossible export was written")
