"""The hours part of the NAPHA 2025 demo, loaded through the hours importers.

The files in ``demo/napha-2025/`` reconstruct appendices 7 and 8 of the 2025 report:

* ``time-projects.csv`` – every project line of appendix 7 with its group. The report
  prints no project numbers, so the demo numbers them ``N<group><line>``; a group
  printed without lines (3.1.3, 3.2, Ferie) gets one project ``N<group>00`` named
  after the group. Groups numbered 3.x are linked to the grant's assignment with
  the same title (the table's chapter numbers drift from the assignment numbers:
  its 3.2 is assignment 3.3, and so on).
* ``hours.csv`` – one row per project with the year's total as printed (period
  «2025», no person: the report does not split hours by person).
* ``staff.csv`` – appendix 8's staff, without contact details; the notes on
  retirement, reduced position and PhD leave are position periods with dates.
* ``external-hours.csv`` – the host's researchers and their hours.
* ``published-hours.csv`` – the group sums, shares and FTE as printed, and the
  printed totals, for the reconciliation, and the notes printed under appendix 7
  (lines of type «merknad»: hired hours, the "NB" note).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oppdrag.core.models import Center
from oppdrag.importing.base import ImportRejected, ImportResult

from .importers import HOURS_IMPORTERS

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "napha-2025"
DEMO_YEAR = 2025
# Projects before the hours and external hours that name them; staff before hours.
HOURS_DEMO_FILES = [
    ("time-projects", "time-projects.csv"),
    ("staff", "staff.csv"),
    ("hours", "hours.csv"),
    ("external-hours", "external-hours.csv"),
    ("published-hours", "published-hours.csv"),
]


def load_hours_demo(
    center: Center, user: Any = None, directory: Path = DEMO_DIR, year: int = DEMO_YEAR
) -> list[ImportResult]:
    """Load the hours, staff and published hours of the demo year (after the assignments)."""
    results = []
    for kind, name in HOURS_DEMO_FILES:
        result = HOURS_IMPORTERS[kind](center, year, user).run(directory / name)
        if not result.ok:
            raise ImportRejected(result)
        results.append(result)
    return results
