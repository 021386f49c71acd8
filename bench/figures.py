"""Key figures, the dashboard and the events list at 1× and 20× the demo year."""

from __future__ import annotations

from typing import Any

from bench.pages import figure_and_page_measures
from bench.run import OPTIONS


def measure(database: str) -> list[dict[str, Any]]:
    from oppdrag.core.demo import load_demo
    from oppdrag.core.models import Center
    from oppdrag.figures.scale import multiply

    load_demo()
    center = Center.objects.get(slug="napha")
    results = []
    for scale, factor in (("1x", 1), ("20x", 20)):
        if scale not in OPTIONS.scales:
            continue
        if factor > 1:
            multiply(center, 2025, factor)
        results.extend(figure_and_page_measures(database, scale, center, 2025))
    return results
