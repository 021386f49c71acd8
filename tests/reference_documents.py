"""The published reference documents, found through one setting.

Some tests (and the grant-letter benchmark) read two public documents that are not kept
in the repository: Helsedirektoratet's grant letter to NAPHA for 2026 and NAPHA's annual
report for 2025, as plain text. ``OPPDRAG_REFERENCE_DOCUMENTS`` names the folder holding
them; without it the folder is ``../shared/seeds`` beside the repository.

Tests ask for them through the fixtures in the root ``conftest.py``
(``reference_grant_letter``, ``reference_annual_report``), which skip with
``SKIP_REASON`` when the folder is missing; the test run then says how many did not run
and why, and under ``CI=true`` a missing folder fails the run.
"""

from __future__ import annotations

import os
from pathlib import Path

SETTING = "OPPDRAG_REFERENCE_DOCUMENTS"
REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT = REPOSITORY.parent / "shared" / "seeds"

GRANT_LETTER_2026 = "000_28f8e61edf5e0682.txt"
ANNUAL_REPORT_2025 = "001_60510e0e2bd16d2c.txt"
DOCUMENTS = (GRANT_LETTER_2026, ANNUAL_REPORT_2025)

SKIP_REASON = "reads the published reference documents"


def folder() -> Path:
    """The folder named by the setting, or ``../shared/seeds`` beside the repository."""
    value = os.environ.get(SETTING, "").strip()
    return Path(value).expanduser().resolve() if value else DEFAULT


def missing() -> str | None:
    """Why the documents cannot be read, or None when they all are there."""
    where = folder()
    if not where.is_dir():
        return f"folder {where} not found (set {SETTING})"
    absent = [name for name in DOCUMENTS if not (where / name).is_file()]
    if absent:
        return f"{', '.join(absent)} not found in {where} (set {SETTING})"
    return None


def document(name: str) -> Path:
    """The path of one reference document (check ``missing()`` first)."""
    return folder() / name
