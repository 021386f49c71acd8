"""The benchmark function the lead wires into bench/."""

from __future__ import annotations

from oppdrag.reports.bench import bench_render


def test_bench_render_times_each_format_and_a_template_floor(demo):
    results = bench_render(demo, 2025, formats=["json", "html"], repeat=2)
    assert results["json"] > 0 and results["html"] > 0
    assert results["build"] > 0 and results["build_cold"] > 0
    assert results["floor_template"] > 0
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
    from oppdrag.reports import bench

    calls: list[str] = []
    build, html, context = bench.build_report, bench.RENDERERS["html"], bench.Context

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

    monkeypatch.setattr(bench, "build_report", logged_build)
    monkeypatch.setitem(bench.RENDERERS, "html", LoggedRenderer())
    monkeypatch.setattr(bench, "Context", logged_context)
    results = bench_render(demo, 2025, formats=["html"], repeat=3)
    # (the first render is the warm-up's one-line document)
    assert calls == ["html", *["build", "html", "floor"] * 3]
    assert results["build"] > 0 and results["floor_template"] > 0
