"""Key figures, pages and the report of one centre-year inside the synthetic nation.

Runs in the ``national`` phase, against the database ``oppdrag synth`` filled
(21 centres × 10 years by default): the same measures as at 1× and 20×, so the
query counts can be compared, and the peak memory of rendering the PDF report
in a process of its own.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.pages import figure_and_page_measures
from bench.reports import report_measures
from bench.run import OPTIONS, measurement, oppdrag_command, run_measured


def national_scale() -> str:
    return str(OPTIONS.extra.get("scale_label", "national"))


def first_center() -> tuple[Any, int]:
    from oppdrag.activities.models import Event
    from oppdrag.core.models import Center

    center = Center.objects.filter(slug__startswith="syn").order_by("slug").first()
    if center is None:
        raise RuntimeError("No synthetic centres in this database; run oppdrag synth first.")
    year = Event.objects.filter(center=center).order_by("-year").values_list("year", flat=True)[0]
    return center, year


def measure(database: str) -> list[dict[str, Any]]:
    scale = national_scale()
    center, year = first_center()
    results = figure_and_page_measures(database, scale, center, year)
    results.extend(report_measures(database, scale, center, year, ["json", "html"]))
    # Peak memory of a process that renders the PDF report, against one that only
    # starts Django (the floor of any command).
    env = dict(os.environ)
    startup = [sys.executable, "-c", "import django; django.setup()"]
    floor_wall, floor_rss, _out = run_measured(startup, env)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ["html"] if OPTIONS.quick else ["html", "pdf"]:
            out = Path(tmp) / f"rapport.{fmt}"
            wall, rss, _out = run_measured(
                oppdrag_command(
                    "report", str(year), "--center", center.slug, "--format", fmt, "--out", str(out)
                ),
                env,
            )
            results.append(
                measurement(
                    f"report_{fmt}_process",
                    database,
                    scale,
                    wall,
                    "a process that only starts Django",
                    floor_wall,
                    peak_rss_mb=round(rss, 1),
                    floor_rss_mb=round(floor_rss, 1),
                )
            )
    return results
