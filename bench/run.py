"""One database's measurements; called by ``python -m bench``. Prints JSON."""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django


def timed(function: Callable[[], Any], repeat: int = 5) -> float:
    """The median wall time of ``repeat`` runs (shared machines are noisy)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measurement(
    name: str, database: str, scale: str, wall: float, floor_name: str, floor: float, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "database": database,
        "scale": scale,
        "wall_s": round(wall, 6),
        "floor_name": floor_name,
        "floor_s": round(floor, 6),
        "ratio": round(wall / floor, 3) if floor else None,
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--hours-rows", type=int, default=200_000)
    args = parser.parse_args()
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oppdrag.activities.importers import IMPORTERS
    from oppdrag.activities.models import Event
    from oppdrag.core.demo import DEMO_DIR, load_demo
    from oppdrag.core.models import Center
    from oppdrag.figures.keyfigures import key_figures
    from oppdrag.figures.scale import multiply
    from oppdrag.importing.readers import write_csv

    results = []
    db = args.database
    call_command("migrate", verbosity=0)

    def read_demo_files() -> None:
        for path in DEMO_DIR.glob("*.csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for _row in csv.reader(handle, delimiter=";"):
                    pass

    start = time.perf_counter()
    load_demo()
    wall = time.perf_counter() - start
    results.append(
        measurement(
            "load_demo", db, "1x", wall, "csv.reader read of the demo files", timed(read_demo_files)
        )
    )
    center = Center.objects.get(slug="napha")

    def count_floor() -> None:
        Event.objects.filter(center=center, year=2025).count()

    for scale, factor in (("1x", 1), ("20x", 20)):
        if factor > 1:
            multiply(center, 2025, factor)
        connection.queries_log.clear()  # a bounded deque: a full one would count nothing
        with CaptureQueriesContext(connection) as captured:
            key_figures(center, 2025)
        wall = timed(lambda: key_figures(center, 2025))
        floor = timed(count_floor, repeat=20)
        results.append(
            measurement(
                "key_figures", db, scale, wall, "one COUNT on events", floor, queries=len(captured)
            )
        )

    # Importer throughput against merely reading the same file with the csv module.
    source = list(csv.reader((DEMO_DIR / "events.csv").open(encoding="utf-8-sig"), delimiter=";"))
    header, body = source[0], source[1:]
    nr = header.index("Nr")
    rows = [header]
    for i in range(args.rows):
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
        importer = IMPORTERS["events"](center, 2025)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        dry = importer.run(path, dry_run=True)
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
                db,
                f"{args.rows} rows",
                validate,
                "csv.reader read",
                floor,
                rows_per_s=round(args.rows / validate),
            )
        )
        results.append(
            measurement(
                "import_events_save",
                db,
                f"{args.rows} rows",
                wall,
                "csv.reader read",
                floor,
                rows_per_s=round(args.rows / wall),
                peak_rss_mb=round(max(peak, before) / 1024, 1),
            )
        )
    # Hours import (appendix 7's source) against reading the export with csv.
    from oppdrag.hours.bench import bench_hours_import

    hours = bench_hours_import(args.hours_rows)
    results.append(
        measurement(
            "import_hours",
            db,
            f"{args.hours_rows} rows",
            hours["import_s"],
            hours["floor_name"],
            hours["floor_s"],
            rows_per_s=round(args.hours_rows / hours["import_s"]),
        )
    )

    # Parsing the seed grant letter against merely splitting the same text into lines.
    from oppdrag.grants.bench import SEED_LETTER, bench_parse_seed

    text = SEED_LETTER.read_text(encoding="utf-8")
    results.append(
        measurement(
            "parse_grant_letter",
            db,
            "seed letter",
            bench_parse_seed(),
            "str.splitlines of the letter",
            timed(lambda: text.splitlines(), 20),
        )
    )
    # The annual report in every format for the demo year (its hours, teams and texts
    # loaded), against a bare template render of a page with the same tables.
    from oppdrag.reports.bench import bench_render

    load_demo()
    center = Center.objects.get(slug="napha")
    render = bench_render(center, 2025)
    for fmt in ("json", "html", "docx", "pdf"):
        results.append(
            measurement(
                f"report_{fmt}",
                db,
                "1x",
                render["build"] + render[fmt],
                "bare template render of the same tables",
                render["floor_template"],
                queries=render["queries"],
            )
        )
    multiply(center, 2025, 20)
    render20 = bench_render(center, 2025, formats=["json", "html"])
    for fmt in ("json", "html"):
        results.append(
            measurement(
                f"report_{fmt}",
                db,
                "20x",
                render20["build"] + render20[fmt],
                "bare template render of the same tables",
                render20["floor_template"],
                queries=render20["queries"],
            )
        )
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
