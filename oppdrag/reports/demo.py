"""Assessment text for the NAPHA 2025 demo (new sentences, not the report's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oppdrag.core.models import Center
from oppdrag.importing.base import ImportRejected, ImportResult

from .importers import AssessmentImporter

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "napha-2025" / "assessments.csv"


def load_reports_demo(center: Center, user: Any, year: int = 2025) -> ImportResult:
    """Load the demo's assessment blocks through the ordinary importer."""
    result = AssessmentImporter(center, year, user).run(DEMO_FILE)
    if not result.ok:
        raise ImportRejected(result)
    return result
