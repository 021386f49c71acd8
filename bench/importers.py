"""Importer throughput (events, hours) against merely reading the same file with csv."""

from __future__ import annotations

import csv
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.run import OPTIONS, measurement, timed


def measure(database: str) -> list[dict[str, Any]]:
    from oppdrag.activities.importers import IMPORTERS
    from oppdrag.core.demo import DEMO_DIR, load_demo
    from oppdrag.core.models import Center
    from oppdrag.hours.bench import bench_hours_import
    from oppdrag.importing.readers import write_csv

    load_demo(registries_only=True)
    center = Center.objects.get(slug="napha")
    count = 2_000 if OPTIONS.quick else OPTIONS.rows
    hours_rows = 5_000 if OPTIONS.quick else OPTIONS.hours_rows
    results = []
    with (DEMO_DIR / "events.csv").open(encoding="utf-8-sig", newline="") as handle:
        source = list(csv.reader(handle, delimiter=";"))
    header, body = source[0], source[1:]
    nr = header.index("Nr")
    rows = [header]
    for i in range(count):
        row = list(body[i % len(body)])
        row[nr] = f"B-{i:06d}"
        rows.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        path.write_bytes(write_csv(rows))

        def read_floor() -> None:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for _row in csv.reader(handle, delimiter=";"):
                    pass

        floor = timed(read_floor, repeat=3)
        start = time.perf_counter()
        dry = IMPORTERS["events"](center, 2025).run(path, dry_run=True)
        validate = time.perf_counter() - start
        assert dry.ok, dry.problems[:3]
        start = time.perf_counter()
        result = IMPORTERS["events"](center, 2025).run(path)
        wall = time.perf_counter() - start
        assert result.ok, result.problems[:3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results.append(
        measurement(
            "import_events_validate",
            database,
            f"{count} rows",
            validate,
            "csv.reader read",
            floor,
            rows_per_s=round(count / validate),
        )
    )
    results.append(
        measurement(
            "import_events_save",
            database,
            f"{count} rows",
            wall,
            "csv.reader read",
            floor,
            rows_per_s=round(count / wall),
            peak_rss_mb=round(peak / 1024, 1),
        )
    )
    hours = bench_hours_import(hours_rows)
    results.append(
        measurement(
            "import_hours",
            database,
            f"{hours_rows} rows",
            hours["import_s"],
            hours["floor_name"],
            hours["floor_s"],
            rows_per_s=round(hours_rows / hours["import_s"]),
        )
    )
    return results
