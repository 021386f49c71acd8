"""Timing of the report: tree building, each renderer, and a floor to compare with.

``bench_render(center, year)`` returns wall times in seconds. The floor is a bare
Django template rendering a page with the same number of table rows and
paragraphs, which is what any HTML report costs at the least.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection
from django.template import Context, Engine
from django.test.utils import CaptureQueriesContext

from oppdrag.core.models import Center

from . import tree as t
from .builder import build_report
from .renderers import RENDERERS

FLOOR_TEMPLATE = """<!DOCTYPE html><html lang="nb"><body>
{% for section in sections %}<section><h2>{{ section.title }}</h2>
{% for p in section.paragraphs %}<p>{{ p }}</p>{% endfor %}
{% for table in section.tables %}<table><thead><tr>
{% for c in table.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>
{% for row in table.rows %}<tr>
{% for v in row %}<td>{{ v|default_if_none:"" }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>{% endfor %}
</section>{% endfor %}</body></html>"""


def _floor_context(report: t.Report) -> dict[str, Any]:
    sections = []
    for _depth, section in report.walk():
        sections.append(
            {
                "title": section.heading,
                "paragraphs": [b.plain for b in section.blocks if isinstance(b, t.Paragraph)],
                "tables": [
                    {"columns": b.columns, "rows": b.rows}
                    for b in section.blocks
                    if isinstance(b, t.Table)
                ],
            }
        )
    return {"sections": sections}


def bench_render(center: Center, year: int, formats: list[str] | None = None) -> dict[str, Any]:
    """Seconds to build the tree and to render each format, with the query count and a floor."""
    results: dict[str, Any] = {}
    connection.queries_log.clear()  # the log is a bounded deque; a full one counts nothing
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        report = build_report(center, year)
        results["build"] = time.perf_counter() - start
    results["queries"] = len(queries.captured_queries)
    sizes = {}
    for identifier in formats or list(RENDERERS):
        start = time.perf_counter()
        _name, _mimetype, data = RENDERERS[identifier].render(report)
        results[identifier] = time.perf_counter() - start
        sizes[identifier] = len(data)
    template = Engine(autoescape=True).from_string(FLOOR_TEMPLATE)
    context = Context(_floor_context(report))
    start = time.perf_counter()
    template.render(context)
    results["floor_template"] = time.perf_counter() - start
    results["bytes"] = sizes
    results["table_rows"] = sum(
        len(b.rows) for _d, s in report.walk() for b in s.blocks if isinstance(b, t.Table)
    )
    return results
