"""The report benchmark's parts (``bench/rendering.py``): what it builds, renders and
floors, and in which turns; the times themselves are measured in ``python -m bench``."""

from __future__ import annotations

from bench import rendering
from bench.rendering import bench_render


def test_bench_render_reports_each_format_and_a_template_floor(demo):
    results = bench_render(demo, 2025, formats=["json", "html"], repeat=2)
    timed = {"json", "html", "build", "build_cold", "floor_template"}
    assert timed <= set(results)
    assert all(isinstance(results[name], float) for name in timed)
    assert "pdf" not in results and "docx" not in results
    assert results["queries"] > 0
    assert results["table_rows"] > 128 + 133
    assert results["bytes"]["html"] > 10_000


def test_the_template_floor_renders_as_much_as_the_report_holds(demo):
    # The floor renders every block's text (findings and their records, assessments,
    # key figures, chart data), not only the tables: most of the report's HTML, the
    # rest being the report's CSS, inline SVG and attributes.
    results = bench_render(demo, 2025, formats=["html"], repeat=1)
    assert results["floor_template_bytes"] > 0.6 * results["bytes"]["html"]


def test_builds_renders_and_floors_are_timed_in_turns(demo, monkeypatch):
    # A burst of load on the shared machine should fall on the report and its floor
    # alike, so each round builds, renders and renders the floor before the next.
    calls: list[str] = []
    build, html, context = rendering.build_report, rendering.RENDERERS["html"], rendering.Context

    class LoggedRenderer:
        def render(self, report):
            calls.append("html")
            return html.render(report)

    def logged_build(*args, **kwargs):
        calls.append("build")
        return build(*args, **kwargs)

    def logged_context(*args, **kwargs):
        calls.append("floor")
        return context(*args, **kwargs)

    monkeypatch.setattr(rendering, "build_report", logged_build)
    monkeypatch.setitem(rendering.RENDERERS, "html", LoggedRenderer())
    monkeypatch.setattr(rendering, "Context", logged_context)
    results = bench_render(demo, 2025, formats=["html"], repeat=3)
    # (the first render is the warm-up's one-line document)
    assert calls == ["html", *["build", "html", "floor"] * 3]
    assert {"build", "html", "floor_template"} <= set(results)
