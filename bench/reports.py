"""The annual report in every format for the demo year, and JSON/HTML at 20×.

Each format against the floor the benchmark issue names (see ``bench/rendering.py``):
JSON and HTML against a bare Django template rendering the same content, PDF against
Typst's own time for the report's Typst source read from a file, DOCX against python-docx
writing a static document of the same size.
"""

from __future__ import annotations

from typing import Any

from bench.run import OPTIONS, measurement

FLOORS = {
    "json": ("template", "bare template render of the same content"),
    "html": ("template", "bare template render of the same content"),
    "pdf": ("pdf", "Typst typesetting the report's own Typst source from a file"),
    "docx": ("docx", "python-docx writing a static document of the same size"),
}


def report_measures(
    database: str, scale: str, center: Any, year: int, formats: list[str]
) -> list[dict[str, Any]]:
    from bench.rendering import bench_render

    render = bench_render(center, year, formats=formats)
    results = []
    for fmt in formats:
        floor, floor_name = FLOORS[fmt]
        results.append(
            measurement(
                f"report_{fmt}",
                database,
                scale,
                render["build"] + render[fmt],
                floor_name,
                render[f"floor_{floor}"],
                queries=render["queries"],
                # CPU seconds of the benchmark process (SQLite and Typst run in it,
                # the PostgreSQL server does not): steadier than wall time under load.
                cpu_ratio=round(
                    (render["build_cpu"] + render[f"{fmt}_cpu"]) / render[f"floor_{floor}_cpu"], 3
                ),
                build_s=round(render["build"], 6),
                build_cold_s=round(render["build_cold"], 6),
                render_s=round(render[fmt], 6),
                bytes=render["bytes"][fmt],
                floor_bytes=render[f"floor_{floor}_bytes"],
            )
        )
    return results


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
