"""The demo's activity registries (appendices 1–6 and 9) from ``demo/napha-2025/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oppdrag.core.demo import DEMO_DIR, DEMO_YEAR
from oppdrag.core.models import Center
from oppdrag.importing.base import ImportRejected, ImportResult

from .importers import IMPORTERS

# Files in loading order: assignments and series before the events that name them.
DEMO_FILES = [
    ("assignments", "assignments.csv"),
    ("event-series", "event-series.csv"),
    ("events", "events.csv"),
    ("presentations", "presentations.csv"),
    ("op-eds", "op-eds.csv"),
    ("consultation-responses", "consultation-responses.csv"),
    ("publications", "publications.csv"),
    ("media", "media.csv"),
    ("groups", "groups.csv"),
    ("topic-pages", "topic-pages.csv"),
    ("published-figures", "published-figures.csv"),
]


def load_registries_demo(
    center: Center, user: Any, directory: Path = DEMO_DIR
) -> list[ImportResult]:
    """Import every registry file of the demo; a refused file stops the demo."""
    results = []
    for kind, name in DEMO_FILES:
        result = IMPORTERS[kind](center, DEMO_YEAR, user).run(directory / name)
        if not result.ok:
            raise ImportRejected(result)
        results.append(result)
    return results
