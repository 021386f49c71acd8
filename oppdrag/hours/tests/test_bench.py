"""The hours benchmark runs and reports the import against the csv floor."""

from __future__ import annotations

from oppdrag.core.models import Center
from oppdrag.hours.bench import bench_hours_import


def test_the_benchmark_imports_every_row_and_reports_the_floor(db):
    result = bench_hours_import(2_000, people=20, projects=10)
    assert result["rows_read"] == result["added"] == 2_000
    assert result["import_s"] > 0 and result["floor_s"] > 0
    assert not Center.objects.filter(slug="bench-hours").exists()
