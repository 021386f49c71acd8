"""The benchmark function the lead wires into bench/."""

from __future__ import annotations

from oppdrag.reports.bench import bench_render


def test_bench_render_times_each_format_and_a_template_floor(demo):
    results = bench_render(demo, 2025, formats=["json", "html"])
    assert results["json"] > 0 and results["html"] > 0
    assert results["floor_template"] > 0
    assert results["queries"] > 0
    assert results["table_rows"] > 128 + 133
    assert results["bytes"]["html"] > 10_000
