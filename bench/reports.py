"""The annual report in every format for the demo year, and JSON/HTML at 20×.

Against a bare template render of a page with the same tables (the floor).
"""

from __future__ import annotations

from typing import Any

from bench.run import OPTIONS, measurement


def report_measures(
    database: str, scale: str, center: Any, year: int, formats: list[str]
) -> list[dict[str, Any]]:
    from oppdrag.reports.bench import bench_render

    render = bench_render(center, year, formats=formats)
    return [
        measurement(
            f"report_{fmt}",
            database,
            scale,
            render["build"] + render[fmt],
            "bare template render of the same tables",
            render["floor_template"],
            queries=render["queries"],
        )
        for fmt in formats
    ]


def measure(database: str) -> list[dict[str, Any]]:
    from oppdrag.core.demo import load_demo
    from oppdrag.core.models import Center
    from oppdrag.figures.scale import multiply

    load_demo()
    center = Center.objects.get(slug="napha")
    results = []
    if "1x" in OPTIONS.scales:
        formats = ["json", "html"] if OPTIONS.quick else ["json", "html", "docx", "pdf"]
        results.extend(report_measures(database, "1x", center, 2025, formats))
    if "20x" in OPTIONS.scales:
        multiply(center, 2025, 20)
        results.extend(report_measures(database, "20x", center, 2025, ["json", "html"]))
    return results
