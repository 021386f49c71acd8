"""Assessment text for the NAPHA 2025 demo (new sentences, not the report's).

The texts show every state a text can be in (draft, ready, approved; most slots are
left empty), live figures and cross-references; the first few staff members own a
text each, due on the grant's report deadline when the demo has one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oppdrag.core.models import Center, Person
from oppdrag.importing.base import ImportRejected, ImportResult

from .importers import AssessmentImporter
from .models import AssessmentBlock
from .progress import report_deadline
from .services import assign_slot

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "napha-2025" / "assessments.csv"


def load_reports_demo(center: Center, user: Any, year: int = 2025) -> ImportResult:
    """Load the demo's assessment blocks through the ordinary importer, then name owners."""
    result = AssessmentImporter(center, year, user).run(DEMO_FILE)
    if not result.ok:
        raise ImportRejected(result)
    staff = list(Person.objects.filter(center=center, is_staff_member=True).order_by("name")[:3])
    if staff:
        due_on = report_deadline(center, year)
        blocks = AssessmentBlock.objects.filter(center=center, year=year).order_by("id")
        for index, block in enumerate(blocks):
            assign_slot(block=block, owner=staff[index % len(staff)], due_on=due_on, user=user)
    return result
