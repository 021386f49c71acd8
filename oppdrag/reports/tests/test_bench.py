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
