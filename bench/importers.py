"""Importer throughput (events, hours) against merely reading the same file.

The measures themselves live in ``bench/hours.py`` (also runnable on its own as
``python -m bench.hours``); this module runs them at the sizes the runner was given.
"""

from __future__ import annotations

from typing import Any

from bench import hours
from bench.run import OPTIONS


def measure(database: str) -> list[dict[str, Any]]:
    return hours.measure(
        database,
        hours_rows=5_000 if OPTIONS.quick else OPTIONS.hours_rows,
        event_rows=2_000 if OPTIONS.quick else OPTIONS.rows,
    )
