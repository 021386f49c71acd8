"""The annual report in every format for the demo year, and JSON/HTML at 20×.

Each format against the floor the benchmark issue names (see ``bench/rendering.py``):
JSON and HTML against a bare Django template rendering the same content, PDF against
Typst's own time for the report's Typst source read from a file, DOCX against python-docx
writing a static document of the same size.

``report_<format>_cached``: the next download of an unchanged report (the file kept
under the centre's data version), through the whole request as a signed-in user, against
reading the stored file from the database; the target is under 200 ms.
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


def cached_download(database: str, scale: str, center: Any, year: int, fmt: str) -> dict[str, Any]:
    """The second download of an unchanged report: served from the stored document."""
    import time

    from bench.pages import queries_of, signed_in_client
    from bench.run import timed
    from oppdrag.reports.models import RenderedDocument

    client = signed_in_client(center)
    url = f"/{center.slug}/rapport/{year}/last-ned/{fmt}/"
    start = time.perf_counter()
    first = client.get(url)  # builds the tree and renders (tasks run where ordered here)
    first_s = time.perf_counter() - start
    assert first.status_code == 200, first.status_code
    queries, again = queries_of(lambda: client.get(url))
    assert again.content == first.content
    wall = timed(lambda: client.get(url), 3 if OPTIONS.quick else 7)
    stored = RenderedDocument.objects.filter(center=center, year=year, identifier=fmt)
    floor = timed(lambda: bytes(stored.values_list("data", flat=True)[0]), 7)
    return measurement(
        f"report_{fmt}_cached",
        database,
        scale,
        wall,
        "reading the stored file from the database",
        floor,
        queries=queries,
        first_download_s=round(first_s, 3),
        target_s=0.2,
        bytes=len(first.content),
    )


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
        results.append(cached_download(database, "1x", center, 2025, "docx"))
    if "20x" in OPTIONS.scales:
        multiply(center, 2025, 20)
        results.extend(report_measures(database, "20x", center, 2025, ["json", "html"]))
        results.append(cached_download(database, "20x", center, 2025, "docx"))
    return results
