"""Timing of the report: tree building, each renderer, and a floor per format.

``bench_render(center, year)`` returns wall times in seconds. Every build reads the
database afresh (nothing is cached between builds); the build time is the median
of ``repeat`` builds, and the first (cold) build of the process is reported too.

The floors, as the benchmark issue defines them:

- HTML and JSON: a bare Django template rendering the same content as the report,
  block for block: every section heading (and the table of contents), paragraph,
  assessment, table row, key figure, finding with its records, and each chart's
  data as a small table. ``floor_bytes`` says how large its output is next to the
  report's HTML, so a floor that renders less than the report shows.
- PDF: Typst's own time for the same document: the report's Typst source, written to a
  file beforehand and typeset with the same fonts and PDF standard (PDF/UA-1).
- DOCX: python-docx writing a static document of the same size: the same headings,
  paragraphs, list items and table cells, and the same chart images (drawn before
  the clock starts), with no styling, fields or alt text.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.template import Context, Engine
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from oppdrag.core.models import Center
from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report
from oppdrag.reports.renderers import RENDERERS

FLOOR_TEMPLATE = """<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><h1>{{ title }}</h1>
<nav><ul>{% for heading in toc %}<li>{{ heading }}</li>{% endfor %}</ul></nav>
{% for section in sections %}<section><h2>{{ section.heading }}</h2>
{% for block in section.blocks %}{% if block.kind == "paragraph" %}<p>{{ block.text }}</p>
{% elif block.kind == "assessment" %}<h3>{{ block.heading }}</h3>
{% if block.meta %}<p>{{ block.meta }}</p>{% endif %}
{% for p in block.paragraphs %}<p>{{ p }}</p>{% endfor %}
{% elif block.kind == "table" %}<table><caption>{{ block.caption }}</caption><thead><tr>
{% for c in block.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>
{% for row in block.rows %}<tr>
{% for v in row %}<td>{{ v|default_if_none:"" }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>{% if block.footnote %}<p>{{ block.footnote }}</p>{% endif %}
{% elif block.kind == "figure" %}<figure><p>{{ block.alt }}</p><table><tbody>
{% for row in block.rows %}<tr>
{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table><figcaption>{{ block.caption }}</figcaption></figure>
{% elif block.kind == "key_figures" %}<ul>
{% for item in block.items %}<li>{{ item.value }} {{ item.label }}
{% if item.previous is not None %} ({{ item.previous }}){% endif %}</li>{% endfor %}</ul>
{% elif block.kind == "findings" %}<ul>{% for f in block.findings %}
<li><strong>{{ f.severity }}</strong> {{ f.message }} <em>{{ f.fix }}</em><ul>
{% for r in f.records %}<li>{{ r.description }}</li>{% endfor %}</ul></li>{% endfor %}</ul>
{% endif %}{% endfor %}
</section>{% endfor %}</body></html>"""


def _floor_block(block: t.Block) -> dict[str, Any]:
    """A block as plain values for the floor template (made before the clock starts)."""
    if isinstance(block, t.Paragraph):
        return {"kind": "paragraph", "text": block.plain}
    if isinstance(block, t.Assessment):
        meta = f"{block.status} · {block.author}" if block.status else ""
        return {
            "kind": "assessment",
            "heading": block.heading,
            "meta": meta,
            "paragraphs": [p.plain for p in block.paragraphs],
        }
    if isinstance(block, t.Table):
        return {
            "kind": "table",
            "caption": block.caption if block.rows else f"{block.caption}. {block.empty_text}",
            "columns": block.columns if block.rows else [],
            "rows": block.rows,
            "footnote": block.footnote,
        }
    if isinstance(block, t.Figure):
        rows = [
            [label, *(series.values[index] for series in block.series)]
            for index, label in enumerate(block.labels)
        ]
        return {"kind": "figure", "alt": block.alt, "caption": block.caption, "rows": rows}
    if isinstance(block, t.KeyFigures):
        return {"kind": "key_figures", "items": block.items}
    return {"kind": "findings", "findings": block.findings}


def _floor_context(report: t.Report) -> dict[str, Any]:
    sections = [
        {"heading": section.heading, "blocks": [_floor_block(b) for b in section.blocks]}
        for _depth, section in report.walk()
    ]
    return {
        "title": f"{report.title} – {report.center_name}",
        "toc": [s.heading for depth, s in report.walk() if depth <= 3],
        "sections": sections,
    }


def floor_pdf(report: t.Report) -> tuple[float, float, int]:
    """Typst typesetting the report's own Typst source read from a file: the same text,
    tables, charts, fonts and PDF/UA tagging, with nothing of ours in the clock."""
    import typst

    from oppdrag.reports.renderers.pdf import fonts, typst_source

    with translation.override("nb"):
        source = typst_source(report)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "static.typ"
        path.write_text(source, encoding="utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        pdf = typst.compile(path, font_paths=fonts(), format="pdf", pdf_standards="ua-1")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert isinstance(pdf, bytes)
    return elapsed, cpu, len(pdf)


def floor_docx(report: t.Report, repeat: int = 1) -> tuple[float, float, int]:
    """python-docx writing a static document with the report's text, cells and images."""
    from docx import Document
    from docx.shared import Cm

    from oppdrag.reports.charts import png

    images = {id(b): png(b) for _d, s in report.walk() for b in s.blocks if isinstance(b, t.Figure)}
    size = 0

    def write() -> None:
        nonlocal size
        doc = Document()
        doc.add_paragraph(report.center_name)
        doc.add_heading(report.title, level=0)
        for depth, section in report.walk():
            doc.add_heading(section.heading, level=min(depth, 6))
            for block in section.blocks:
                if isinstance(block, t.Paragraph):
                    doc.add_paragraph(block.plain)
                elif isinstance(block, t.Assessment):
                    doc.add_heading(block.heading, level=min(depth + 1, 7))
                    for paragraph in block.paragraphs:
                        doc.add_paragraph(paragraph.plain)
                elif isinstance(block, t.Table):
                    doc.add_paragraph(block.caption)
                    if not block.rows or not block.columns:
                        doc.add_paragraph(block.empty_text)
                        continue
                    grid = doc.add_table(rows=1, cols=len(block.columns))
                    for cell, column in zip(grid.rows[0].cells, block.columns, strict=True):
                        cell.text = column
                    for row in block.rows:
                        for cell, value in zip(grid.add_row().cells, row, strict=True):
                            if value is not None:
                                cell.text = str(value)
                    if block.footnote:
                        doc.add_paragraph(block.footnote)
                elif isinstance(block, t.Figure):
                    doc.add_picture(io.BytesIO(images[id(block)]), width=Cm(16))
                    doc.add_paragraph(block.caption)
                elif isinstance(block, t.KeyFigures):
                    for item in block.items:
                        doc.add_paragraph(f"{item.label}: {item.value}")
                else:
                    for finding in block.findings:
                        doc.add_paragraph(f"{finding.severity} {finding.message} {finding.fix}")
                        for record in finding.records[:20]:
                            doc.add_paragraph(record.description)
        buffer = io.BytesIO()
        doc.save(buffer)
        size = len(buffer.getvalue())

    return (*median_time(write, repeat), size)


def median_time(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and median CPU seconds (this process) of ``repeat`` runs.

    CPU time is reported beside wall time because the machines are shared: under load
    a run waits for a core, and its wall time says more about the neighbours. It counts
    SQLite and Typst (in this process) but not the PostgreSQL server's work.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


CHEAP = ("json", "html")


def warm_up(formats: list[str]) -> None:
    """Load what a renderer loads once per process (Typst and its fonts, python-docx)
    on a one-line document, so neither the report nor its floor pays it."""
    tiny = t.Report(center="x", center_name="x", year=2000, title="x")
    tiny.sections = [
        t.Section(
            "s",
            "x",
            "chapter",
            [
                t.Paragraph([t.Text("x")]),
                t.Figure("bar", "x", "x", ["a"], [t.Series("x", [1])], key="f"),
            ],
        )
    ]
    t.finish(tiny)
    for identifier in formats:
        RENDERERS[identifier].render(tiny)


def bench_render(
    center: Center, year: int, formats: list[str] | None = None, repeat: int = 7
) -> dict[str, Any]:
    """Seconds to build the tree and to render each format, with query counts and floors.

    ``repeat`` rounds, each a build from the database, a render of each cheap format
    (JSON, HTML) and a render of the template floor, one after the other: the machines
    are shared, and a burst of load then falls on the report and its floor alike
    instead of on whichever was being timed at the moment (timing all builds first and
    all floors afterwards let single runs swing by 2x). ``build`` and each time are
    medians over the rounds; ``build_cold`` is the first build; ``build_cpu``,
    ``<format>_cpu`` and ``floor_<name>_cpu`` the same in CPU seconds of this process.
    DOCX and PDF (seconds each) are rendered once, after the rounds, with their floors.
    """
    chosen = formats or list(RENDERERS)
    cheap = [identifier for identifier in chosen if identifier in CHEAP]
    warm_up(chosen)
    builds: list[tuple[float, float]] = []
    renders: dict[str, list[tuple[float, float]]] = {identifier: [] for identifier in cheap}
    floors: list[tuple[float, float]] = []
    counts: list[int] = []
    sizes: dict[str, int] = {}
    report = None
    template = Engine(autoescape=True).from_string(FLOOR_TEMPLATE)
    floor_bytes = 0
    for _ in range(max(repeat, 1)):
        connection.queries_log.clear()  # the log is a bounded deque; a full one counts nothing
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            report = build_report(center, year)
            builds.append((time.perf_counter() - start, time.process_time() - cpu))
        counts.append(len(queries.captured_queries))
        for identifier in cheap:
            start, cpu = time.perf_counter(), time.process_time()
            _name, _mimetype, data = RENDERERS[identifier].render(report)
            renders[identifier].append((time.perf_counter() - start, time.process_time() - cpu))
            sizes[identifier] = len(data)
        context = _floor_context(report)  # plain values, made before the clock starts
        start, cpu = time.perf_counter(), time.process_time()
        output = template.render(Context(context))
        floors.append((time.perf_counter() - start, time.process_time() - cpu))
        floor_bytes = len(output.encode())
    assert report is not None
    if len(set(counts)) != 1:
        raise AssertionError(f"builds of the same year ran different numbers of queries: {counts}")

    def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)

    results: dict[str, Any] = {"queries": counts[0], "build_cold": builds[0][0]}
    results["build"], results["build_cpu"] = medians(builds)
    for identifier in cheap:
        results[identifier], results[f"{identifier}_cpu"] = medians(renders[identifier])
    results["floor_template"], results["floor_template_cpu"] = medians(floors)
    results["floor_template_bytes"] = floor_bytes
    for identifier in chosen:
        if identifier in CHEAP:
            continue
        data = b""

        def render(identifier: str = identifier) -> None:
            nonlocal data
            _name, _mimetype, data = RENDERERS[identifier].render(report)

        results[identifier], results[f"{identifier}_cpu"] = median_time(render, 1)
        sizes[identifier] = len(data)
    slow_floors: dict[str, Callable[[t.Report], tuple[float, float, int]]] = {
        "pdf": floor_pdf,
        "docx": floor_docx,
    }
    for name, floor in slow_floors.items():
        if name not in chosen:
            continue
        wall, cpu, size = floor(report)
        results[f"floor_{name}"], results[f"floor_{name}_cpu"] = wall, cpu
        results[f"floor_{name}_bytes"] = size
    results["bytes"] = sizes
    results["table_rows"] = sum(
        len(b.rows) for _d, s in report.walk() for b in s.blocks if isinstance(b, t.Table)
    )
    return results
